"""Reading event payloads for ``trackplan validate``: what each line or document holds.

Input is JSONL (one event or one PostHog batch body per line) or a JSON document
holding an event, an array of events or a batch body. A file whose first line is a
complete JSON value is read as JSONL; otherwise it is read as one JSON document (up
to PostHog's 20 MB body limit), and if that fails too, as JSONL so every bad line is
reported.

JSONL is read in blocks of whole lines, so memory stays constant however long the
file is: a line longer than the limit is refused (TP902) while being skipped, never
held whole; non-UTF-8, truncated and malformed lines are one TP902 result each and the
run continues. A regular file can also be cut into newline-aligned byte ranges that
worker processes read for themselves (:mod:`trackplan.linter.validate.workers`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO, Any, NamedTuple, Protocol

import orjson
from trackplan.registry.validation import Registry, ValidationResult

__all__ = [
    "MAX_LINE_BYTES",
    "_BLOCK",
    "_RANGE",
    "InputResult",
    "_Block",
    "_RangeReader",
    "_aligned_ranges",
    "_block_results",
    "_blocks",
    "_line_results",
    "_ranges",
    "_split_first",
    "iter_input_results",
]

#: Longest line or document accepted: PostHog's limit for a batch body (20 MB).
MAX_LINE_BYTES = 20 * 1024 * 1024
_BLOCK = 1 << 20
#: Bytes of JSONL a worker process reads for itself per task (aligned on newlines).
_RANGE = 2 << 20


class InputResult(NamedTuple):
    """One event's verdict in the input: 1-based ``line``, ``position`` in its batch or array."""

    path: str
    line: int
    position: int
    result: ValidationResult


# reading --------------------------------------------------------------------------------


def _too_long(limit: int) -> str:
    return f"line is longer than {limit // (1024 * 1024)} MB (PostHog's batch body limit)"


def _parse_error(data: bytes, exc: Exception) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"line is not valid UTF-8 (byte 0x{data[bad.start]:02x} at column {bad.start + 1})"
    return f"line is not valid JSON: {exc}"


def _line_results(
    registry: Registry, path: str, line_no: int, data: bytes, limit: int
) -> Iterator[InputResult]:
    """Results of one input line (nothing for a blank line)."""
    if len(data) > limit:
        yield InputResult(path, line_no, 0, registry.malformed(_too_long(limit)))
        return
    try:
        body: Any = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if data.strip():
            yield InputResult(path, line_no, 0, registry.malformed(_parse_error(data, exc)))
        return
    if type(body) is dict and "batch" not in body:
        yield InputResult(path, line_no, 0, registry.validate(body))
        return
    for index, result in enumerate(registry.validate_body(body)):
        yield InputResult(path, line_no, index, result)


class _Block(NamedTuple):
    """Whole lines starting at 1-based ``line``; ``data`` None marks one over-long line."""

    line: int
    data: bytes | None


