"""Bounded reads and atomic writes: the one way trackplan touches users' files.

Contract:
- ``read_bytes_capped(path, limit)`` returns the file's bytes or raises ``InputFileError``
  (an ``OSError`` subclass carrying a one-line ``reason``) when the path is not a regular file
  (a FIFO, a device, a directory), cannot be read, or holds more than ``limit`` bytes. It never
  blocks on a FIFO (the open is non-blocking) and never reads more than ``limit + 1`` bytes, so
  ``/dev/zero`` or a pipe cannot grow memory without bound.
- ``atomic_write_bytes(path, data)`` / ``atomic_write_text(path, text)`` write a temporary file
  in the target's directory, fsync it, give it the original's permission bits (or the
  process umask's for a new file) and ``os.replace`` it over the target. On any failure the
  temporary file is removed, the target is untouched, and the ``OSError`` propagates.
  ``atomic_write_text`` writes exactly the text given (no newline translation): callers keep
  a file's line endings by passing them in.
- ``atomic_write_many([(path, data), ...])`` writes several files as one change: every
  temporary file is written and fsynced first (a full disk fails here, before any target
  is touched), then each is renamed over its target in order; if a rename fails, the
  targets already replaced get their originals back (kept as hard links, or in memory
  where the file system has none) and new ones are removed, then the error propagates.

Imports only the standard library (the registry's dependency rule).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "InputFileError",
    "atomic_write_bytes",
    "atomic_write_many",
    "atomic_write_text",
    "read_bytes_capped",
    "read_text_capped",
]

_O_BINARY = getattr(os, "O_BINARY", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class InputFileError(OSError):
    """A file we were asked to read cannot be used; ``reason`` is one line for the user."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(f"{os.fspath(path)}: {reason}")
        self.path = os.fspath(path)
        self.reason = reason


def read_bytes_capped(path: str | os.PathLike[str], limit: int) -> bytes:
    """Read a regular file of at most ``limit`` bytes (see the module contract)."""
    try:
        fd = os.open(path, os.O_RDONLY | _O_BINARY | _O_NONBLOCK)
    except OSError as error:
        raise InputFileError(path, error.strerror or type(error).__name__) from error
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            reason = "is a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise InputFileError(path, reason)
        if info.st_size > limit:
            raise InputFileError(path, f"larger than the {limit:,}-byte limit")
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    except InputFileError:
        raise
    except OSError as error:
        raise InputFileError(path, error.strerror or type(error).__name__) from error
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputFileError(path, f"larger than the {limit:,}-byte limit")
    return data


def read_text_capped(path: str | os.PathLike[str], limit: int) -> str:
    """``read_bytes_capped`` decoded as UTF-8 (``InputFileError`` when it is not UTF-8)."""
    data = read_bytes_capped(path, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputFileError(path, f"not UTF-8 (invalid byte at offset {error.start})") from error


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (see the module contract)."""
    target = Path(path)
    directory = target.parent
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_current_umask()
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(directory)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """``atomic_write_bytes`` of ``text`` in UTF-8, line endings exactly as given."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _stage(target: Path, data: bytes) -> str:
    """A fsynced temporary file beside ``target`` holding ``data``, with the target's
    permission bits (the umask's for a new file); removed again on failure."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_current_umask()
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return temporary


def atomic_write_many(files: Sequence[tuple[str | os.PathLike[str], bytes]]) -> None:
    """Replace several files as one change (see the module contract)."""
    staged: list[tuple[Path, str]] = []
    try:
        for path, data in files:
            target = Path(path)
            staged.append((target, _stage(target, data)))
    except BaseException:
        for _, temporary in staged:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
    done: list[tuple[Path, str | None, bytes | None]] = []  # target, backup link, original
    backups: list[str] = []
    try:
        for target, temporary in staged:
            backup, original = _keep_original(target)
            if backup is not None:
                backups.append(backup)
            os.replace(temporary, target)
            done.append((target, backup, original))
    except BaseException:
        for target, backup, original in reversed(done):
            _restore(target, backup, original)
        for _, temporary in staged:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
    finally:
        for backup in backups:
            with contextlib.suppress(OSError):
                os.unlink(backup)
    for directory in {target.parent for target, _ in staged}:
        _fsync_directory(directory)


def _restore(target: Path, backup: str | None, original: bytes | None) -> None:
    """Best effort: put ``target``'s original back (or remove a file that was new)."""
    with contextlib.suppress(OSError):
        if backup is not None:
            os.replace(backup, target)
        elif original is None:
            os.unlink(target)
        else:
            temporary = _stage(target, original)
            try:
                os.replace(temporary, target)
            except OSError:
                os.unlink(temporary)
                raise


def _keep_original(target: Path) -> tuple[str | None, bytes | None]:
    """A hard link to ``target``'s current file (or its bytes where links are refused);
    (None, None) when there is no file yet."""
    if not os.path.lexists(target):
        return None, None
    backup = str(target.parent / f".{target.name}.{os.urandom(6).hex()}.orig")
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError:
        with open(target, "rb") as stream:
            return None, stream.read()
    return backup, None


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
