"""Reading TOML files that belong to the user: bounded in size, nesting and parse time.

Contract:
- ``read_toml(path)`` returns ``(text, document)`` or raises :class:`TomlFileError` (one
  line: path, line, column, reason) when the file is not a regular file, is larger than
  :data:`MAX_TOML_BYTES`, is not UTF-8 or is not valid TOML. It never raises anything else
  (no ``RecursionError``, no ``ValueError`` from a huge integer) and its time is linear in
  the file's size.
- Before parsing, the text is made safe for the parser (``tomllib`` is recursive in value
  nesting and quadratic in dotted-key length): a value nested deeper than
  :data:`MAX_NESTING` arrays or inline tables, a key of more than :data:`MAX_KEY_PARTS`
  dotted parts and a decimal integer literal of more than :data:`MAX_INT_DIGITS` digits are
  each replaced by a marker (a string, or a quoted key part, starting with NUL: no TOML file
  can hold a NUL unescaped, and nothing trackplan reads accepts one). The rest of the
  document parses as written, so such a value in someone else's table is harmless; the
  reader of *our* table finds the marker with :func:`marker_problem` and reports the key.
- ``table_at(document, *keys)`` is the tolerant way to read someone else's table: the
  mapping at that key path, or None whenever any step is missing or is not a table.
- ``strings_in(value)`` yields the string items of an array (nothing for any other shape).

Nothing here imports the registry or the CLI.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from trackplan.registry.fileio import InputFileError, read_text_capped

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = [
    "MAX_INT_DIGITS",
    "MAX_KEY_PARTS",
    "MAX_NESTING",
    "MAX_TOML_BYTES",
    "TomlFileError",
    "marker_problem",
    "parse_toml",
    "read_toml",
    "strings_in",
    "table_at",
]

#: Largest pyproject.toml read (1 MiB: real ones are a few KB; the biggest we know of are
#: under 100 KB).
MAX_TOML_BYTES = 1 << 20
#: Arrays / inline tables nested inside one value (real files nest 2 or 3).
MAX_NESTING = 32
#: Parts of one dotted key or table header (``a.b.c`` has 3).
MAX_KEY_PARTS = 32
#: Digits of a decimal integer literal (Python refuses more than 4,300 in ``int()``).
MAX_INT_DIGITS = 1000

_TOO_DEEP = "\x00trackplan:too-deep"
_TOO_LONG_KEY = "\x00trackplan:key-too-long"
_TOO_LARGE = "\x00trackplan:integer-too-large"
_MARKERS = {
    _TOO_DEEP: f"is nested more than {MAX_NESTING} levels deep (trackplan's limit)",
    _TOO_LONG_KEY: f"has more than {MAX_KEY_PARTS} dotted parts (trackplan's limit)",
    _TOO_LARGE: f"is an integer of more than {MAX_INT_DIGITS} digits (trackplan's limit)",
}


class TomlFileError(Exception):
    """A TOML file cannot be used at all; ``str()`` is one line for the user."""

    def __init__(self, path: str, line: int, column: int, reason: str) -> None:
        self.path, self.line, self.column, self.reason = path, line, column, reason
        super().__init__(f"{path}:{line}:{column}: {reason}")


def read_toml(path: str | Path, limit: int = MAX_TOML_BYTES) -> tuple[str, dict[str, Any]]:
    """The file's text and parsed document (see the module contract)."""
    try:
        text = read_text_capped(path, limit)
    except InputFileError as error:
        raise TomlFileError(str(path), 1, 1, f"cannot read: {error.reason}") from None
    return text, parse_toml(text, str(path))


def parse_toml(text: str, path: str = "") -> dict[str, Any]:
    """``tomllib.loads`` of ``text`` made safe (see the module contract)."""
    try:
        return tomllib.loads(_defuse(text))
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"at line (\d+), column (\d+)", str(error))
        if match:
            line, column = int(match[1]), int(match[2])
        else:  # "(at end of document)"
            line = text.count("\n") + 1
            column = len(text) - (text.rfind("\n") + 1) + 1
        reason = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", str(error))
        reason += "" if match else " (at the end of the file)"
        raise TomlFileError(path, line, column, f"invalid TOML: {reason}") from None
    except (ValueError, RecursionError, MemoryError) as error:  # defensive: never a traceback
        raise TomlFileError(path, 1, 1, f"cannot be parsed: {type(error).__name__}") from None


def table_at(document: object, *keys: str) -> Mapping[str, Any] | None:
    """The table at ``keys`` in ``document``; None when absent or any step is not a table."""
    node = document
    for key in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node if isinstance(node, Mapping) else None


def strings_in(value: object) -> Iterator[str]:
    """The string items of ``value`` when it is an array; nothing otherwise."""
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))


def marker_problem(text: str) -> str | None:
    """Why a string (key or value) from a parsed document is unusable, or None.

    A string holding a NUL is either one of :func:`parse_toml`'s markers (the value or key
    was over a limit) or a NUL the user wrote as ``\\u0000``: neither can be a path, a
    pattern or a name.
    """
    if "\x00" not in text:
        return None
    for marker, message in _MARKERS.items():
        if text.startswith(marker):
            return message
    return "contains a NUL character"


# -- making the text safe to parse ---------------------------------------------------------

_DIGITS = re.compile(rf"[+-]?[0-9][0-9_]{{{MAX_INT_DIGITS},}}")
_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _needs_defusing(text: str) -> bool:
    if text.count("[") + text.count("{") > MAX_NESTING:
        return True
    if text.count(".") >= MAX_KEY_PARTS and any(
        line.count(".") >= MAX_KEY_PARTS for line in text.splitlines()
    ):
        return True
    return _DIGITS.search(text) is not None