class _Reader(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...


def _blocks(stream: _Reader, line_no: int, limit: int, prefix: bytes = b"") -> Iterator[_Block]:
    """Split a stream into blocks of whole lines, holding at most ~``limit`` bytes."""
    carry = prefix
    skipping = False
    while True:
        chunk = stream.read(_BLOCK)
        if not chunk:
            if carry and not skipping:
                yield _Block(line_no, carry)
            return
        if skipping:  # discard the rest of an over-long line
            newline = chunk.find(b"\n")
            if newline < 0:
                continue
            chunk = chunk[newline + 1 :]
            skipping = False
            line_no += 1
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
        else:
            block, carry = data[: cut + 1], data[cut + 1 :]
            yield _Block(line_no, block)
            line_no += block.count(b"\n")
        if len(carry) > limit:
            yield _Block(line_no, None)
            carry = b""
            skipping = True


def _block_results(
    registry: Registry, path: str, block: _Block, limit: int
) -> Iterator[InputResult]:
    if block.data is None:
        yield InputResult(path, block.line, 0, registry.malformed(_too_long(limit)))
        return
    lines = block.data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    loads, validate, first = orjson.loads, registry.validate, block.line
    for offset, data in enumerate(lines):
        if len(data) <= limit:  # the common case inline: one event per line
            try:
                body = loads(data)
            except orjson.JSONDecodeError:
                pass
            else:
                if type(body) is dict and "batch" not in body:
                    yield InputResult(path, first + offset, 0, validate(body))
                    continue
        yield from _line_results(registry, path, first + offset, data, limit)


def _split_first(
    registry: Registry, stream: _Reader, path: str, limit: int
) -> tuple[list[InputResult], int | None, bytes]:
    """Decide JSONL or document: results so far, then where the JSONL rest starts.

    The JSONL rest is the 1-based line number of what ``stream`` still holds (None
    when the input was one JSON document) and the bytes already read that precede it.
    """
    first = stream.readline(limit + 1)
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:]
    if len(first) > limit and not first.endswith(b"\n"):
        return [], 1, first
    try:
        orjson.loads(first)
    except orjson.JSONDecodeError:
        pass
    else:
        return list(_line_results(registry, path, 1, first, limit)), 2, b""
    if not first.strip():
        return [], 2, b""
    # Not a complete JSON value on its first line: try the whole input as one document.
    document = first + stream.read(limit + 1 - len(first))
    if len(document) <= limit:
        try:
            body = orjson.loads(document)
        except orjson.JSONDecodeError:
            pass
        else:
            results = registry.validate_body(body)
            return [InputResult(path, 1, i, r) for i, r in enumerate(results)], None, b""
    return [], 1, document


def _first_part(
    registry: Registry, stream: _Reader, path: str, limit: int
) -> tuple[list[InputResult], Iterator[_Block] | None]:
    """Decide JSONL or document: results so far, and the JSONL blocks still to read."""
    done, line_no, prefix = _split_first(registry, stream, path, limit)
    return done, None if line_no is None else _blocks(stream, line_no, limit, prefix)


def iter_input_results(
    registry: Registry, stream: IO[bytes], path: str, *, limit: int = MAX_LINE_BYTES
) -> Iterator[InputResult]:
    """Every event's result in ``stream`` (JSONL or one JSON document), lazily."""
    done, blocks = _first_part(registry, stream, path, limit)
    yield from done
    for block in blocks or ():
        yield from _block_results(registry, path, block, limit)


# newline-aligned byte ranges ------------------------------------------------------------


class _RangeReader:
    """Reads the bytes ``[start, end)`` of a file, in order (enough for :func:`_blocks`)."""

    def __init__(self, fd: int, start: int, end: int) -> None:
        self.fd, self.pos, self.end = fd, start, end

    def read(self, size: int = -1, /) -> bytes:
        size = self.end - self.pos if size < 0 else min(size, self.end - self.pos)
        data = os.pread(self.fd, size, self.pos) if size > 0 else b""
        self.pos += len(data)
        return data

    def readline(self, size: int = -1, /) -> bytes:  # pragma: no cover - unused
        raise NotImplementedError


def _aligned_ranges(fd: int, start: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of consecutive runs of whole lines of ~``_RANGE`` bytes.

    Only the bytes around each boundary are read (to end the run after a newline;
    a line longer than a run extends it to that line's end).
    """
    size = os.fstat(fd).st_size
    while start < size:
        end = start + _RANGE
        if end >= size:
            yield start, size
            return
        pos = end - 1
        while True:
            piece = os.pread(fd, 1 << 16, pos)
            newline = piece.find(b"\n")
            if newline >= 0:
                end = pos + newline + 1
                break
            if not piece:  # the file ends inside this line
                end = max(pos, start + 1)
                break
            pos += len(piece)
        yield start, end
        start = end


def _ranges(fd: int, start: int, line_no: int) -> Iterator[tuple[int, int, int]]:
    """Like :func:`_aligned_ranges`, with each run's first line number (counted here)."""
    size = os.fstat(fd).st_size
    buf = bytearray(_RANGE)
    while start < size:
        end, lines = start, 0
        while True:
            got = os.preadv(fd, [buf], end)
            if not got:  # end of file: the last line has no newline
                break
            cut = buf.rfind(b"\n", 0, got)
            if cut >= 0:
                lines = buf.count(b"\n", 0, cut + 1)
                end += cut + 1
                break
            end += got
        if end == start:
            return
        yield start, end, line_no
        line_no += lines
        start = end
