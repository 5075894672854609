"""Running ``trackplan validate`` over its inputs, with or without worker processes.

With ``--jobs N`` (default: one per CPU, up to 4, for inputs over 8 MiB) the lines are
validated by N worker processes and written in input order. Worker processes read their
own newline-aligned byte ranges of a regular file (the parent sends offsets, not data)
and send back only rendered output and counts, at most ``2 * N`` ranges in flight; text
findings come back with line numbers relative to their range, which the parent
completes in order (JSON output, where every line's number is printed, counts lines up
front instead). Standard input is read by the parent in blocks and those are sent to
the workers.

A worker (forked, or spawned where fork is unavailable) finds its initialiser and task
functions here by name and keeps its registry and scanner in this module's ``_WORKER``.
"""

from __future__ import annotations

import gc
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trackplan.linter.validate.input import (
    _BLOCK,
    _RANGE,
    MAX_LINE_BYTES,
    _aligned_ranges,
    _Block,
    _blocks,
    _RangeReader,
    _ranges,
    _split_first,
)
from trackplan.linter.validate.output import _Counts, _render, _Scanner, _Sink, _Tails
from trackplan.registry.patterns import MAX_PATTERN_INPUT
from trackplan.registry.policy import RulePolicy
from trackplan.registry.validation import Registry

if TYPE_CHECKING:  # the pool is imported only when --jobs asks for one
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["_WORKER", "_auto_jobs", "_init_worker", "_validate_inputs"]

_PARALLEL_MIN_BYTES = 8 << 20
#: Workers read ranges with positional reads (POSIX); elsewhere the parent reads.
_CAN_PREAD = hasattr(os, "pread") and hasattr(os, "preadv")
_MAX_AUTO_JOBS = 4


# worker processes -----------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(
    plan_path: str, policy: RulePolicy, max_pattern_input: int = MAX_PATTERN_INPUT
) -> None:
    if "registry" not in _WORKER:  # forked workers inherit the parent's registry
        _WORKER["registry"] = Registry.load(
            plan_path, policy=policy, max_pattern_input=max_pattern_input
        )


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
            initargs=(str(plan_path), registry.policy, registry.max_pattern_input),
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
