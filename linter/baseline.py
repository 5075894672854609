"""Baselines: grandfather today's findings so a codebase can adopt trackplan gradually.

``trackplan lint --write-baseline FILE`` records every current finding;
``--baseline FILE`` then reports only findings that are not in it, plus one info
finding (TP903) per entry whose finding has gone, so the baseline shrinks over time.

An entry is keyed by the file path (relative to the baseline file's directory), the
code, the event name and a fingerprint of the call's source text (lines ``line`` to
``end_line``, whitespace and trailing commas removed), never by line number: moving or re-indenting
code does not resurface a grandfathered finding, editing the call does. Identical keys
are counted (two identical bad calls in one file are one entry with ``count: 2``).

The file is deterministic, sorted JSON with one entry per line, so it diffs well and a
stale entry can be reported at its own line. It is written atomically and read with a
size cap, as JSON without NaN or numbers beyond 64 bits (orjson), then checked key by
key: anything that is not a baseline is a :class:`BaselineError` naming the file, which
the CLI reports as a usage error (exit 2).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from trackplan.linter.limits import BASELINE_MAX_BYTES, SOURCE_READ_MAX_BYTES
from trackplan.linter.outcomes import _text_safe
from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.fileio import InputFileError, atomic_write_text, read_bytes_capped
from trackplan.registry.rules import diagnostic

__all__ = [
    "Baseline",
    "BaselineError",
    "BaselineKey",
    "fingerprint",
    "render_baseline",
    "write_baseline",
]

FORMAT_VERSION = 1

BaselineKey = tuple[str, str, str, str]
"""``(path, code, event, fingerprint)``; ``event`` is ``""`` when unknown."""


class BaselineError(Exception):
    """The baseline file cannot be read or is not a trackplan baseline (a usage error)."""


_SPACE = re.compile(r"\s+")
_TRAILING_COMMA = re.compile(r",([)\]}])")


def _normalise(text: str) -> str:
    """Whitespace and trailing commas removed: reformatting (black, ruff) is not a change."""
    return _TRAILING_COMMA.sub(r"\1", _SPACE.sub("", text))


def _source_span(path: str, line: int, end_line: int | None) -> str | None:
    try:
        data = read_bytes_capped(path, SOURCE_READ_MAX_BYTES)
    except OSError:  # also a FIFO or device (never opened) or a file over the cap
        return None
    lines = data.decode("utf-8", errors="replace").splitlines()
    last = max(line, end_line or line)
    if line < 1 or line > len(lines):
        return None
    return "\n".join(lines[line - 1 : last])


def fingerprint(diag: Diagnostic) -> str:
    """A short stable hash of what the finding is about, independent of its line number.

    For a finding in a file: the normalised source of its line span. Without
    a readable span (no location, file gone): the message.
    """
    text: str | None = None
    if diag.path and diag.line:
        text = _source_span(diag.path, diag.line, diag.end_line)
    basis = f"src:{_normalise(text)}" if text is not None else f"msg:{_normalise(diag.message)}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def _relative(path: str | None, base: Path) -> str:
    if not path:
        return ""
    absolute = Path(os.path.abspath(path))
    try:
        return Path(os.path.relpath(absolute, base)).as_posix()
    except ValueError:  # another drive on Windows
        return absolute.as_posix()


def _key(diag: Diagnostic, base: Path) -> BaselineKey:
    # a file name that is not UTF-8 is kept with its escapes (\udcff), on both sides
    rel = _text_safe(_relative(diag.path, base))
    return (rel, diag.code, _text_safe(diag.event or ""), fingerprint(diag))


def _base_of(path: Path) -> Path:
    return Path(os.path.abspath(path)).parent


def _render(counts: Counter[BaselineKey]) -> str:
    lines = ["{", f'  "version": {FORMAT_VERSION},', '  "entries": [']
    entries = []
    for (rel, code, event, print_), count in sorted(counts.items()):
        entry = {"code": code, "count": count, "event": event, "fingerprint": print_, "path": rel}
        entries.append("    " + json.dumps(entry, sort_keys=True, ensure_ascii=False))
    if not entries:
        return "{\n" + f'  "version": {FORMAT_VERSION},\n' + '  "entries": []\n}\n'
    lines.append(",\n".join(entries))
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def render_baseline(path: str | Path, diagnostics: Iterable[Diagnostic]) -> str:
    """The text :func:`write_baseline` would write to ``path`` (for callers that write
    several files as one change, like ``init``)."""
    base = _base_of(Path(path))
    counts: Counter[BaselineKey] = Counter(
        _key(diag, base) for diag in diagnostics if diag.severity is not Severity.INFO
    )
    return _render(counts)


def write_baseline(path: str | Path, diagnostics: Iterable[Diagnostic]) -> int:
    """Record ``diagnostics`` in the baseline file at ``path``; returns the entry count.

    Written atomically; :class:`BaselineError` when it cannot be (the path is a device,
    a FIFO or a directory, the directory is read-only, the disk is full).

    Info-severity findings (including stale-entry reports) are not recorded: they never
    fail a run, so there is nothing to grandfather.
    """
    target = Path(path)
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise BaselineError(f"{target}: cannot write baseline: {exc.strerror or exc}") from None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        # never replace a device, a FIFO or a directory with a file
        raise BaselineError(f"{target}: cannot write baseline: not a regular file")
    base = _base_of(target)
    counts: Counter[BaselineKey] = Counter(
        _key(diag, base) for diag in diagnostics if diag.severity is not Severity.INFO
    )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, _render(counts))
    except OSError as exc:
        raise BaselineError(f"{target}: cannot write baseline: {exc.strerror or exc}") from None
    return len(counts)


@dataclass(frozen=True)
class _Entry:
    key: BaselineKey
    count: int
    line: int


@dataclass
class Baseline:
    """A loaded baseline. ``split`` separates new findings from grandfathered ones."""

    path: Path
    entries: Sequence[_Entry] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        """Read a baseline file; :class:`BaselineError` (one line naming the file) if it is
        missing, not a regular file, over :data:`~trackplan.linter.limits.BASELINE_MAX_BYTES`,
        not UTF-8, not JSON, or not shaped like a baseline."""
        source = Path(path)
        try:
            data_bytes = read_bytes_capped(source, BASELINE_MAX_BYTES)
        except InputFileError as exc:
            raise BaselineError(f"{source}: cannot read baseline: {exc.reason}") from None
        try:
            text = data_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BaselineError(
                f"{source}: cannot read baseline: not UTF-8 (invalid byte at offset {exc.start})"
            ) from None
        try:
            data = orjson.loads(data_bytes)
        except orjson.JSONDecodeError as exc:
            raise BaselineError(
                f"{source}:{exc.lineno}:{exc.colno}: baseline is not valid JSON: {exc.msg}"
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise BaselineError(f"{source}: not a trackplan baseline (no `entries` list)")
        version = data.get("version")
        if type(version) is not int or version != FORMAT_VERSION:
            shown = repr(version) if not isinstance(version, (dict, list)) else type(version)
            raise BaselineError(
                f"{source}: unsupported baseline version {shown} (expected {FORMAT_VERSION})"
            )
        unknown = sorted(str(key) for key in data if key not in ("version", "entries"))
        if unknown:
            raise BaselineError(f"{source}: not a trackplan baseline (unknown key `{unknown[0]}`)")
        lines = _entry_lines(text)
        entries: list[_Entry] = []
        for index, raw in enumerate(data["entries"]):
            entries.append(_parse_entry(source, index, raw, lines))
        return cls(source, entries)

    def split(
        self,
        diagnostics: Iterable[Diagnostic],
        *,
        scope: Iterable[str | Path] | None = None,
    ) -> tuple[list[Diagnostic], list[Diagnostic]]:
        """``(new, stale)``: findings not covered by the baseline, and TP903 info findings
        for entries (or parts of an entry's count) no current finding matches.

        Within one key the first ``count`` findings in output order are covered.
        ``scope`` is what the run looked at (files or directories; None: everything):
        an entry for a file outside it is never stale, since its findings were not
        looked for (pre-commit passes only the changed files). ``scope=()`` reports no
        stale entries at all, as after ``--changed-since`` filtering.
        """
        base = _base_of(self.path)
        in_scope = _scope_test(scope, base)
        remaining: Counter[BaselineKey] = Counter()
        for entry in self.entries:
            remaining[entry.key] += entry.count
        new: list[Diagnostic] = []
        for diag in sorted(diagnostics, key=Diagnostic.sort_key):
            key = _key(diag, base)
            if diag.severity is not Severity.INFO and remaining[key] > 0:
                remaining[key] -= 1
            else:
                new.append(diag)
        stale: list[Diagnostic] = []
        for entry in self.entries:
            left = min(remaining[entry.key], entry.count)
            if left <= 0 or not in_scope(entry.key[0]):
                continue
            remaining[entry.key] -= left
            rel, code, event, _ = entry.key
            what = f"{code} for event `{event}`" if event else code
            part = f" ({left} of {entry.count})" if left != entry.count else ""
            stale.append(
                diagnostic(
                    "TP903",
                    f"stale baseline entry{part}: {what} in {rel or '<no file>'} no longer"
                    " occurs; regenerate the baseline with --write-baseline",
                    path=str(self.path),
                    line=entry.line,
                    column=5,
                    event=event or None,
                )
            )
        return new, stale


def _scope_test(scope: Iterable[str | Path] | None, base: Path) -> Callable[[str], bool]:
    """Whether a baseline-relative path lies at or under one of the ``scope`` paths."""
    if scope is None:
        return lambda rel: True
    roots = [os.path.abspath(path) for path in scope]

    def test(rel: str) -> bool:
        target = os.path.abspath(base / rel)
        return any(
            target == root or target.startswith(root.rstrip(os.sep) + os.sep) for root in roots
        )

    return test


def _entry_lines(text: str) -> list[int]:
    """Line number of each entry object, for files written one entry per line."""
    lines: list[int] = []
    in_entries = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not in_entries and '"entries"' in stripped:
            in_entries = True
            continue
        if in_entries and stripped.startswith("{"):
            lines.append(number)
    return lines


_ENTRY_KEYS = ("path", "code", "event", "fingerprint")


def _parse_entry(source: Path, index: int, raw: object, lines: list[int]) -> _Entry:
    line = lines[index] if index < len(lines) else 1
    where = f"{source}:{line}: baseline entry {index}"
    if not isinstance(raw, dict):
        raise BaselineError(f"{where} is not an object")
    unknown = sorted(key for key in raw if key not in (*_ENTRY_KEYS, "count"))
    if unknown:
        raise BaselineError(f"{where}: unknown key `{_shown(unknown[0])}`")
    values: list[str] = []
    for name in _ENTRY_KEYS:
        value = raw.get(name, "")
        if not isinstance(value, str):
            raise BaselineError(f"{where}: `{name}` must be a string")
        values.append(value)
    count = raw.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= _MAX_COUNT:
        raise BaselineError(f"{where}: `count` must be a positive integer (at most {_MAX_COUNT})")
    if not values[1]:
        raise BaselineError(f"{where}: `code` is missing")
    return _Entry((values[0], values[1], values[2], values[3]), count, line)


_MAX_COUNT = 1 << 31


def _shown(key: str) -> str:
    """A key for a one-line message: at most 40 characters, escapes visible."""
    text = key.encode("unicode_escape").decode("ascii")
    return text if len(text) <= 40 else text[:37] + "..."
