"""Draft a plan from the tracking calls found in the code.

Every captured event becomes a planned event with the property keys its call sites
send, typed from their literal values (several types become a list; a value that is
not a literal gets no type), a ``# seen at path:line`` comment per call site and TODO
descriptions. An event whose name breaks the naming rules is written with
``naming: legacy`` (a grandfathered name: renaming a live event splits its history)
and a comment suggesting the rename.

The YAML is generated text, not a dump, so it can carry those comments; every key and
string is written as a JSON string, which YAML reads unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trackplan.linter.analysis.model import TrackingCall
from trackplan.linter.reporters import relative_path
from trackplan.registry.naming.config import Naming

__all__ = ["DraftEvent", "DraftPlan", "draft_plan", "render_plan"]

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


@dataclass
class DraftPlan:
    """The drafted events (in name order) and the rendered YAML."""

    events: list[DraftEvent]
    text: str
    calls: int
    files: int

    @property
    def renames(self) -> list[DraftEvent]:
        return [event for event in self.events if event.legacy]


def _key(text: str) -> str:
    if text and set(text) <= _PLAIN and not text[0].isdigit() and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


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
    calls: Iterable[TrackingCall], cwd: Path, naming: Naming | None = None
) -> list[DraftEvent]:
    """Group capture calls by event; PostHog's own ``$`` events are left out."""
    events: dict[str, DraftEvent] = {}
    for call in sorted(calls, key=lambda c: (c.path, c.line, c.column)):
        if call.kind != "capture" or not call.event or call.event.startswith("$"):
            continue
        event = events.setdefault(call.event, DraftEvent(call.event))
        where = f"{relative_path(call.path, cwd)}:{call.line}"
        if where not in event.seen_at:
            event.seen_at.append(where)
        for key, kind in (call.properties or {}).items():
            if key.startswith("$"):
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
            lines.append(f"    # seen at {where}")
        if event.legacy:
            for problem in event.problems:
                lines.append(f"    # breaks the naming rules: {problem}")
            if event.suggestion:
                lines.append(f"    # suggested rename: {event.suggestion}")
            lines.append("    naming: legacy")
        lines.append(
            f'    description: "TODO: what `{_escape(event.name)}` means and when it is sent"'
        )
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


def _escape(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1].replace("`", "'")


def draft_plan(calls: Sequence[TrackingCall], cwd: Path, naming: Naming | None = None) -> DraftPlan:
    """Draft the plan for ``calls`` (paths in comments are relative to ``cwd``)."""
    events = collect_events(calls, cwd, naming)
    used = [c for c in calls if c.kind == "capture" and c.event and not c.event.startswith("$")]
    files = len({c.path for c in used})
    return DraftPlan(events, render_plan(events, calls=len(used), files=files), len(used), files)


def summarise(events: Sequence[DraftEvent]) -> Mapping[str, int]:
    """Counts for the command's closing message."""
    return {
        "events": len(events),
        "properties": sum(len(e.properties) for e in events),
        "renames": sum(1 for e in events if e.legacy),
    }
