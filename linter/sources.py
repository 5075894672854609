"""Reading the source files of a lint run: regular files only, never more than a cap.

Contract:
- :func:`source_state` stats a discovered path: ``None`` when it is not a file to scan
  (gone since discovery, a dangling link, a FIFO, a device, a directory: never opened, so
  nothing can block or stream forever), else its ``os.stat_result``.
- :func:`read_source` reads a regular file of at most ``limit`` bytes through
  :func:`trackplan.registry.fileio.read_bytes_capped` (``InputFileError`` otherwise).
- :func:`large_file_mentions` decides the prefilter for a file over the
  ``max-file-size`` cap without holding it: it is read in 1 MiB windows (each keeping the
  line the previous one ended in), so memory stays bounded whatever the file's size.
- :func:`too_large_reason` is the one wording of the TP901 "file too large to analyse".
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable

from trackplan.registry.fileio import InputFileError, read_bytes_capped

__all__ = ["large_file_mentions", "read_source", "source_state", "too_large_reason"]

_O_BINARY = getattr(os, "O_BINARY", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_WINDOW = 1 << 20
_CARRY = 64 * 1024  # at most this much of the previous window's last line is kept


def source_state(path: str) -> os.stat_result | None:
    """``os.stat`` of ``path`` when it is a regular file; None when it is no file to scan.

    Raises ``OSError`` when it cannot even be stat'ed for another reason (permissions).
    """
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def read_source(path: str, limit: int) -> bytes:
    """The bytes of a regular source file of at most ``limit`` bytes."""
    return read_bytes_capped(path, limit)


def large_file_mentions(path: str, matcher: Callable[[bytes], bool]) -> bool:
    """Whether a (too large) file mentions a trigger token, read window by window."""
    try:
        fd = os.open(path, os.O_RDONLY | _O_BINARY | _O_NONBLOCK)
    except OSError as error:
        raise InputFileError(path, error.strerror or type(error).__name__) from error
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputFileError(path, "not a regular file")
        carry = b""
        while chunk := os.read(fd, _WINDOW):
            window = carry + chunk
            if matcher(window):
                return True
            line_start = window.rfind(b"\n") + 1
            carry = window[max(line_start, len(window) - _CARRY) :]
        return False
    except InputFileError:
        raise
    except OSError as error:
        raise InputFileError(path, error.strerror or type(error).__name__) from error
    finally:
        os.close(fd)


def too_large_reason(size: int, limit: int) -> str:
    """The TP901 message of a file over ``max-file-size``."""
    return (
        f"file too large to analyse: {size:,} bytes, over the {limit:,}-byte limit"
        " (max-file-size in [tool.trackplan])"
    )
