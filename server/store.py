"""The event store: one SQLite file (WAL), written by one thread, read by anyone.

Contract:
- Every received event is one row: receive time, event name, distinct id, verdict
  (``valid``), whether PostHog's capture would have accepted it (``accepted``), its
  violations (the objects ``trackplan validate --format json`` prints) and the payload.
- :meth:`Store.add` returns only after the rows are committed: a caller that answers
  200 after it has a stored row. In WAL mode with ``synchronous=NORMAL`` (the default) a
  commit is in the database file as soon as it returns, so it survives any crash of the
  process (``kill -9``); with ``fsync=True`` (``synchronous=FULL``) each commit is also
  flushed to disk, so it survives a power loss too, at one fsync per group. A failed
  commit (disk full, the ``--max-db-size`` cap, database locked past the busy timeout)
  raises :class:`StoreUnavailable`, and nothing of that call is stored.
- Idempotent by ``uuid``: an event whose uuid is already stored is skipped (first one
  wins), so a client retrying after a lost answer stores each event exactly once.
- One writer thread owns the write connection and commits whatever has queued up in one
  transaction (group commit), so concurrent requests share one fsync.
- Reads (:meth:`Store.events`, :meth:`Store.stats`) open their own connection, so an
  acknowledged event is visible to the very next query.
- Rows to forward upstream go into ``outbox`` in the same transaction as the event
  (:mod:`trackplan.server.forward` drains it).

Imports only the standard library and orjson, so ``trackplan events`` reads a store
without the ``serve`` extra installed.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import orjson

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "EventFilter",
    "EventRow",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "read_store",
]

_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT UNIQUE,
    received_at TEXT NOT NULL,
    event TEXT,
    distinct_id TEXT,
    valid INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    violations TEXT NOT NULL,
    payload TEXT NOT NULL,
    api_key TEXT
);
CREATE INDEX IF NOT EXISTS events_event ON events(event);
CREATE TABLE IF NOT EXISTS violation_codes (
    event_id INTEGER NOT NULL,
    code TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS violation_codes_code ON violation_codes(code, event_id);
CREATE TABLE IF NOT EXISTS outbox (
    event_id INTEGER PRIMARY KEY,
    attempts INTEGER NOT NULL DEFAULT 0,
    failed TEXT
);
"""
_INSERT = (
    "INSERT INTO events (uuid, received_at, event, distinct_id, valid, accepted, violations,"
    " payload, api_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(uuid) DO NOTHING"
)
#: Most rows one transaction takes from the queue (a batch request is never split).
_GROUP_ROWS = 5000
MAX_LIMIT = 100_000
DEFAULT_LIMIT = 10_000


class StoreError(Exception):
    """The database file cannot be used (not SQLite, wrong schema, cannot be opened)."""


class StoreUnavailable(Exception):
    """A write did not commit (disk full, size cap, locked): the caller answers 503."""


class EventRow(NamedTuple):
    """One event ready to store (JSON columns already serialized)."""

    uuid: str | None
    received_at: str
    event: str | None
    distinct_id: str | None
    valid: bool
    accepted: bool
    violations: bytes
    codes: tuple[str, ...]
    payload: bytes
    api_key: str | None
    forward: bool


@dataclass(frozen=True)
class EventFilter:
    """What ``GET /_trackplan/events`` and ``trackplan events`` select."""

    event: str | None = None
    valid: bool | None = None
    code: str | None = None
    distinct_id: str | None = None
    after: int = 0
    limit: int = DEFAULT_LIMIT

    def where(self) -> tuple[str, list[Any]]:
        clauses = ["id > ?"]
        args: list[Any] = [self.after]
        if self.event is not None:
            clauses.append("event = ?")
            args.append(self.event)
        if self.valid is not None:
            clauses.append("valid = ?")
            args.append(int(self.valid))
        if self.distinct_id is not None:
            clauses.append("distinct_id = ?")
            args.append(self.distinct_id)
        if self.code is not None:
            clauses.append("id IN (SELECT event_id FROM violation_codes WHERE code = ?)")
            args.append(self.code.upper())
        return " AND ".join(clauses), args


def _connect(path: Path, busy_timeout: float, fsync: bool = False) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={'FULL' if fsync else 'NORMAL'}")
        return conn
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot be used as an event store: {exc}") from None


