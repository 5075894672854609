"""Progress of a long ``trackplan lint`` run, on stderr, only where a person watches.

:func:`progress_for` returns None unless the stream is a terminal, so CI logs, pipes and
files never get progress lines. A :class:`Progress` stays silent for its first
:data:`DELAY_S` seconds (most runs end sooner), then rewrites one line (``\\r``) at most
ten times a second and erases it when the run ends, so the findings printed after it
start on a clean line. ``TRACKPLAN_PROGRESS_AFTER`` (seconds) overrides the delay; the
tests use it to see the line without a slow run.
"""

from __future__ import annotations

import os
import time
from typing import TextIO

__all__ = ["DELAY_S", "Progress", "progress_for"]

DELAY_S = 2.0
_INTERVAL_S = 0.1


class Progress:
    """One rewritten status line on ``stream``."""

    def __init__(self, stream: TextIO, delay: float = DELAY_S) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.delay = delay
        self._last = 0.0
        self._width = 0

    def update(self, what: str, done: int, total: int | None = None) -> None:
        """Show ``what`` with a count (``done`` of ``total``), if it is time to."""
        now = time.monotonic()
        if now - self.started < self.delay or now - self._last < _INTERVAL_S:
            return
        self._last = now
        count = f"{done:,}/{total:,}" if total is not None else f"{done:,}"
        self._write(f"trackplan: {what} {count} files...")

    def close(self) -> None:
        """Erase the status line, if one was shown."""
        if self._width:
            self._write("")
            self._width = 0

    def _write(self, text: str) -> None:
        try:
            self.stream.write("\r" + text.ljust(self._width) + ("\r" if not text else ""))
            self.stream.flush()
        except (OSError, ValueError):  # a closed or broken terminal: no progress, no error
            return
        self._width = len(text)


def progress_for(stream: TextIO) -> Progress | None:
    """A :class:`Progress` on ``stream`` when it is a terminal, else None."""
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    try:
        delay = float(os.environ.get("TRACKPLAN_PROGRESS_AFTER", DELAY_S))
    except ValueError:
        delay = DELAY_S
    return Progress(stream, max(0.0, delay))
