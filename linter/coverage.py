"""Plan coverage: which planned events the code captures, and which captured events are unplanned.

This is the ``ampli status`` / ``avo status`` job done against the calls the analyzer
recognises (raw SDK calls and declared wrappers), not against generated code:

- TP601 for a planned, non-deprecated event that no call captures (at its plan entry);
- TP602 for a funnel step that no call captures (at the funnel's plan entry);
- TP201 for an event captured in code that the plan does not declare (at the call).

PostHog's own ``$`` events are never "unplanned".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trackplan.linter.analysis.model import TrackingCall
from trackplan.linter.reporters import relative_path
from trackplan.registry.diagnostics import Diagnostic
from trackplan.registry.fileio import read_text_capped
from trackplan.registry.plan import Plan
from trackplan.registry.rules import diagnostic
from trackplan.registry.yaml_source import MAX_FILE_BYTES

__all__ = ["CoverageReport", "EventCoverage", "FunnelCoverage", "compute_coverage"]


@dataclass(frozen=True)
class EventCoverage:
    """One event: planned or not, deprecated or not, and every call that captures it."""

    name: str
    planned: bool
    deprecated: bool
    calls: tuple[TrackingCall, ...]

    @property
    def captured(self) -> bool:
        return bool(self.calls)


@dataclass(frozen=True)
class FunnelCoverage:
    """A funnel and, per step, the calls that capture it."""

    name: str
    steps: tuple[EventCoverage, ...]
    location: tuple[str, int, int] | None = None

    @property
    def complete(self) -> bool:
        return all(step.captured for step in self.steps)


@dataclass
class CoverageReport:
    """The coverage of one plan by one set of calls."""

    plan: Plan
    events: list[EventCoverage] = field(default_factory=list)
    funnels: list[FunnelCoverage] = field(default_factory=list)

    @property
    def planned(self) -> list[EventCoverage]:
        return [e for e in self.events if e.planned]

    @property
    def uncaptured(self) -> list[EventCoverage]:
        """Planned, non-deprecated events no call captures."""
        return [e for e in self.events if e.planned and not e.deprecated and not e.captured]

    @property
    def unplanned(self) -> list[EventCoverage]:
        return [e for e in self.events if not e.planned]

    def diagnostics(self) -> list[Diagnostic]:
        """TP601 / TP602 / TP201 findings, sorted."""
        out: list[Diagnostic] = []
        for event in self.uncaptured:
            spec = self.plan.event(event.name)
            where: dict[str, Any] = {}
            if spec is not None and spec.location is not None:
                loc = spec.location
                where = {"path": loc.path, "line": loc.line, "column": loc.column}
            out.append(
                diagnostic(
                    "TP601",
                    f"planned event `{event.name}` is never captured in the code",
                    event=event.name,
                    **where,
                )
            )
        for funnel in self.funnels:
            for step in funnel.steps:
                if step.captured:
                    continue
                where = {}
                if funnel.location is not None:
                    path, line, column = funnel.location
                    where = {"path": path, "line": line, "column": column}
                out.append(
                    diagnostic(
                        "TP602",
                        f"funnel `{funnel.name}` step `{step.name}` is never captured in the code",
                        event=step.name,
                        **where,
                    )
                )
        for event in self.unplanned:
            for call in event.calls:
                out.append(
                    diagnostic(
                        "TP201",
                        f"event `{event.name}` is captured here but not in the plan",
                        event=event.name,
                        path=call.path,
                        line=call.line,
                        column=call.column,
                        end_line=call.end_line,
                        end_column=call.end_column,
                    )
                )
        return sorted(out, key=Diagnostic.sort_key)

    def to_json(self, cwd: Path) -> dict[str, Any]:
        """A JSON-ready summary (paths relative to ``cwd``)."""

        def sites(calls: Iterable[TrackingCall]) -> list[str]:
            return [f"{relative_path(c.path, cwd)}:{c.line}:{c.column}" for c in calls]

        planned = self.planned
        captured = [e for e in planned if e.captured]
        return {
            "summary": {
                "planned": len(planned),
                "captured": len(captured),
                "uncaptured": len(self.uncaptured),
                "unplanned": len(self.unplanned),
            },
            "events": [
                {
                    "event": e.name,
                    "planned": e.planned,
                    "deprecated": e.deprecated,
                    "captured_at": sites(e.calls),
                }
                for e in self.events
            ],
            "funnels": [
                {
                    "funnel": f.name,
                    "complete": f.complete,
                    "steps": [{"event": s.name, "captured_at": sites(s.calls)} for s in f.steps],
                }
                for f in self.funnels
            ],
        }

    def render_text(self, cwd: Path) -> list[str]:
        """The funnel walk-through and the summary line, for the text format."""
        lines: list[str] = []
        for funnel in self.funnels:
            lines.append(f"funnel {funnel.name}:")
            for number, step in enumerate(funnel.steps, start=1):
                where = ", ".join(f"{relative_path(c.path, cwd)}:{c.line}" for c in step.calls)
                lines.append(f"  {number}. {step.name}: {where or 'NOT CAPTURED'}")
        planned = self.planned
        captured = sum(1 for e in planned if e.captured)
        share = f" ({100 * captured // len(planned)}%)" if planned else ""
        lines.append(
            f"{len(planned)} planned event(s), {captured} captured{share},"
            f" {len(self.uncaptured)} never captured, {len(self.unplanned)} unplanned"
        )
        return lines


def _funnel_locations(plan: Plan) -> dict[str, tuple[str, int, int]]:
    """Where each funnel is written: the plan model keeps no location for funnels."""
    found: dict[str, tuple[str, int, int]] = {}
    for source in plan.sources:
        try:
            lines = read_text_capped(source, MAX_FILE_BYTES).splitlines()
        except OSError:  # also not UTF-8, not a regular file, over the plan size cap
            continue
        in_funnels = False
        for number, line in enumerate(lines, start=1):
            if re.match(r"^funnels\s*:", line):
                in_funnels = True
                continue
            if in_funnels and line and not line[0].isspace() and not line.startswith("#"):
                in_funnels = False
            if not in_funnels:
                continue
            match = re.match(r"^(\s+)([\"']?)([^\"':#]+)\2\s*:", line)
            if match and match.group(3).strip() in plan.funnels:
                found.setdefault(match.group(3).strip(), (source, number, len(match.group(1)) + 1))
    return found


def compute_coverage(plan: Plan, calls: Iterable[TrackingCall]) -> CoverageReport:
    """Coverage of ``plan`` by ``calls`` (events in plan order, then unplanned by name)."""
    by_event: dict[str, list[TrackingCall]] = {}
    for call in sorted(calls, key=lambda c: (c.path, c.line, c.column)):
        if call.event:
            by_event.setdefault(call.event, []).append(call)
    events: list[EventCoverage] = []
    for name, spec in plan.events.items():
        events.append(
            EventCoverage(name, True, bool(spec.deprecated), tuple(by_event.get(name, ())))
        )
    for name in sorted(by_event):
        if name not in plan.events and not name.startswith("$"):
            events.append(EventCoverage(name, False, False, tuple(by_event[name])))
    index: Mapping[str, EventCoverage] = {e.name: e for e in events}
    locations = _funnel_locations(plan)
    funnels = [
        FunnelCoverage(
            name,
            tuple(
                index.get(step) or EventCoverage(step, False, False, tuple(by_event.get(step, ())))
                for step in steps
            ),
            locations.get(name),
        )
        for name, steps in plan.funnels.items()
    ]
    return CoverageReport(plan, events, funnels)