def _defuse(text: str) -> str:
    """``text`` with every over-limit value and key replaced by a marker (linear time)."""
    if not _needs_defusing(text):
        return text
    edits = _Scanner(text).scan()
    if not edits:
        return text
    out: list[str] = []
    position = 0
    for start, end, replacement in edits:
        out += [text[position:start], replacement]
        position = end
    out.append(text[position:])
    return "".join(out)


def _marker_value(marker: str, replaced: str) -> str:
    """A TOML string holding ``marker`` and the replaced text's newlines (lines keep their
    numbers, so the parser's error positions stay true)."""
    newlines = replaced.count("\n")
    escaped = marker.replace("\x00", "\\u0000")
    if not newlines:
        return f'"{escaped}"'
    return f'"""{escaped}' + "\n" * newlines + '"""'


class _Scanner:
    """A forgiving TOML lexer that finds the spans :func:`_defuse` replaces.

    It only tracks what it needs (strings, comments, keys, brackets); on text that is not
    TOML it may find nothing or something odd, and the parser then reports the real error.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.edits: list[tuple[int, int, str]] = []
        self.keys = 0

    def scan(self) -> list[tuple[int, int, str]]:
        text, n = self.text, len(self.text)
        stack: list[str] = []  # "[" or "{" containers of the current value
        expect_key = True
        while self.i < n:
            c = text[self.i]
            if c == "\n":
                self.i += 1
                if not stack:
                    expect_key = True
            elif c in " \t\r":
                self.i += 1
            elif c == "#":
                self._skip_comment()
            elif expect_key and not stack and c == "[":
                self._header()
            elif expect_key and c not in ",}]":
                self._key()
                expect_key = False
                if self.i < n and text[self.i] == "=":
                    self.i += 1
            elif c in "[{":
                if len(stack) >= MAX_NESTING:
                    start = self.i
                    self._skip_container()
                    replaced = text[start : self.i]
                    self.edits.append((start, self.i, _marker_value(_TOO_DEEP, replaced)))
                    continue
                stack.append(c)
                self.i += 1
                expect_key = c == "{"
            elif c in "]}":
                if stack:
                    stack.pop()
                self.i += 1
                expect_key = False
            elif c == ",":
                self.i += 1
                expect_key = bool(stack) and stack[-1] == "{"
            elif c in "\"'":
                self._skip_string()
            else:
                self._bare_value()
        return self.edits

    # -- pieces ------------------------------------------------------------------------

    def _skip_comment(self) -> None:
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end < 0 else end

    def _skip_string(self) -> None:
        text, n = self.text, len(self.text)
        quote = text[self.i]
        if text.startswith(quote * 3, self.i):
            i = self.i + 3
            while i < n:
                if text[i] == "\\" and quote == '"':
                    i += 2
                elif text.startswith(quote * 3, i):
                    i += 3
                    extra = 0
                    while i < n and text[i] == quote and extra < 2:  # quotes before the end
                        i += 1
                        extra += 1
                    break
                else:
                    i += 1
            self.i = min(i, n)
            return
        i = self.i + 1
        while i < n:
            ch = text[i]
            if ch == "\n":
                break
            if ch == "\\" and quote == '"':
                i += 2
                continue
            i += 1
            if ch == quote:
                break
        self.i = min(i, n)

    def _skip_container(self) -> None:
        """From an opening bracket to just past its match (or the end of the text)."""
        text, n = self.text, len(self.text)
        depth = 0
        while self.i < n:
            c = text[self.i]
            if c in "\"'":
                self._skip_string()
                continue
            if c == "#":
                self._skip_comment()
                continue
            self.i += 1
            if c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
                if depth == 0:
                    return

    def _bare_value(self) -> None:
        text, n, start = self.text, len(self.text), self.i
        while self.i < n and text[self.i] not in " \t\r\n,]}#":
            self.i += 1
        if self.i == start:  # a character the lexer does not know: step over it
            self.i += 1
            return
        token = text[start : self.i]
        if len(token) > MAX_INT_DIGITS and _DIGITS.fullmatch(token):
            self.edits.append((start, self.i, _marker_value(_TOO_LARGE, token)))

    def _key(self) -> None:
        """A (dotted) key up to its ``=`` or ``]``; a key of too many parts is cut."""
        text, n = self.text, len(self.text)
        parts: list[tuple[int, int]] = []
        while self.i < n:
            c = text[self.i]
            if c in " \t":
                self.i += 1
            elif c in "\"'":
                start = self.i
                self._skip_string()
                parts.append((start, self.i))
            elif c in _BARE:
                start = self.i
                while self.i < n and text[self.i] in _BARE:
                    self.i += 1
                parts.append((start, self.i))
            elif c == ".":
                self.i += 1
            else:
                break
        if len(parts) > MAX_KEY_PARTS:
            self.keys += 1
            marker = _TOO_LONG_KEY.replace("\x00", "\\u0000")
            keep_end = parts[MAX_KEY_PARTS - 1][1]
            replacement = f'."{marker}:{self.keys}"'
            self.edits.append((keep_end, parts[-1][1], replacement))

    def _header(self) -> None:
        text = self.text
        self.i += 1
        if self.i < len(text) and text[self.i] == "[":
            self.i += 1
        self._key()
        end = text.find("\n", self.i)
        self.i = len(text) if end < 0 else end
