"""``trackplan validate --plan PLAN [FILE...|-]``: validate event payloads against a plan.

Input is JSONL (one event or one PostHog batch body per line) or a JSON document
holding an event, an array of events or a batch body. A file whose first line is a
complete JSON value is read as JSONL; otherwise it is read as one JSON document (up
to PostHog's 20 MB body limit), and if that fails too, as JSONL so every bad line is
reported.

JSONL is read in blocks of whole lines, so memory stays constant however long the
file is: a line longer than the limit is refused (TP902) while being skipped, never
held whole; non-UTF-8, truncated and malformed lines are one TP902 result each and the
run continues. With ``--jobs N`` (default: one per CPU, up to 4, for inputs over
8 MiB) the lines are validated by N worker processes and written in input order.

Speed: a line holding one planned event that passes its compiled check (the common
case) costs one ``orjson.loads``, one dict lookup and the check, and creates no result
object; every other line takes the full :meth:`Registry.validate` path, so the output
is the same either way. Worker processes read their own newline-aligned byte ranges of
a regular file (the parent sends offsets, not data) and send back only rendered output
and counts, at most ``2 * N`` ranges in flight; text findings come back with line
numbers relative to their range, which the parent completes in order (JSON output,
where every line's number is printed, counts lines up front instead). Standard input
is read by the parent in blocks and those are sent to the workers.
Exit 0 when every event is valid, 1 otherwise, 2 for a usage or plan error.
"""

from __future__ import annotations

import gc
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, Protocol

import click
import orjson
from trackplan.linter.cli._shared import DEFAULT_PLAN, fail, load_cli_config, plan_error_lines
from trackplan.registry.diagnostics import Diagnostic
from trackplan.registry.errors import PlanError
from trackplan.registry.policy import RulePolicy
from trackplan.registry.validation import Registry, ValidationResult

if TYPE_CHECKING:  # the pool is imported only when --jobs asks for one
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["MAX_LINE_BYTES", "InputResult", "command", "iter_input_results"]

#: Longest line or document accepted: PostHog's limit for a batch body (20 MB).
MAX_LINE_BYTES = 20 * 1024 * 1024
_BLOCK = 1 << 20
#: Bytes of JSONL a worker process reads for itself per task (aligned on newlines).
_RANGE = 2 << 20
_PARALLEL_MIN_BYTES = 8 << 20
#: Workers read ranges with positional reads (POSIX); elsewhere the parent reads.
_CAN_PREAD = hasattr(os, "pread") and hasattr(os, "preadv")
_MAX_AUTO_JOBS = 4


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


# rendering ------------------------------------------------------------------------------


@dataclass
class _Counts:
    total: int = 0
    invalid: int = 0
    violations: int = 0

    def add(self, other: _Counts) -> None:
        self.total += other.total
        self.invalid += other.invalid
        self.violations += other.violations


def _violation_json(diag: Diagnostic) -> dict[str, Any]:
    return {
        "code": diag.code,
        "severity": diag.severity.value,
        "path": diag.pointer or "",
        "message": diag.message,
    }


def _text_tail(item: InputResult, diag: Diagnostic) -> str:
    """A text finding after its ``path:line`` (workers render it before knowing the line)."""
    parts = (
        f"#{item.position}" if item.position else "",
        item.result.event or "",
        diag.pointer or "",
    )
    context = " ".join(part for part in parts if part)
    suffix = f" [{context}]" if context else ""
    return f": {diag.code} {diag.message}{suffix}\n"


def _text_line(item: InputResult, diag: Diagnostic) -> str:
    return f"{item.path}:{item.line}{_text_tail(item, diag)}"


#: Text findings of a run of lines: (line relative to the run's first line, the rest).
_Tails = list[tuple[int, bytes]]


def _tails(items: Iterable[InputResult]) -> tuple[_Tails, _Counts]:
    """Like :func:`_render` in text format, with each finding's line left to fill in."""
    counts = _Counts()
    tails: _Tails = []
    for item in items:
        result = item.result
        counts.total += 1
        if result.violations:
            counts.invalid += not result.valid
            counts.violations += len(result.violations)
            tails.extend(
                (item.line, _text_tail(item, d).encode("utf-8", "backslashreplace"))
                for d in result.violations
            )
    return tails, counts


def _render(items: Iterable[InputResult], fmt: str, with_path: bool) -> tuple[bytes, _Counts]:
    """Output for some results; JSON items each start with ``,`` (the sink drops the first)."""
    counts = _Counts()
    out: list[bytes] = []
    dumps = orjson.dumps
    as_json = fmt == "json"
    for item in items:
        result = item.result
        counts.total += 1
        if result.violations:
            counts.invalid += not result.valid
            counts.violations += len(result.violations)
        elif not as_json:
            continue
        if as_json:
            obj: dict[str, Any] = {"path": item.path} if with_path else {}
            obj["line"] = item.line
            obj["index"] = item.position
            obj["event"] = result.event
            obj["valid"] = result.valid
            obj["violations"] = [_violation_json(d) for d in result.violations]
            out.append(b",\n  " + dumps(obj))
        else:
            out.extend(
                _text_line(item, d).encode("utf-8", "backslashreplace") for d in result.violations
            )
    return b"".join(out), counts


