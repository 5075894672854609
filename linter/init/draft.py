"""Draft a plan from the tracking calls found in the code.

Every captured event becomes a planned event with the property keys its call sites
send, typed from their literal values (several types become a list; a value that is
not a literal gets no type), a ``# seen at path:line`` comment per call site and TODO
descriptions. An event whose name breaks the naming rules is written with
``naming: legacy`` (a grandfathered name: renaming a live event splits its history)
and a comment suggesting the rename.

The YAML is generated text, not a dump, so it can carry those comments. Names from the
code are data: a key that is not a plain word is a double-quoted YAML scalar, and every
character YAML would read as a line break or refuse (controls, U+0085, U+2028/9, DEL,
U+FEFF, U+FFFE/F) is written as an escape, in keys, strings and comments alike
(:func:`yaml_quoted`, :func:`comment_text`). A name that cannot be a plan key (a lone
surrogate, a NUL, one that collides with an earlier name after normalising, TP003) is
left out and listed in :attr:`DraftPlan.skipped` with the reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trackplan.linter.analysis.model import TrackingCall
from trackplan.linter.reporters import relative_path
from trackplan.registry.naming import normalise_name
from trackplan.registry.naming.config import Naming

__all__ = [
    "DraftEvent",
    "DraftPlan",
    "SkippedName",
    "comment_text",
    "draft_plan",
    "render_plan",
    "yaml_quoted",
]

_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"})
_TYPE_ORDER = ("array", "boolean", "integer", "null", "number", "object", "string")


@dataclass
class DraftEvent:
    """One event of the draft: its properties' JSON types and where it is captured."""

    name: str
    properties: dict[str, set[str]] = field(default_factory=dict)
    seen_at: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    suggestion: str | None = None

    @property
    def legacy(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True)
class SkippedName:
    """An event or property name from the code that the plan cannot hold, and why."""

    name: str
    event: str | None  # the event of a skipped property; None for a skipped event
    reason: str
    seen_at: str


@dataclass
class DraftPlan:
    """The drafted events (in name order), the rendered YAML and the names left out."""

    events: list[DraftEvent]
    text: str
    calls: int
    files: int
    skipped: list[SkippedName] = field(default_factory=list)

    @property
    def renames(self) -> list[DraftEvent]:
        return [event for event in self.events if event.legacy]


#: Characters YAML reads as line breaks or refuses in a stream, beyond the C0/C1 controls.
_UNSAFE = frozenset("\x7f\x85\u2028\u2029\ufeff\ufffe\uffff")


def _unsafe(char: str) -> bool:
    return char in _UNSAFE or unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def comment_text(text: str) -> str:
    """``text`` safe inside a one-line comment (YAML or TOML): every character that could
    end the line or that the parser refuses becomes a visible escape."""
    return "".join(_escaped(c) if _unsafe(c) else c for c in text)


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back as exactly ``text``."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif _unsafe(char):
            out.append(_escaped(char))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _key(text: str) -> str:
    if text and set(text) <= _PLAIN and not text[0].isdigit() and text.lower() not in _YAML_WORDS:
        return text
    return yaml_quoted(text)


# How a lone surrogate reaches us from the analysis workers: escaped as ``\\udXXX`` text
# (results cross the process boundary as JSON, which cannot hold one).
_ESCAPED_SURROGATE = re.compile(r"\\ud[89a-f][0-9a-f]{2}")


def key_problem(name: str) -> str | None:
    """Why ``name`` cannot be a key of the plan, or None."""
    if any(unicodedata.category(c) == "Cs" for c in name) or _ESCAPED_SURROGATE.search(name):
        return "holds a lone surrogate (not valid Unicode text, so not writable as YAML)"
    if "\x00" in name:
        return "holds a NUL character"
    return None


def _types(found: set[str]) -> list[str]:
    known = {t for t in found if t in _TYPE_ORDER}
    if "unknown" in found or not known:
        return []
    if {"integer", "number"} <= known:
        known.discard("integer")
    return [t for t in _TYPE_ORDER if t in known]


def _naming_problems(name: str, naming: Naming) -> tuple[list[str], str | None]:
    """The naming findings for ``name`` and a suggested rename (naming module, if present)."""
    try:
        from trackplan.registry.naming import check_event_name, suggest_event_name
    except ImportError:  # the naming module is not there: no naming advice
        return [], None
    problems = [f"{p.code} {p.message}" for p in check_event_name(name, naming.events)]
    if not problems:
        return [], None
    return problems, suggest_event_name(name, naming.events)


