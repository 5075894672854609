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
8 MiB) blocks are validated by N worker processes and written in input order.
Exit 0 when every event is valid, 1 otherwise, 2 for a usage or plan error.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

import click
import orjson
from trackplan.linter.cli._shared import DEFAULT_PLAN, fail, load_cli_config, plan_error_lines
from trackplan.registry.diagnostics import Diagnostic
from trackplan.registry.errors import PlanError
from trackplan.registry.policy import RulePolicy
from trackplan.registry.validation import Registry, ValidationResult

__all__ = ["MAX_LINE_BYTES", "InputResult", "command", "iter_input_results"]

#: Longest line or document accepted: PostHog's limit for a batch body (20 MB).
MAX_LINE_BYTES = 20 * 1024 * 1024
_BLOCK = 1 << 20
_PARALLEL_MIN_BYTES = 8 << 20
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


def _blocks(stream: IO[bytes], line_no: int, limit: int, prefix: bytes = b"") -> Iterator[_Block]:
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


def _first_part(
    registry: Registry, stream: IO[bytes], path: str, limit: int
) -> tuple[list[InputResult], Iterator[_Block] | None]:
    """Decide JSONL or document: results so far, and the JSONL blocks still to read."""
    first = stream.readline(limit + 1)
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:]
    if len(first) > limit and not first.endswith(b"\n"):
        return [], _blocks(stream, 1, limit, first)
    try:
        orjson.loads(first)
    except orjson.JSONDecodeError:
        pass
    else:
        return list(_line_results(registry, path, 1, first, limit)), _blocks(stream, 2, limit)
    if not first.strip():
        return [], _blocks(stream, 2, limit)
    # Not a complete JSON value on its first line: try the whole input as one document.
    document = first + stream.read(limit + 1 - len(first))
    if len(document) <= limit:
        try:
            body = orjson.loads(document)
        except orjson.JSONDecodeError:
            pass
        else:
            results = registry.validate_body(body)
            return [InputResult(path, 1, i, r) for i, r in enumerate(results)], None
    return [], _blocks(stream, 1, limit, document)


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


def _text_line(item: InputResult, diag: Diagnostic) -> str:
    parts = (
        f"#{item.position}" if item.position else "",
        item.result.event or "",
        diag.pointer or "",
    )
    context = " ".join(part for part in parts if part)
    suffix = f" [{context}]" if context else ""
    return f"{item.path}:{item.line}: {diag.code} {diag.message}{suffix}\n"


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


def _work(path: str, block: _Block, fmt: str, with_path: bool, limit: int) -> tuple[bytes, _Counts]:
    registry: Registry = _WORKER["registry"]
    return _render(_block_results(registry, path, block, limit), fmt, with_path)


def _run_blocks(
    blocks: Iterator[_Block],
    path: str,
    sink: _Sink,
    pool: ProcessPoolExecutor | None,
    jobs: int,
    fmt: str,
    with_path: bool,
) -> None:
    registry: Registry = _WORKER["registry"]
    if pool is None:
        for block in blocks:
            sink.write(
                *_render(_block_results(registry, path, block, MAX_LINE_BYTES), fmt, with_path)
            )
        return
    pending: deque[Future[tuple[bytes, _Counts]]] = deque()
    for block in blocks:
        pending.append(pool.submit(_work, path, block, fmt, with_path, MAX_LINE_BYTES))
        if len(pending) >= 2 * jobs:  # a bounded window keeps memory constant
            sink.write(*pending.popleft().result())
    while pending:
        sink.write(*pending.popleft().result())


def _auto_jobs(files: Sequence[str]) -> int:
    size = sum(os.path.getsize(f) for f in files if f != "-")
    if size < _PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(_MAX_AUTO_JOBS, os.cpu_count() or 1))


def _validate_inputs(
    registry: Registry, plan_path: Path, files: Sequence[str], fmt: str, jobs: int
) -> _Counts:
    _WORKER["registry"] = registry
    sink = _Sink(sys.stdout.buffer, fmt)
    with_path = len(files) > 1
    pool = None
    if jobs > 1:
        import multiprocessing

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        pool = ProcessPoolExecutor(
            jobs,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker,
            initargs=(str(plan_path), registry.policy),
        )
    try:
        for name in files:
            if name == "-":
                path, stream, handle = "<stdin>", sys.stdin.buffer, None
            else:
                handle = open(name, "rb", buffering=_BLOCK)  # noqa: SIM115 - closed below
                path, stream = name, handle
            try:
                done, blocks = _first_part(registry, stream, path, MAX_LINE_BYTES)
                sink.write(*_render(done, fmt, with_path))
                if blocks is not None:
                    _run_blocks(blocks, path, sink, pool, jobs, fmt, with_path)
            finally:
                if handle is not None:
                    handle.close()
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