def _split(data: bytes) -> list[bytes]:
    """The lines of a block of whole lines (a last line without newline included)."""
    lines = data.split(b"\n")
    if not lines[-1]:
        lines.pop()
    return lines


class _Scanner:
    """Validates and renders blocks of JSONL lines with as little work per line as possible.

    The common line is one planned event that passes its compiled check
    (:meth:`Registry.clean_checks`): it yields no output in text format and a JSON
    object built from prepared bytes in JSON format, without a result object. Every
    other line (a batch, an invalid, unplanned or deprecated event, bad JSON, a blank
    line) takes the full path through :meth:`Registry.validate` and :func:`_render`,
    so the output is the same as validating each line on its own.
    """

    def __init__(self, registry: Registry, path: str, fmt: str, with_path: bool) -> None:
        self.registry, self.path, self.fmt, self.with_path = registry, path, fmt, with_path
        self.checks = registry.clean_checks()
        head: dict[str, Any] = {"path": path} if with_path else {}
        # Prepared JSON for a clean line: ``prefix`` + line number + ``suffix[event]``,
        # the same bytes orjson writes for the full object.
        self.prefix = b",\n  " + orjson.dumps(head)[:-1] + (b"," if with_path else b"")
        self.prefix += b'"line":'
        self.suffix = {
            name: b',"index":0,"event":' + orjson.dumps(name) + b',"valid":true,"violations":[]}'
            for name in self.checks
        }

    def block(self, block: _Block, limit: int) -> tuple[bytes, _Counts]:
        """Output and counts for one block of whole lines."""
        data = block.data
        if data is None or len(data) > limit:  # an over-long line may be inside
            return _render(_block_results(self.registry, self.path, block, limit), *self._fmt)
        lines = _split(data)
        if self.fmt == "json":
            return self._json_block(lines, block.line, limit)
        slow = self._slow_offsets(lines)
        chunk, counts = _render(self._slow_items(lines, slow, block.line, limit), *self._fmt)
        counts.total += len(lines) - len(slow)
        return chunk, counts

    def tails(self, block: _Block, limit: int) -> tuple[_Tails, _Counts, int]:
        """Text findings of one block (see :func:`_tails`), counts, and its number of lines."""
        data = block.data
        if data is None:
            return (*_tails(_block_results(self.registry, self.path, block, limit)), 1)
        lines = _split(data)
        if len(data) > limit:
            items = _block_results(self.registry, self.path, block, limit)
            return (*_tails(items), len(lines))
        slow = self._slow_offsets(lines)
        tails, counts = _tails(self._slow_items(lines, slow, block.line, limit))
        counts.total += len(lines) - len(slow)
        return tails, counts, len(lines)

    def _slow_offsets(self, lines: list[bytes]) -> list[int]:
        """Offsets of the lines that are not one cleanly valid planned event."""
        loads, checks = orjson.loads, self.checks
        slow: list[int] = []
        for offset, raw in enumerate(lines):
            # The common line in one expression; anything unusual (bad JSON, not an
            # object, no or an unplanned event name, a check that raises) lands in
            # ``except`` and takes the full path, which reports it properly.
            try:
                body = loads(raw)
                if checks[body["event"]](body) and "batch" not in body:
                    continue
            except Exception:  # decided on the full path
                pass
            slow.append(offset)
        return slow

    def _slow_items(
        self, lines: list[bytes], slow: list[int], first: int, limit: int
    ) -> Iterator[InputResult]:
        registry, path = self.registry, self.path
        for offset in slow:
            yield from _line_results(registry, path, first + offset, lines[offset], limit)

    def _json_block(self, lines: list[bytes], first: int, limit: int) -> tuple[bytes, _Counts]:
        loads, checks = orjson.loads, self.checks
        prefix, suffix = self.prefix, self.suffix
        out: list[bytes] = []
        append = out.append
        counts = _Counts()
        clean = 0
        for offset, raw in enumerate(lines):
            try:
                body = loads(raw)
                name = body["event"]
                if checks[name](body) and "batch" not in body:
                    clean += 1
                    append(b"%s%d%s" % (prefix, first + offset, suffix[name]))
                    continue
            except Exception:  # decided on the full path below
                pass
            items = _line_results(self.registry, self.path, first + offset, raw, limit)
            chunk, more = _render(items, *self._fmt)
            counts.add(more)
            append(chunk)
        counts.total += clean
        return b"".join(out), counts

    @property
    def _fmt(self) -> tuple[str, bool]:
        return self.fmt, self.with_path