def collect_events(
    calls: Iterable[TrackingCall],
    cwd: Path,
    naming: Naming | None = None,
    skipped: list[SkippedName] | None = None,
) -> list[DraftEvent]:
    """Group capture calls by event; PostHog's own ``$`` events are left out, and so is
    every name the plan cannot hold (appended to ``skipped``)."""
    events: dict[str, DraftEvent] = {}
    owners: dict[str, str] = {}  # normalised event name -> the name that has it
    prop_owners: dict[str, str] = {}  # one namespace for the properties of every event
    left_out = skipped if skipped is not None else []
    refused: set[tuple[str | None, str]] = set()

    def skip(name: str, event: str | None, reason: str, where: str) -> None:
        if (event, name) not in refused:
            refused.add((event, name))
            left_out.append(SkippedName(name, event, reason, where))

    ordered = sorted(calls, key=lambda c: (c.path, c.line, c.column, c.event or ""))
    for call in ordered:
        if call.kind != "capture" or not call.event or call.event.startswith("$"):
            continue
        name = call.event
        where = f"{relative_path(call.path, cwd)}:{call.line}"
        problem = key_problem(name)
        owner = owners.setdefault(normalise_name(name), name) if problem is None else name
        if problem is None and owner != name:
            problem = f"collides with `{owner}` after normalising case and separators (TP003)"
        if problem is not None:
            skip(name, None, problem, where)
            continue
        event = events.setdefault(name, DraftEvent(name))
        if where not in event.seen_at:
            event.seen_at.append(where)
        for key, kind in (call.properties or {}).items():
            if key.startswith("$"):
                continue
            bad = key_problem(key)
            first = prop_owners.setdefault(normalise_name(key), key) if bad is None else key
            if bad is None and first != key:
                bad = f"collides with property `{first}` after normalising (TP003)"
            if bad is not None:
                skip(key, name, bad, where)
                continue
            event.properties.setdefault(key, set()).add(kind)
    out = [events[name] for name in sorted(events)]
    rules = naming or Naming()
    for event in out:
        event.problems, event.suggestion = _naming_problems(event.name, rules)
    return out


def render_plan(events: Sequence[DraftEvent], *, calls: int, files: int) -> str:
    """The plan YAML for ``events`` (deterministic)."""
    lines = [
        f"# Drafted by `trackplan init` from {calls} tracking call(s) in {files} file(s).",
        "# Review every TODO: say what each event means, tighten the property types,",
        "# mark properties `required: true` and close events with",
        "# `additional_properties: false` once the plan is complete.",
        "version: 1",
    ]
    if not events:
        lines.append("events: {}")
        return "\n".join(lines) + "\n"
    lines.append("events:")
    for event in events:
        lines.append(f"  {_key(event.name)}:")
        for where in event.seen_at:
            lines.append(f"    # seen at {comment_text(where)}")
        if event.legacy:
            for problem in event.problems:
                lines.append(f"    # breaks the naming rules: {comment_text(problem)}")
            if event.suggestion:
                lines.append(f"    # suggested rename: {comment_text(event.suggestion)}")
            lines.append("    naming: legacy")
        shown = event.name.replace("`", "'")
        about = f"TODO: what `{shown}` means and when it is sent"
        lines.append(f"    description: {yaml_quoted(about)}")
        if not event.properties:
            continue
        lines.append("    properties:")
        for prop in sorted(event.properties):
            lines.append(f"      {_key(prop)}:")
            types = _types(event.properties[prop])
            if len(types) == 1:
                lines.append(f"        type: {types[0]}")
            elif types:
                lines.append(f"        type: [{', '.join(types)}]")
            lines.append('        description: "TODO"')
    return "\n".join(lines) + "\n"


def draft_plan(calls: Sequence[TrackingCall], cwd: Path, naming: Naming | None = None) -> DraftPlan:
    """Draft the plan for ``calls`` (paths in comments are relative to ``cwd``)."""
    skipped: list[SkippedName] = []
    events = collect_events(calls, cwd, naming, skipped)
    used = [c for c in calls if c.kind == "capture" and c.event and not c.event.startswith("$")]
    files = len({c.path for c in used})
    text = render_plan(events, calls=len(used), files=files)
    return DraftPlan(events, text, len(used), files, skipped)


def summarise(events: Sequence[DraftEvent]) -> Mapping[str, int]:
    """Counts for the command's closing message."""
    return {
        "events": len(events),
        "properties": sum(len(e.properties) for e in events),
        "renames": sum(1 for e in events if e.legacy),
    }
