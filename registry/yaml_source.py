"""Safe YAML reading that remembers where every value was written.

Plan files never go through PyYAML's object constructors: :class:`_Builder` reads
libyaml's event stream (``CSafeLoader``'s parser when available, else the pure-Python
``SafeLoader``'s) and builds plain JSON-like Python values in one pass with an explicit
stack, recording for every value the 1-based line and column of its node, keyed by JSON
Pointer. Building from events rather than from ``yaml.compose`` avoids libyaml's
recursive C composer (which crashes the interpreter on very deep input) and a second walk
over a node tree.

The builder is where the safety checks live: duplicate mapping keys (pyyaml silently
keeps the last one), alias bombs and recursive aliases (capped by the number of
expanded values), nesting depth, non-string keys and tags with no JSON meaning.
Numbers JSON cannot carry are TP002 at their position and reading goes on: NaN and
infinities (``.nan``, ``-.Inf``, ``1e400``, which overflows) and integers over
:data:`MAX_INT_DIGITS` digits. Unreadable input (not a regular file, too big, not
UTF-8, not YAML) becomes a TP001 diagnostic with the position from the YAML error
mark; nothing here raises on bad input.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from trackplan.registry.diagnostics import Diagnostic
from trackplan.registry.fileio import InputFileError, read_bytes_capped
from trackplan.registry.payloads import escape_pointer
from trackplan.registry.rules import diagnostic

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_INT_DIGITS",
    "MAX_NODES",
    "YamlDocument",
    "escape_pointer",
    "parse_yaml",
    "read_yaml",
]

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pyyaml built without libyaml
    _Loader = yaml.SafeLoader

#: Plan files larger than this are refused before they are read.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: Deepest nesting of mappings and lists accepted (libyaml's C composer recurses
#: without a limit and crashes the interpreter on a document nested ~20,000 deep).
MAX_DEPTH = 200
#: Cap on the number of values after alias expansion (a billion-laughs document
#: expands to far more; a 500-event plan is well under 100k).
MAX_NODES = 1_000_000
#: Longest integer accepted, in decimal digits (Python refuses to print or parse more
#: than 4,300 by default, so a longer one could not be exported as JSON).
MAX_INT_DIGITS = 1000
# Bits of the smallest integer with more than MAX_INT_DIGITS digits, minus one: a cheap
# first test before counting digits.
_INT_BITS = int(MAX_INT_DIGITS * math.log2(10))

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP, _MERGE, _TIMESTAMP = (f"{_TAG}{t}" for t in ("seq", "map", "merge", "timestamp"))
_resolve = cast(Callable[[type, str, Any], str], yaml.resolver.Resolver().resolve)
_constructor = yaml.constructor.SafeConstructor()
_CONSTRUCT: dict[str, Callable[[yaml.ScalarNode], Any]] = {
    _INT: _constructor.construct_yaml_int,
    _FLOAT: _constructor.construct_yaml_float,
    _BOOL: _constructor.construct_yaml_bool,
    _NULL: _constructor.construct_yaml_null,
}
_Position = tuple[int, int]


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file: its value and where each part of it was written.

    ``positions`` maps the JSON Pointer of every value to the (line, column) of its
    node; ``key_positions`` maps the pointer of every mapping entry to the position
    of its key (where an editor should put the cursor for "unknown key" errors).
    Both are stored packed (one int per position, see :func:`_pack`): positions are
    most of a parsed plan's memory.
    """

    path: str
    value: Any
    marks: Mapping[str, int] = field(default_factory=dict)
    key_marks: Mapping[str, int] = field(default_factory=dict)

    @property
    def positions(self) -> Mapping[str, tuple[int, int]]:
        return _Unpacked(self.marks)

    @property
    def key_positions(self) -> Mapping[str, tuple[int, int]]:
        return _Unpacked(self.key_marks)

    def position(self, pointer: str, *, key: bool = False) -> tuple[int, int]:
        """Position of ``pointer`` (its key when ``key``), else of its nearest ancestor."""
        if key and pointer in self.key_marks:
            return _unpack(self.key_marks[pointer])
        marks = self.marks
        while pointer not in marks:
            if not pointer:
                return (1, 1)
            pointer = pointer.rpartition("/")[0]
        return _unpack(marks[pointer])


