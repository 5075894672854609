"""Rendering ``trackplan validate`` results: text or JSON output, counts, the ordered sink.

Speed: a line holding one planned event that passes its compiled check (the common
case) costs one ``orjson.loads``, one dict lookup and the check, and creates no result
object (:class:`_Scanner`); every other line takes the full :meth:`Registry.validate`
path, so the output is the same either way. The same code renders in the parent and in
the worker processes; :class:`_Sink` writes the chunks in input order and the summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson
from trackplan.linter.validate.input import InputResult, _Block, _block_results, _line_results
from trackplan.registry.diagnostics import Diagnostic
from trackplan.registry.validation import Registry, ValidationResult

__all__ = ["_Counts", "_Scanner", "_Sink", "_Tails", "_render"]


@dataclass
class _Counts:
    total: int = 0
    invalid: int = 0
    violations: int = 0

    def count(self, result: ValidationResult) -> bool:
        """Count one event's result; True when it has violations to show."""
        self.total += 1
        if not result.violations:
            return False
        self.invalid += not result.valid
        self.violations += len(result.violations)
        return True

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


# Rendered tails by (id of the diagnostic, position, event). The registry hands out the
# same Diagnostic objects for a repeated mistake, so an invalid-heavy stream renders
# each distinct finding once; the entry keeps its diagnostic alive (its id stays its).
_TAIL_CACHE: dict[tuple[int, int, str | None], tuple[Diagnostic, bytes]] = {}
_TAIL_CACHE_SIZE = 20_000


def _tail_bytes(item: InputResult, diag: Diagnostic) -> bytes:
    """``_text_tail`` encoded, from the cache when this finding was rendered before."""
    key = (id(diag), item.position, item.result.event)
    hit = _TAIL_CACHE.get(key)
    if hit is not None and hit[0] is diag:
        return hit[1]
    if len(_TAIL_CACHE) >= _TAIL_CACHE_SIZE:
        _TAIL_CACHE.clear()
    tail = _text_tail(item, diag).encode("utf-8", "backslashreplace")
    _TAIL_CACHE[key] = (diag, tail)
    return tail


#: Text findings of a run of lines: (line relative to the run's first line, the rest).
_Tails = list[tuple[int, bytes]]


def _tails(items: Iterable[InputResult]) -> tuple[_Tails, _Counts]:
    """Like :func:`_render` in text format, with each finding's line left to fill in."""
    counts = _Counts()
    tails: _Tails = []
    for item in items:
        result = item.result
        if counts.count(result):
            tails.extend((item.line, _tail_bytes(item, d)) for d in result.violations)
    return tails, counts


def _render(items: Iterable[InputResult], fmt: str, with_path: bool) -> tuple[bytes, _Counts]:
    """Output for some results; JSON items each start with ``,`` (the sink drops the first)."""
    counts = _Counts()
    out: list[bytes] = []
    dumps = orjson.dumps
    as_json = fmt == "json"
    for item in items:
        result = item.result
        if not counts.count(result) and not as_json:
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
            head = f"{item.path}:{item.line}".encode("utf-8", "backslashreplace")
            out.extend(head + _tail_bytes(item, d) for d in result.violations)
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
        self.checks = registry.clean_checks(parsed_json=True)  # orjson's output
        head: dict[str, Any] = {"path": path} if with_path else {}
        # Prepared JSON for a clean line: ``prefix`` + line number + ``suffix(event)``,
        # the same bytes orjson writes for the full object.
        self.prefix = b",\n  " + orjson.dumps(head)[:-1] + (b"," if with_path else b"")
        self.prefix += b'"line":'
        self._suffixes: dict[str, bytes] = {}  # filled per event name as lines show up

    def suffix(self, name: str) -> bytes:
        """The prepared end of a clean line's JSON object for event ``name``."""
        found = self._suffixes.get(name)
        if found is None:
            found = b',"index":0,"event":' + orjson.dumps(name) + b',"valid":true,"violations":[]}'
            self._suffixes[name] = found
        return found

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

    def _slow_offsets(self, lines: list[bytes]) -> list[tuple[int, Any]]:
        """The lines that are not one cleanly valid planned event, with their event.

        Each is ``(offset, body)``: ``body`` is the parsed event when the line held
        one event whose clean check said no (the full path then skips parsing and
        checking it again), else None.
        """
        loads, checks = orjson.loads, self.checks
        slow: list[tuple[int, Any]] = []
        for offset, raw in enumerate(lines):
            # The common line in one expression; anything unusual (bad JSON, not an
            # object, no or an unplanned event name, a check that raises) lands in
            # ``except`` and takes the full path, which reports it properly.
            body = None
            try:
                body = loads(raw)
                if checks[body["event"]](body) and "batch" not in body:
                    continue
            except Exception:  # decided on the full path
                pass
            slow.append((offset, body if type(body) is dict and "batch" not in body else None))
        return slow

    def _slow_items(
        self, lines: list[bytes], slow: list[tuple[int, Any]], first: int, limit: int
    ) -> Iterator[InputResult]:
        registry, path = self.registry, self.path
        for offset, body in slow:
            if body is not None and len(lines[offset]) <= limit:
                yield InputResult(path, first + offset, 0, registry.explain(body, parsed_json=True))
            else:
                yield from _line_results(registry, path, first + offset, lines[offset], limit)

    def _json_block(self, lines: list[bytes], first: int, limit: int) -> tuple[bytes, _Counts]:
        loads, checks = orjson.loads, self.checks
        prefix, suffix = self.prefix, self.suffix
        out: list[bytes] = []
        append = out.append
        counts = _Counts()
        clean = 0
        for offset, raw in enumerate(lines):
            body = None
            try:
                body = loads(raw)
                name = body["event"]
                if checks[name](body) and "batch" not in body:
                    clean += 1
                    append(b"%s%d%s" % (prefix, first + offset, suffix(name)))
                    continue
            except Exception:  # decided on the full path below
                pass
            items: Iterable[InputResult]
            if type(body) is dict and "batch" not in body and len(raw) <= limit:
                items = (
                    InputResult(
                        self.path, first + offset, 0, self.registry.explain(body, parsed_json=True)
                    ),
                )
            else:
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