def _open(path: Path, busy_timeout: float, fsync: bool) -> sqlite3.Connection:
    """The write connection, with the schema created or checked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(path, busy_timeout, fsync)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, _SCHEMA_VERSION):
            raise StoreError(f"{path}: event store schema {version} is not {_SCHEMA_VERSION}")
        conn.executescript(_SCHEMA)
        conn.execute(f"PRAGMA user_version={_SCHEMA_VERSION}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: cannot be used as an event store: {exc}") from None
    return conn


class _Job(NamedTuple):
    """Rows to insert or an action to run; answered through ``future`` (on its event
    loop) or, for callers outside a loop, through ``done``."""

    rows: Sequence[EventRow] | None
    action: Callable[[sqlite3.Connection], Any] | None
    done: Callable[[Any, BaseException | None], None] | None
    future: asyncio.Future[Any] | None = None
    loop: asyncio.AbstractEventLoop | None = None


_STOP = _Job(None, None, None)


class Store:
    """The event store of one server (see the module contract)."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout: float = 2.0,
        max_bytes: int | None = None,
        fsync: bool = False,
        on_outbox: Callable[[], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._conn = _open(self.path, busy_timeout, fsync)
        if max_bytes is not None:
            page = self._conn.execute("PRAGMA page_size").fetchone()[0]
            self._conn.execute(f"PRAGMA max_page_count={max(1, max_bytes // page)}")
        # Checkpoints (copying the WAL into the database file, with an fsync) run on their
        # own connection and thread, so a commit never waits for one.
        self._conn.execute("PRAGMA wal_autocheckpoint=0")
        self._conn.execute("PRAGMA cache_size=-32768")
        self._on_outbox = on_outbox
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self.duplicates = 0
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._run, name="trackplan-store", daemon=True)
        self._thread.start()
        self._checkpointer = threading.Thread(
            target=self._checkpoint_loop, name="trackplan-checkpoint", daemon=True
        )
        self._checkpointer.start()

    # writing ----------------------------------------------------------------------------

    async def add(self, rows: Sequence[EventRow]) -> int:
        """Store ``rows`` durably; the number newly stored (duplicates by uuid skipped)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int] = loop.create_future()
        self._jobs.put(_Job(rows, None, None, future, loop))
        return await future

    def run_sync(self, action: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``action`` in a transaction on the writer thread and wait for it."""
        finished = threading.Event()
        box: list[Any] = [None, None]

        def done(result: Any, error: BaseException | None) -> None:
            box[0], box[1] = result, error
            finished.set()

        self._jobs.put(_Job(None, action, done))
        finished.wait()
        if box[1] is not None:
            raise box[1]
        return box[0]

    def reset(self) -> int:
        """Delete every stored event (and anything waiting to be forwarded)."""

        def action(conn: sqlite3.Connection) -> int:
            count: int = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            conn.execute("DELETE FROM events")
            conn.execute("DELETE FROM violation_codes")
            conn.execute("DELETE FROM outbox")
            return count

        return int(self.run_sync(action))

    def close(self) -> None:
        self._closing.set()
        if self._thread.is_alive():
            self._jobs.put(_STOP)
            self._thread.join(timeout=10)
        self._checkpointer.join(timeout=10)
        with contextlib.suppress(sqlite3.Error):  # else a later open replays the WAL
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()

    def _checkpoint_loop(self, interval: float = 0.25) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout, check_same_thread=False)
        except sqlite3.Error:
            return
        try:
            while not self._closing.wait(interval):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error:
                    continue  # busy or locked: the next round catches up
        finally:
            conn.close()

    def _run(self) -> None:
        jobs = self._jobs
        while True:
            job = jobs.get()
            if job is _STOP:
                return
            if job.rows is None:
                self._transaction([job])
                continue
            group, count = [job], len(job.rows)
            pending: _Job | None = None
            while count < _GROUP_ROWS:
                try:
                    more = jobs.get_nowait()
                except queue.Empty:
                    break
                if more.rows is None:
                    pending = more
                    break
                group.append(more)
                count += len(more.rows)
            self._transaction(group)
            if pending is _STOP:
                return
            if pending is not None:
                self._transaction([pending])

    def _transaction(self, group: list[_Job]) -> None:
        """One transaction: an action job alone, or a group of insert jobs."""
        conn = self._conn
        action = group[0].action
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                results = [action(conn)] if action is not None else self._insert(conn, group)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            _answer(group, None, StoreUnavailable(f"event store write failed: {exc}"))
            return
        except Exception as exc:  # a bug: fail the callers, keep the writer alive
            _answer(group, None, exc)
            return
        _answer(group, results, None)
        if self._on_outbox is not None and any(r.forward for j in group for r in j.rows or ()):
            self._on_outbox()

    def _insert(self, conn: sqlite3.Connection, group: list[_Job]) -> list[int]:
        """Insert each job's rows; how many of each job's rows were new.

        Rows with neither violations nor forwarding (the common case) go in through one
        ``executemany``; the others one by one, because their id is needed.
        """
        counts: list[int] = []
        execute = conn.execute
        for job in group:
            rows = job.rows or ()
            stored = 0
            run: list[tuple[Any, ...]] = []  # consecutive plain rows, kept in arrival order
            for row in rows:
                if not row.codes and not row.forward:
                    run.append(_values(row))
                    continue
                if run:
                    stored += _insert_many(conn, run)
                    run = []
                cursor = execute(_INSERT, _values(row))
                if cursor.rowcount != 1:
                    continue
                stored += 1
                event_id = cursor.lastrowid
                if row.codes:
                    conn.executemany(
                        "INSERT INTO violation_codes (event_id, code) VALUES (?, ?)",
                        [(event_id, code) for code in row.codes],
                    )
                if row.forward:
                    execute("INSERT INTO outbox (event_id) VALUES (?)", (event_id,))
            if run:
                stored += _insert_many(conn, run)
            self.duplicates += len(rows) - stored
            counts.append(stored)
        return counts

    # reading ----------------------------------------------------------------------------

    def events(self, where: EventFilter) -> list[dict[str, Any]]:
        return read_store(self.path).events(where)

    def stats(self) -> dict[str, Any]:
        return read_store(self.path).stats()