def _pack(line: int, column: int) -> int:
    return line << 32 | column


def _unpack(mark: int) -> tuple[int, int]:
    return mark >> 32, mark & 0xFFFFFFFF


class _Unpacked(Mapping[str, tuple[int, int]]):
    """A read-only (line, column) view of a pointer -> packed position table."""

    def __init__(self, marks: Mapping[str, int]) -> None:
        self._marks = marks

    def __getitem__(self, pointer: str) -> tuple[int, int]:
        return _unpack(self._marks[pointer])

    def __iter__(self) -> Iterator[str]:
        return iter(self._marks)

    def __len__(self) -> int:
        return len(self._marks)


class _Refused(Exception):
    """Input the builder will not turn into a value (reported, never raised out)."""

    def __init__(self, code: str, message: str, at: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.position = at if isinstance(at, tuple) else (at.line + 1, at.column + 1)


# Placeholders for an integer too long for Python's ``int()`` and for a scalar its
# explicit tag cannot read (``!!int abc``); each is reported, then replaced.
_TOO_LONG = object()
_INVALID = object()


def _shown(text: str) -> str:
    """A scalar's source text for a message, shortened when long."""
    return text if len(text) <= 40 else f"{text[:20]}...{text[-10:]}"


def _tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _unsupported(tag: str, mark: Any) -> _Refused:
    return _Refused(
        "TP002", f"unsupported YAML tag `{_tag(tag)}`: plans hold plain data only", mark
    )


@dataclass
class _Anchor:
    """An anchored value and the positions recorded inside it (pointers relative)."""

    value: Any
    pointers: list[str]
    marks: list[int]
    key_pointers: list[str]
    key_marks: list[int]
    size: int


@dataclass
class _Frame:
    """A mapping or list being built."""

    value: Any
    pointer: str
    anchor: str | None
    start: int
    key_start: int
    count: int
    is_map: bool
    key: str | None = None
    key_pointer: str = ""
    merge_next: bool = False
    seen: dict[str, _Position] = field(default_factory=dict)
    merges: list[tuple[Any, _Anchor | None]] = field(default_factory=list)


class _Builder:
    """Builds values and pointer -> position tables from libyaml's event stream.

    One pass over the events, with an explicit stack instead of recursion: libyaml's
    own composer recurses in C and crashes the interpreter on very deep input, and
    composing a node tree first would cost a second walk. Aliases share the anchored
    value (no copy); their positions are copied, capped by :data:`MAX_NODES`.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        # Parallel lists (pointer, packed position): no tuple per entry.
        self.pointers: list[str] = []
        self.marks: list[int] = []
        self.key_pointers: list[str] = []
        self.key_marks: list[int] = []
        self.diagnostics: list[Diagnostic] = []
        self.anchors: dict[str, _Anchor] = {}
        self.open_anchors: set[str] = set()
        self.stack: list[_Frame] = []
        self.count = 0
        self.root: Any = None
        self.documents = 0
        self.scalars: dict[tuple[Any, ...], tuple[str, Any]] = {}

    def run(self, text: str) -> Any:
        event: Any
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self.scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self.start(event, is_map=kind is yaml.MappingStartEvent)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.end()
            elif kind is yaml.AliasEvent:
                self.alias(event)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise _Refused(
                        "TP001",
                        "a plan file holds one YAML document; found a second one",
                        event.start_mark,
                    )
        return self.root

    def _counted(self, size: int, mark: Any) -> None:
        self.count += size
        if self.count > MAX_NODES:
            raise _Refused(
                "TP001",
                f"document expands to more than {MAX_NODES:,} values through aliases "
                "(alias bomb?); refusing to read it",
                mark,
            )

    def _child_pointer(self, mark: Any) -> str:
        """Pointer of the value about to be placed (checks a key is not a collection)."""
        if not self.stack:
            return ""
        top = self.stack[-1]
        if not top.is_map:
            return f"{top.pointer}/{len(top.value)}"
        if top.key is None and not top.merge_next:
            raise _Refused("TP002", "mapping key must be a string, not a mapping or list", mark)
        if top.merge_next:
            return top.pointer
        return top.key_pointer  # the key's own pointer string, shared

    def _place(self, value: Any, anchor: _Anchor | None = None) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if not top.is_map:
            top.value.append(value)
        elif top.merge_next:
            top.merges.append((value, anchor))
            top.merge_next = False
        else:
            top.value[top.key] = value
            top.key = None

    def _scalar_value(self, event: Any) -> tuple[str, Any]:
        memo = (event.tag, event.implicit, event.value)
        known = self.scalars.get(memo)
        if known is not None:
            return known
        tag = event.tag
        if tag is None or tag == "!":
            tag = _resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag in (_STR, _TIMESTAMP, _MERGE):  # JSON has no dates: keep the text
            value: Any = event.value
        elif tag in _CONSTRUCT:
            try:
                value = _CONSTRUCT[tag](yaml.ScalarNode(tag, event.value))
            except Exception:  # `!!int abc`, `!!bool maybe`; int() refuses > 4,300 digits
                digits = event.value.replace("_", "").lstrip("+-")
                long_int = tag == _INT and digits.isdigit() and len(digits) > MAX_INT_DIGITS
                value = _TOO_LONG if long_int else _INVALID
        else:
            raise _unsupported(tag, event.start_mark)
        self.scalars[memo] = (tag, value)
        return tag, value

    def _number_problem(self, value: Any, event: Any, pointer: str, position: _Position) -> Any:
        """TP002 for a number JSON cannot carry; the value to keep in its place."""
        if type(value) is float and not math.isfinite(value):
            text = _shown(event.value)
            if math.isnan(value):
                why = f"`{text}` is NaN, which JSON and JSON Schema have no value for"
            elif text.lstrip("+-").lower() in (".inf", "inf"):
                why = f"`{text}` is an infinity, which JSON and JSON Schema have no value for"
            else:
                why = f"`{text}` is too large for a JSON number (it overflows to infinity)"
            message = f"{why}; write a finite number"
        elif value is _TOO_LONG or (
            type(value) is int
            and value.bit_length() > _INT_BITS
            and len(str(abs(value))) > MAX_INT_DIGITS
        ):
            message = (
                f"integer `{_shown(event.value)}` has more than {MAX_INT_DIGITS:,} digits; "
                "plans accept integers up to that length"
            )
            # A number in its place keeps the plan-format check quiet about it; an int
            # this long could not even be printed.
            value = -math.inf if event.value.lstrip().startswith("-") else math.inf
        else:
            return value
        self.diagnostics.append(
            diagnostic(
                "TP002",
                message,
                path=self.path,
                line=position[0],
                column=position[1],
                pointer=pointer,
            )
        )
        return value

    def scalar(self, event: Any) -> None:
        mark = event.start_mark
        position = (mark.line + 1, mark.column + 1)
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_map and top.key is None and not top.merge_next:
            self.key(top, event, position)
            return
        tag, value = self._scalar_value(event)
        if tag == _MERGE:
            raise _Refused("TP002", "`<<` is only allowed as a mapping key", mark)
        self._counted(1, mark)
        pointer = self._child_pointer(mark)
        if value is _INVALID:
            self.diagnostics.append(
                diagnostic(
                    "TP002",
                    f"`{_shown(event.value)}` is not a valid `{_tag(tag)}` value",
                    path=self.path,
                    line=position[0],
                    column=position[1],
                    pointer=pointer,
                )
            )
            value = None
        elif tag in (_INT, _FLOAT):
            value = self._number_problem(value, event, pointer, position)
        mark_ = _pack(*position)
        self.pointers.append(pointer)
        self.marks.append(mark_)
        anchor = None
        if event.anchor is not None:
            anchor = self.anchors[event.anchor] = _Anchor(value, [""], [mark_], [], [], 1)
        self._place(value, anchor)

    def key(self, top: _Frame, event: Any, position: _Position) -> None:
        tag, value = self._scalar_value(event)
        if event.anchor is not None:
            self.anchors[event.anchor] = _Anchor(value, [""], [_pack(*position)], [], [], 1)
        if tag == _MERGE:
            top.merge_next = True
            return
        if tag not in (_STR, _INT):
            kind = tag.rsplit(":", 1)[-1]
            raise _Refused(
                "TP002",
                f"mapping key must be a string, not `{event.value}` ({kind})",
                event.start_mark,
            )
        key = value if type(value) is str else event.value  # memoized: one object per name
        first = top.seen.get(key)
        pointer = f"{top.pointer}/{escape_pointer(key)}"
        if first is not None:
            self.diagnostics.append(
                diagnostic(
                    "TP002",
                    f"duplicate key `{key}` (YAML keeps only the last one); "
                    f"first defined at line {first[0]}, column {first[1]}",
                    path=self.path,
                    line=position[0],
                    column=position[1],
                    pointer=pointer,
                )
            )
        top.seen[key] = position
        self.key_pointers.append(pointer)
        self.key_marks.append(_pack(*position))
        top.key = key
        top.key_pointer = pointer

    def start(self, event: Any, *, is_map: bool) -> None:
        mark = event.start_mark
        tag = event.tag
        if tag is not None and tag != "!" and tag != (_MAP if is_map else _SEQ):
            raise _unsupported(tag, mark)
        if len(self.stack) >= MAX_DEPTH:
            raise _Refused(
                "TP001",
                f"document is nested more than {MAX_DEPTH} levels deep; refusing to read it",
                mark,
            )
        self._counted(1, mark)
        pointer = self._child_pointer(mark)
        self.pointers.append(pointer)
        self.marks.append(_pack(mark.line + 1, mark.column + 1))
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.stack.append(
            _Frame(
                value={} if is_map else [],
                pointer=pointer,
                anchor=event.anchor,
                start=len(self.pointers) - 1,
                key_start=len(self.key_pointers),
                count=self.count,
                is_map=is_map,
            )
        )

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.merges:
            self._merge(frame)
        anchor = None
        if frame.anchor is not None:
            cut = len(frame.pointer)
            anchor = self.anchors[frame.anchor] = _Anchor(
                frame.value,
                [p[cut:] for p in self.pointers[frame.start :]],
                self.marks[frame.start :],
                [p[cut:] for p in self.key_pointers[frame.key_start :]],
                self.key_marks[frame.key_start :],
                self.count - frame.count + 1,
            )
            self.open_anchors.discard(frame.anchor)
        self._place(frame.value, anchor)

    def _merge(self, frame: _Frame) -> None:
        """Apply ``<<:`` merges: explicit keys win, then earlier sources."""
        sources: list[tuple[Any, _Anchor | None]] = []
        for value, anchor in frame.merges:
            if isinstance(value, list):
                sources.extend((item, None) for item in value)
            else:
                sources.append((value, anchor))
        for value, anchor in sources:
            if not isinstance(value, dict):
                raise _Refused(
                    "TP002",
                    "`<<` merge needs a mapping or a list of mappings",
                    _unpack(self.marks[frame.start]),
                )
            for key, item in value.items():
                if key in frame.value:
                    continue
                frame.value[key] = item
                if anchor is not None:
                    prefix = f"/{escape_pointer(key)}"
                    for pointers, marks, rels, source in (
                        (self.pointers, self.marks, anchor.pointers, anchor.marks),
                        (
                            self.key_pointers,
                            self.key_marks,
                            anchor.key_pointers,
                            anchor.key_marks,
                        ),
                    ):
                        for rel, mark_ in zip(rels, source, strict=True):
                            if rel == prefix or rel.startswith(prefix + "/"):
                                pointers.append(frame.pointer + rel)
                                marks.append(mark_)

    def alias(self, event: Any) -> None:
        mark = event.start_mark
        name = event.anchor
        if name in self.open_anchors:
            raise _Refused("TP001", "recursive alias: a node contains itself", mark)
        anchor = self.anchors.get(name)
        if anchor is None:
            raise _Refused("TP001", f"invalid YAML: alias `*{name}` names no anchor", mark)
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_map and top.key is None and not top.merge_next:
            raise _Refused("TP002", "mapping key must be a string, not an alias", mark)
        self._counted(anchor.size, mark)
        pointer = self._child_pointer(mark)
        if not (top is not None and top.is_map and top.merge_next):
            self.pointers.extend(pointer + rel for rel in anchor.pointers)
            self.marks.extend(anchor.marks)
            self.key_pointers.extend(pointer + rel for rel in anchor.key_pointers)
            self.key_marks.extend(anchor.key_marks)
            self.pointers.append(pointer)
            self.marks.append(_pack(mark.line + 1, mark.column + 1))
        self._place(anchor.value, anchor)


def _line_col(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    line = before.count("\n") + 1
    return line, index - (before.rfind("\n") + 1) + 1


def _yaml_error(path: str, exc: yaml.YAMLError, text: str) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_col(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"character U+{char:04X} is not allowed in YAML ({exc.reason})"
    elif mark is not None:
        line, column = mark.line + 1, mark.column + 1
        message = " ".join(p for p in (context, problem) if p) or str(exc)
    else:
        line, column = 1, 1
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        message += " (a tab: YAML indents with spaces only)"
    return diagnostic("TP001", f"invalid YAML: {message}", path=path, line=line, column=column)


def parse_yaml(text: str, path: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse YAML text; the document, or None with the TP001/TP002 reasons."""
    builder = _Builder(path)
    try:
        value = builder.run(text)
    except yaml.YAMLError as exc:
        return None, [*builder.diagnostics, _yaml_error(path, exc, text)]
    except _Refused as refused:
        line, column = refused.position
        found = diagnostic(refused.code, refused.message, path=path, line=line, column=column)
        return None, [*builder.diagnostics, found]
    marks = dict(zip(builder.pointers, builder.marks, strict=True))
    builder.pointers, builder.marks = [], []  # free them before the key table is built
    marks.setdefault("", _pack(1, 1))
    key_marks = dict(zip(builder.key_pointers, builder.key_marks, strict=True))
    return YamlDocument(path, value, marks, key_marks), builder.diagnostics


def read_yaml(path: str | Path) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Read and parse one YAML file; never raises on bad input.

    Refuses what is not a regular file (a FIFO, a device, a directory: never blocks
    on one), files over :data:`MAX_FILE_BYTES` and files that are not UTF-8 (TP001 at
    the first bad byte's line and column). A UTF-8 byte order mark is accepted.
    """
    shown = str(path)
    try:
        data = read_bytes_capped(path, MAX_FILE_BYTES)
    except InputFileError as exc:
        reason = exc.reason
        if reason.startswith("larger than"):
            reason = f"refusing to read plan files over {MAX_FILE_BYTES // 1048576} MiB ({reason})"
        return None, [
            diagnostic("TP001", f"cannot read plan file: {reason}", path=shown, line=1, column=1)
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        line, column = _line_col(good, len(good))
        return None, [
            diagnostic(
                "TP001",
                f"plan file is not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                path=shown,
                line=line,
                column=column,
            )
        ]
    return parse_yaml(text, shown)
