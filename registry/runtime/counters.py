"""Thread-safe counts of what the runtime hook saw, readable while the app runs.

The SDK calls ``before_send`` from the caller's thread and from its own worker
threads. A valid event, the hot path, is counted without a lock: one
``itertools.count`` step, a single C call that no other thread can interleave with
while the GIL is held. Everything else (events with violations, errors, reads,
resets) takes one short lock. On a free-threaded build with the GIL disabled valid
events take the lock too. Reads return immutable snapshots.
"""

from __future__ import annotations

import itertools
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["HookCounters", "HookStats"]


@dataclass(frozen=True)
class HookStats:
    """A snapshot of the counters.

    ``violations`` maps ``(event, code)`` to how many violations of that code the
    event had (events without a name count under ``""``). ``errors`` counts
    exceptions the hook caught (its own or a chained ``before_send``'s); each one
    dropped or passed on the event without validation, never raised.
    """

    events: int = 0
    invalid_events: int = 0
    dropped: int = 0
    tagged: int = 0
    errors: int = 0
    chain_dropped: int = 0
    log_lines_lost: int = 0
    violations: MappingProxyType[tuple[str, str], int] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def by_code(self) -> dict[str, int]:
        """Violations summed over events, by code."""
        totals: Counter[str] = Counter()
        for (_, code), count in self.violations.items():
            totals[code] += count
        return dict(sorted(totals.items()))

    def by_event(self) -> dict[str, int]:
        """Violations summed over codes, by event name."""
        totals: Counter[str] = Counter()
        for (event, _), count in self.violations.items():
            totals[event] += count
        return dict(sorted(totals.items()))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (``violations`` as ``{event: {code: n}}``)."""
        nested: dict[str, dict[str, int]] = {}
        for (event, code), count in sorted(self.violations.items()):
            nested.setdefault(event, {})[code] = count
        return {
            "events": self.events,
            "invalid_events": self.invalid_events,
            "dropped": self.dropped,
            "tagged": self.tagged,
            "errors": self.errors,
            "chain_dropped": self.chain_dropped,
            "log_lines_lost": self.log_lines_lost,
            "violations": nested,
        }


def _gil_enabled() -> bool:
    """False only on a free-threaded build running without the GIL (3.13t+)."""
    probe = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())


class HookCounters:
    """The live counters behind :class:`HookStats`.

    ``seen_valid`` is the hot path. With the GIL it is the ``__next__`` of an
    ``itertools.count`` (atomic: it runs no Python code). The count's value is only
    ever read by stepping it under the lock, so :meth:`_valid_steps` subtracts the
    steps taken by earlier reads; resets record a base instead of replacing the
    count, so a cached ``seen_valid`` stays correct.
    """

    __slots__ = (
        "_chain_dropped",
        "_dropped",
        "_errors",
        "_events",
        "_invalid",
        "_lock",
        "_reads",
        "_steps",
        "_tagged",
        "_valid_base",
        "_violations",
        "seen_valid",
    )

    def __init__(self, lock_free: bool | None = None) -> None:
        """``lock_free``: count valid events without the lock (default: when the GIL is on)."""
        self._lock = threading.Lock()
        self._events = 0  # events with violations (and valid ones without a GIL)
        self._invalid = 0
        self._dropped = 0
        self._tagged = 0
        self._errors = 0
        self._chain_dropped = 0
        self._violations: Counter[tuple[str, str]] = Counter()
        self._steps = itertools.count()  # one step per valid event and per read
        self._reads = 0  # steps taken by reads (under the lock)
        self._valid_base = 0  # valid events before the last reset
        self.seen_valid: Callable[[], object] = (
            self._steps.__next__
            if (_gil_enabled() if lock_free is None else lock_free)
            else self._seen_valid_locked
        )

    def _seen_valid_locked(self) -> None:
        with self._lock:
            self._events += 1

    def _valid_steps(self) -> int:
        """Valid events counted lock-free so far (call with the lock held)."""
        valid = next(self._steps) - self._reads
        self._reads += 1
        return valid

    def seen_with_violations(
        self, event: str, codes: list[str], *, invalid: bool, dropped: bool, tagged: bool
    ) -> None:
        with self._lock:
            self._events += 1
            if invalid:
                self._invalid += 1
            if dropped:
                self._dropped += 1
            if tagged:
                self._tagged += 1
            for code in codes:
                self._violations[(event, code)] += 1

    def error(self) -> None:
        with self._lock:
            self._errors += 1

    def chain_drop(self) -> None:
        with self._lock:
            self._chain_dropped += 1

    def snapshot(self, log_lines_lost: int = 0) -> HookStats:
        """An immutable copy of the counts (``log_lines_lost`` comes from the log sink)."""
        with self._lock:
            return HookStats(
                events=self._events + self._valid_steps() - self._valid_base,
                invalid_events=self._invalid,
                dropped=self._dropped,
                tagged=self._tagged,
                errors=self._errors,
                chain_dropped=self._chain_dropped,
                log_lines_lost=log_lines_lost,
                violations=MappingProxyType(dict(self._violations)),
            )

    def reset(self) -> None:
        with self._lock:
            self._valid_base = self._valid_steps()
            self._events = self._invalid = self._dropped = self._tagged = 0
            self._errors = self._chain_dropped = 0
            self._violations.clear()
