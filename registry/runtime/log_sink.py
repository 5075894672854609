"""Log lines written off the caller's thread, so the hook never blocks on I/O.

Logging handlers write to files, sockets and terminals synchronously. The hook runs
inside ``posthog.capture`` on the app's request thread, so it only puts a line on a
bounded in-memory queue; one daemon thread hands the lines to :mod:`logging`. When the
queue is full the line is counted as lost instead of waiting. The thread is started on
first use and again after a ``fork`` (worker servers that fork after import).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable

__all__ = ["LogSink"]

_Line = tuple[int, str, tuple[object, ...]]


class LogSink:
    """A bounded queue of log records drained by one daemon thread.

    ``summary`` (optional) is called every ``summary_interval`` seconds by the
    drain thread and its line, if any, is logged at INFO.
    """

    def __init__(
        self,
        logger: logging.Logger,
        capacity: int = 10_000,
        summary: Callable[[], str | None] | None = None,
        summary_interval: float | None = None,
    ) -> None:
        self.logger = logger
        self._queue: queue.Queue[_Line | None] = queue.Queue(maxsize=capacity)
        self._lost = 0
        self._lost_lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = -1
        self._summary = summary
        self._summary_interval = summary_interval

    @property
    def lost(self) -> int:
        """Lines dropped because the queue was full."""
        return self._lost

    def emit(self, level: int, message: str, *args: object) -> None:
        """Queue one line; never blocks, never raises."""
        try:
            if not self.logger.isEnabledFor(level):
                return
            self._ensure_thread()
            self._queue.put_nowait((level, message, args))
        except Exception:  # queue.Full, or no thread can be started: lose the line
            with self._lost_lock:
                self._lost += 1

    def drain(self, timeout: float = 5.0) -> bool:
        """Wait until every queued line has been logged (for tests and shutdown)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.002)
        return True

    def _ensure_thread(self) -> None:
        thread = self._thread
        if thread is not None and self._pid == os.getpid() and thread.is_alive():
            return
        with self._start_lock:
            thread = self._thread
            if thread is not None and self._pid == os.getpid() and thread.is_alive():
                return
            if self._pid != os.getpid() and self._pid != -1:
                # After fork the queue may hold lines (and a lock state) of the parent.
                self._queue = queue.Queue(maxsize=self._queue.maxsize)
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="trackplan-log", daemon=True)
            self._thread.start()

    def start_summaries(self) -> None:
        """Start the drain thread now, so periodic summaries run without violations."""
        self._ensure_thread()

    def close(self, timeout: float = 5.0) -> None:
        """Log what is queued, then stop the drain thread."""
        thread = self._thread
        if thread is None or not thread.is_alive():
            return
        self.drain(timeout)
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            return
        thread.join(timeout)

    def _run(self) -> None:
        interval = self._summary_interval
        next_summary = time.monotonic() + interval if interval else None
        work = self._queue
        while True:
            timeout = None if next_summary is None else max(0.0, next_summary - time.monotonic())
            try:
                line = work.get(timeout=timeout)
            except queue.Empty:
                pass
            else:
                try:
                    if line is None:
                        return
                    level, message, args = line
                    self.logger.log(level, message, *args)
                except Exception:  # a broken handler must not kill the thread
                    pass
                finally:
                    work.task_done()
            if next_summary is not None and interval and time.monotonic() >= next_summary:
                next_summary = time.monotonic() + interval
                self._log_summary()

    def _log_summary(self) -> None:
        if self._summary is None:
            return
        try:
            line = self._summary()
            if line:
                self.logger.info("%s", line)
        except Exception:
            pass