class _Sink:
    """Writes rendered chunks in order and the closing summary or bracket."""

    def __init__(self, out: IO[bytes], fmt: str) -> None:
        self.out, self.fmt, self.counts, self.first = out, fmt, _Counts(), True
        if fmt == "json":
            out.write(b"[")

    def write(self, chunk: bytes, counts: _Counts) -> None:
        self.counts.add(counts)
        if self.fmt == "json" and self.first and chunk:
            chunk, self.first = chunk[1:], False
        self.out.write(chunk)

    def close(self) -> _Counts:
        c = self.counts
        if self.fmt == "json":
            self.out.write(b"\n]\n" if c.total else b"]\n")
        else:
            summary = (
                f"{c.total} event{'s' if c.total != 1 else ''} checked, {c.invalid} invalid, "
                f"{c.violations} violation{'s' if c.violations != 1 else ''}\n"
            )
            self.out.write(summary.encode())
        return c


# worker processes -----------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(plan_path: str, policy: RulePolicy) -> None:
    if "registry" not in _WORKER:  # forked workers inherit the parent's registry
        _WORKER["registry"] = Registry.load(plan_path, policy=policy)


def _scanner(path: str, fmt: str, with_path: bool) -> _Scanner:
    """This process's scanner for one input (built once per file and format)."""
    key = (path, fmt, with_path)
    scanner: _Scanner | None = _WORKER.get("scanner")
    if scanner is None or _WORKER.get("scanner_key") != key:
        scanner = _Scanner(_WORKER["registry"], path, fmt, with_path)
        _WORKER["scanner"], _WORKER["scanner_key"] = scanner, key
    return scanner


def _work(path: str, block: _Block, fmt: str, with_path: bool, limit: int) -> tuple[bytes, _Counts]:
    """Task: one block the parent read (input that cannot be read twice, e.g. stdin)."""
    return _scanner(path, fmt, with_path).block(block, limit)


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


def _work_range(
    path: str, start: int, end: int, line_no: int, fmt: str, with_path: bool, limit: int
) -> tuple[bytes, _Counts]:
    """Task: the whole lines in bytes ``[start, end)`` of ``path``, read by the worker.

    The parent only finds the newline-aligned range and its first line number, so no
    input crosses the process boundary; only the rendered output and counts come back.
    """
    scanner = _scanner(path, fmt, with_path)
    fd = os.open(path, os.O_RDONLY)
    try:
        if end - start <= 2 * _RANGE:  # the usual case: one read, one block
            return scanner.block(_Block(line_no, os.pread(fd, end - start, start)), limit)
        out: list[bytes] = []
        counts = _Counts()
        for block in _blocks(_RangeReader(fd, start, end), line_no, limit):
            chunk, more = scanner.block(block, limit)
            out.append(chunk)
            counts.add(more)
        return b"".join(out), counts
    finally:
        os.close(fd)


def _work_text_range(
    path: str, start: int, end: int, with_path: bool, limit: int
) -> tuple[_Tails, _Counts, int]:
    """Task: text findings of the whole lines in bytes ``[start, end)`` of ``path``.

    Line numbers are relative to the range (the parent adds where it starts, learnt
    from the line counts of the ranges before it), so nobody counts lines twice.
    """
    scanner = _scanner(path, "text", with_path)
    fd = os.open(path, os.O_RDONLY)
    try:
        if end - start <= 2 * _RANGE:  # the usual case: one read, one block
            return scanner.tails(_Block(0, os.pread(fd, end - start, start)), limit)
        tails: _Tails = []
        counts = _Counts()
        lines = 0
        for block in _blocks(_RangeReader(fd, start, end), 0, limit):
            more, more_counts, more_lines = scanner.tails(block, limit)
            tails.extend(more)
            counts.add(more_counts)
            lines += more_lines
        return tails, counts, lines
    finally:
        os.close(fd)


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


_Task = tuple[Callable[..., Any], tuple[Any, ...]]


def _in_order(pool: ProcessPoolExecutor, tasks: Iterable[_Task], jobs: int) -> Iterator[Any]:
    """Results of tasks run on the pool, in task order, at most ``2 * jobs`` in flight."""
    pending: deque[Future[Any]] = deque()
    for func, args in tasks:
        pending.append(pool.submit(func, *args))
        if len(pending) >= 2 * jobs:  # a bounded window keeps memory constant
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _auto_jobs(files: Sequence[str]) -> int:
    size = sum(os.path.getsize(f) for f in files if f != "-")
    if size < _PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(_MAX_AUTO_JOBS, os.cpu_count() or 1))


