"""The gateway: forward stored events upstream from a durable outbox.

Contract: the store puts every event to forward into its ``outbox`` table in the same
transaction as the event (so an acknowledged event is either forwarded or still in the
outbox, across restarts). :class:`Forwarder` is one thread that sends the outbox in
order, as PostHog batch bodies (``POST {upstream}/batch/``), grouped by API key:

- 2xx: the rows leave the outbox.
- network error, timeout (a stalled upstream), 408, 429, 5xx: the rows stay; the thread
  waits (exponential backoff with jitter, ``min_backoff`` doubling up to ``max_backoff``,
  or the upstream's ``Retry-After``) and tries again. Clients are never blocked: capture
  requests only write the outbox.
- any other 4xx: the upstream will never take those events; the rows stay in the outbox
  marked failed (visible in ``/_trackplan/stats``), and the queue moves on.

``tag`` mode adds ``$trackplan_violations`` (the runtime hook's property and format)
to invalid events as they are sent.
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import orjson
from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.runtime.hook import _tagged
from trackplan.server.ingest import ForwardMode
from trackplan.server.store import Store

__all__ = ["ForwardStats", "Forwarder"]

log = logging.getLogger("trackplan.server")

_SELECT = (
    "SELECT o.event_id, e.payload, e.violations, e.valid, e.api_key FROM outbox o"
    " JOIN events e ON e.id = o.event_id WHERE o.failed IS NULL ORDER BY o.event_id LIMIT ?"
)


@dataclass
class ForwardStats:
    sent: int = 0
    attempts: int = 0
    failures: int = 0
    last_error: str | None = None


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.wait = wait


class Forwarder:
    """The forwarding thread of one server (see the module contract)."""

    def __init__(
        self,
        store: Store,
        upstream: str,
        mode: ForwardMode,
        *,
        api_key: str | None = None,
        batch_size: int = 100,
        timeout: float = 10.0,
        min_backoff: float = 0.5,
        max_backoff: float = 60.0,
    ) -> None:
        self.store, self.mode, self.api_key = store, mode, api_key
        self.url = upstream.rstrip("/") + "/batch/"
        self.batch_size, self.timeout = batch_size, timeout
        self.min_backoff, self.max_backoff = min_backoff, max_backoff
        self.stats = ForwardStats()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="trackplan-forward", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=self.timeout + 5)

    def _run(self) -> None:
        failures = 0
        conn = sqlite3.connect(self.store.path, timeout=self.store.busy_timeout)
        try:
            while not self._stop.is_set():
                try:
                    rows = conn.execute(_SELECT, (self.batch_size,)).fetchall()
                except sqlite3.Error as exc:
                    log.warning("forwarding: cannot read the outbox: %s", exc)
                    rows = []
                if not rows:
                    self._wake.wait(1.0)
                    self._wake.clear()
                    continue
                try:
                    self._send(rows)
                    failures = 0
                except _Retry as exc:
                    failures += 1
                    self.stats.failures += 1
                    self.stats.last_error = str(exc)
                    delay = exc.wait
                    if delay is None:
                        base = min(self.max_backoff, self.min_backoff * 2 ** (failures - 1))
                        delay = base * random.uniform(0.5, 1.0)
                    log.warning("forwarding failed (%s); retrying in %.1fs", exc, delay)
                    self._stop.wait(min(delay, self.max_backoff))
                except Exception as exc:  # never let the thread die
                    log.error("forwarding error: %s: %s", type(exc).__name__, exc)
                    self._stop.wait(self.min_backoff)
        finally:
            conn.close()

    def _send(self, rows: Sequence[tuple[Any, ...]]) -> None:
        groups: dict[str | None, list[tuple[int, dict[str, Any]]]] = {}
        for event_id, payload, violations, valid, api_key in rows:
            event = orjson.loads(payload)
            if self.mode is ForwardMode.TAG and not valid:
                event = _tagged(event, _diagnostics(orjson.loads(violations)))
            groups.setdefault(self.api_key or api_key, []).append((event_id, event))
        for key, items in groups.items():
            status = self._post(key, [event for _, event in items])
            ids = [(event_id,) for event_id, _ in items]
            if 200 <= status < 300:
                self.store.run_sync(partial(_delete, ids=ids))
                self.stats.sent += len(ids)
            else:
                log.error(
                    "upstream refused %d events with HTTP %d; kept as failed", len(ids), status
                )
                self.store.run_sync(partial(_mark_failed, ids=ids, reason=f"HTTP {status}"))

    def _post(self, api_key: str | None, batch: list[dict[str, Any]]) -> int:
        body: dict[str, Any] = {"batch": batch}
        if api_key is not None:
            body["api_key"] = api_key
        request = urllib.request.Request(
            self.url,
            data=orjson.dumps(body),
            headers={"Content-Type": "application/json", "User-Agent": "trackplan-serve"},
            method="POST",
        )
        self.stats.attempts += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as exc:
            status = exc.code
            if status in (408, 429) or status >= 500:
                raise _Retry(
                    f"HTTP {status}", _retry_after(exc.headers.get("Retry-After"))
                ) from None
            return status
        except (OSError, ValueError, json.JSONDecodeError) as exc:  # refused, reset, timeout
            raise _Retry(f"{type(exc).__name__}: {exc}") from None


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _diagnostics(violations: list[dict[str, Any]]) -> tuple[Diagnostic, ...]:
    return tuple(
        Diagnostic(v["code"], Severity(v["severity"]), v["message"], pointer=v["path"])
        for v in violations
        if v.get("severity") != Severity.INFO.value
    )


def _delete(conn: sqlite3.Connection, ids: list[tuple[int]]) -> None:
    conn.executemany("DELETE FROM outbox WHERE event_id = ?", ids)


def _mark_failed(conn: sqlite3.Connection, ids: list[tuple[int]], reason: str) -> None:
    conn.executemany(
        "UPDATE outbox SET failed = ? WHERE event_id = ?", [(reason, i) for (i,) in ids]
    )