def _insert_many(conn: sqlite3.Connection, values: list[tuple[Any, ...]]) -> int:
    """Insert plain rows; how many were new (duplicates by uuid are skipped)."""
    before = conn.total_changes
    conn.executemany(_INSERT, values)
    return conn.total_changes - before


def _values(row: EventRow) -> tuple[Any, ...]:
    return (
        row.uuid,
        row.received_at,
        row.event,
        row.distinct_id,
        int(row.valid),
        int(row.accepted),
        row.violations.decode(),
        row.payload.decode(),
        row.api_key,
    )


_Answer = tuple["asyncio.Future[Any]", Any, BaseException | None]


def _answer(group: list[_Job], results: list[Any] | None, error: BaseException | None) -> None:
    """Answer every job of a transaction: one wake-up per event loop, not one per job."""
    by_loop: dict[asyncio.AbstractEventLoop, list[_Answer]] = {}
    for index, job in enumerate(group):
        result = results[index] if results is not None else None
        if job.future is not None and job.loop is not None:
            by_loop.setdefault(job.loop, []).append((job.future, result, error))
        elif job.done is not None:
            job.done(result, error)
    for loop, answers in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
            loop.call_soon_threadsafe(_settle, answers)


def _settle(answers: list[_Answer]) -> None:
    for future, result, error in answers:
        if future.cancelled():
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)


class _Reader:
    """Queries over a store file, one short-lived connection per call."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise StoreError(f"{self.path}: no event store here (start `trackplan serve` first)")
        try:
            conn = sqlite3.connect(self.path, timeout=5.0)
            conn.execute("PRAGMA query_only=1")
            conn.execute("SELECT 1 FROM events LIMIT 1")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a trackplan event store: {exc}") from None
        return conn

    def events(self, where: EventFilter) -> list[dict[str, Any]]:
        clause, args = where.where()
        limit = max(1, min(where.limit, MAX_LIMIT))
        sql = (
            "SELECT id, received_at, event, distinct_id, valid, accepted, violations, payload"
            f" FROM events WHERE {clause} ORDER BY id LIMIT ?"
        )
        conn = self._connect()
        try:
            rows = conn.execute(sql, [*args, limit]).fetchall()
        finally:
            conn.close()
        loads = orjson.loads
        return [
            {
                "id": row[0],
                "received_at": row[1],
                "event": row[2],
                "distinct_id": row[3],
                "valid": bool(row[4]),
                "accepted": bool(row[5]),
                "violations": loads(row[6]),
                "payload": loads(row[7]),
            }
            for row in rows
        ]

    def stats(self) -> dict[str, Any]:
        conn = self._connect()
        try:
            total, valid, rejected = conn.execute(
                "SELECT count(*), coalesce(sum(valid), 0), coalesce(sum(1 - accepted), 0)"
                " FROM events"
            ).fetchone()
            by_event = {
                name if name is not None else "": {
                    "total": n,
                    "valid": ok,
                    "invalid": n - ok,
                }
                for name, n, ok in conn.execute(
                    "SELECT event, count(*), sum(valid) FROM events GROUP BY event ORDER BY event"
                )
            }
            by_code = dict(
                conn.execute(
                    "SELECT code, count(*) FROM violation_codes GROUP BY code ORDER BY code"
                ).fetchall()
            )
            pending, failed = conn.execute(
                "SELECT coalesce(sum(failed IS NULL), 0), coalesce(sum(failed IS NOT NULL), 0)"
                " FROM outbox"
            ).fetchone()
        finally:
            conn.close()
        return {
            "total": total,
            "valid": valid,
            "invalid": total - valid,
            "rejected": rejected,
            "by_event": by_event,
            "by_code": by_code,
            "outbox": {"pending": pending, "failed": failed},
        }


def read_store(path: str | Path) -> _Reader:
    """Read-only queries over the store at ``path`` (works while a server writes to it)."""
    return _Reader(Path(path))