def _validate_file(
    registry: Registry,
    name: str,
    sink: _Sink,
    pool: ProcessPoolExecutor | None,
    jobs: int,
    fmt: str,
    with_path: bool,
) -> None:
    limit = MAX_LINE_BYTES
    if name == "-":
        path, stream, handle = "<stdin>", sys.stdin.buffer, None
    else:
        handle = open(name, "rb", buffering=_BLOCK)  # noqa: SIM115 - closed below
        path, stream = name, handle
    try:
        done, line_no, prefix = _split_first(registry, stream, path, limit)
        sink.write(*_render(done, fmt, with_path))
        if line_no is None:
            return
        if pool is None:
            scanner = _Scanner(registry, path, fmt, with_path)
            for block in _blocks(stream, line_no, limit, prefix):
                sink.write(*scanner.block(block, limit))
            return
        if handle is None or prefix or not _CAN_PREAD or not os.path.isfile(name):
            # Input that cannot be read twice (stdin, a pipe): the parent reads blocks.
            tasks: Iterator[_Task] = (
                (_work, (path, block, fmt, with_path, limit))
                for block in _blocks(stream, line_no, limit, prefix)
            )
            for chunk, counts in _in_order(pool, tasks, jobs):
                sink.write(chunk, counts)
            return
        # A regular file: each worker reads its own range (aligned on newlines).
        fd, offset = handle.fileno(), handle.tell()
        if fmt == "json":  # every line's number is in the output: count them here
            tasks = (
                (_work_range, (name, start, end, first, fmt, with_path, limit))
                for start, end, first in _ranges(fd, offset, line_no)
            )
            for chunk, counts in _in_order(pool, tasks, jobs):
                sink.write(chunk, counts)
            return
        prefix_text = path.encode("utf-8", "backslashreplace")
        tasks = (
            (_work_text_range, (name, start, end, with_path, limit))
            for start, end in _aligned_ranges(fd, offset)
        )
        for tails, counts, lines in _in_order(pool, tasks, jobs):
            chunk = b"".join([b"%s:%d%s" % (prefix_text, line_no + n, t) for n, t in tails])
            sink.write(chunk, counts)
            line_no += lines
    finally:
        if handle is not None:
            handle.close()


def _validate_inputs(
    registry: Registry, plan_path: Path, files: Sequence[str], fmt: str, jobs: int
) -> _Counts:
    _WORKER["registry"] = registry
    # Everything built so far (modules, the compiled plan) lives until exit: moving it
    # out of the collector's reach keeps forked workers from copying its pages (the
    # collector writes to every object it visits) and the final collection at exit
    # short (~30 ms on a large run). Objects of the run itself are freed as before.
    gc.freeze()
    sink = _Sink(sys.stdout.buffer, fmt)
    with_path = len(files) > 1
    pool = None
    if jobs > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        pool = ProcessPoolExecutor(
            jobs,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker,
            initargs=(str(plan_path), registry.policy),
        )
    try:
        for name in files:
            _validate_file(registry, name, sink, pool, jobs, fmt, with_path)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    counts = sink.close()
    sys.stdout.buffer.flush()
    return counts


@click.command("validate")
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(exists=True, path_type=Path),
    help="Plan file or directory [default: [tool.trackplan] plan, else plans/].",
)
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Worker processes for JSONL input (0: one per CPU, up to 4, for inputs over 8 MiB).",
)
def command(plan_path: Path | None, files: tuple[str, ...], output_format: str, jobs: int) -> None:
    """Validate event payloads (JSONL, a JSON event, an array or a batch body) against a plan.

    FILE may be `-` (or omitted) for standard input.
    """
    inputs = list(files) or ["-"]
    missing = [f for f in inputs if f != "-" and not Path(f).is_file()]
    if missing:
        raise click.UsageError("input file does not exist: " + ", ".join(missing))
    config = load_cli_config(Path.cwd())
    plan_path = plan_path or config.plan or DEFAULT_PLAN
    try:
        registry = Registry.load(plan_path, policy=config.policy)
    except PlanError as exc:
        fail(plan_error_lines(exc.diagnostics, Path.cwd()))
    except Exception as exc:  # a plan the engine cannot compile is a plan error
        click.echo(f"{plan_path}: plan cannot be compiled for validation: {exc}", err=True)
        sys.exit(2)
    try:
        counts = _validate_inputs(
            registry, plan_path, inputs, output_format, jobs or _auto_jobs(inputs)
        )
    except BrokenPipeError:  # e.g. `| head`: the reader is gone, stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:
        click.echo(f"input/output error: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # e.g. a worker process died: report, never a traceback
        click.echo(f"validation failed: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)
    sys.exit(1 if counts.invalid else 0)
