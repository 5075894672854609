"""The comparison of two plans: :func:`diff_plans` and its result :class:`PlanDiff`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from trackplan.registry.evolution.changes import Change, classify
from trackplan.registry.evolution.compat import Incompatibility, Side, check_direction
from trackplan.registry.evolution.modes import DIRECTIONS, directions_of, modes_broken
from trackplan.registry.evolution.versions import bump_satisfied, required_bump
from trackplan.registry.plan import Plan
from trackplan.registry.policy import RulePolicy

__all__ = ["LENIENT_NOTE", "Change", "Incompatibility", "PlanDiff", "diff_plans"]

#: Said in every report made with ``assume_open_properties_unused``.
LENIENT_NOTE = (
    "--assume-open-properties-unused is on: keys an open event does not declare are "
    "treated as absent from payloads (not the strict default)"
)


@dataclass
class PlanDiff:
    """Everything ``trackplan diff`` reports about OLD -> NEW."""

    changes: list[Change]
    incompatibilities: list[Incompatibility]
    bump: str
    old_version: int | str
    new_version: int | str
    assume_open_properties_unused: bool = False
    notes: list[str] = field(default_factory=list)

    def compatible(self, direction: str) -> bool:
        return not any(i.direction == direction for i in self.incompatibilities)

    def ok(self, mode: str) -> bool:
        return all(self.compatible(d) for d in directions_of(mode))

    def version_problem(self) -> Change | None:
        """TP724 when NEW's ``version`` is not bumped as much as the changes require."""
        try:
            if bump_satisfied(self.old_version, self.new_version, self.bump):
                return None
        except ValueError:
            pass
        return Change(
            "TP724",
            f"version {self.old_version} -> {self.new_version}: "
            f"these changes need a {self.bump} version bump",
            None,
            "/version",
        )

    def to_dict(self, mode: str) -> dict[str, Any]:
        return {
            "mode": mode,
            "compatible": self.ok(mode),
            "backward": self.compatible("backward"),
            "forward": self.compatible("forward"),
            "assume_open_properties_unused": self.assume_open_properties_unused,
            "version": {
                "old": self.old_version,
                "new": self.new_version,
                "required_bump": self.bump,
            },
            "changes": [_change_dict(c) for c in self.changes],
            "incompatibilities": [i.to_dict() for i in self.incompatibilities],
            "notes": list(self.notes),
        }


def _change_dict(change: Change) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": change.code,
        "message": change.message,
        "event": change.event,
        "pointer": change.pointer,
        "old": f"{change.old.path}:{change.old.line}" if change.old else None,
        "new": f"{change.new.path}:{change.new.line}" if change.new else None,
        "breaks": sorted(change.breaks),
        "breaks_modes": modes_broken(change.breaks),
        "witnesses": {d: info.get("witness") for d, info in sorted(change.breaks.items())},
    }
    if change.events:
        out["events"] = list(change.events)
    return out


def diff_plans(
    old: Plan,
    new: Plan,
    *,
    policy: RulePolicy | None = None,
    directions: Sequence[str] = DIRECTIONS,
    assume_open_properties_unused: bool = False,
) -> PlanDiff:
    """Compare ``old`` with ``new`` under ``policy`` (the defaults when None)."""
    policy = policy or RulePolicy()
    a, b = Side(old, policy), Side(new, policy)
    lenient = assume_open_properties_unused
    found: list[Incompatibility] = []
    if "backward" in directions:
        found += check_direction("backward", a, b, assume_unused=lenient)
    if "forward" in directions:
        found += check_direction("forward", b, a, assume_unused=lenient)
    changes = classify(old, new)
    _attach(changes, found)
    bump = required_bump(
        backward=not any(i.direction == "backward" for i in found),
        forward=not any(i.direction == "forward" for i in found),
        changed=bool(changes) or old.digest != new.digest,
        checked=tuple(directions),
    )
    notes = [LENIENT_NOTE] if lenient else []
    return PlanDiff(changes, found, bump, old.version, new.version, lenient, notes)


#: Changes to a whole event: every incompatibility of that event is theirs.
_EVENT_LEVEL = frozenset({"TP701", "TP702", "TP703", "TP704"})


def _matches(change: Change, issue: Incompatibility) -> bool:
    if change.code == "TP722":
        return issue.pointer.startswith(("/$set", "/properties/$set"))
    if change.code == "TP721":
        return issue.event in change.events and (
            issue.pointer == change.pointer or issue.pointer.startswith(change.pointer + "/")
        )
    events = change.events or (change.event,)
    if issue.event not in events:
        return False
    if change.code in _EVENT_LEVEL:
        return True
    if change.pointer in ("/event", "/properties") or issue.pointer in ("/event", ""):
        return change.pointer == issue.pointer or issue.pointer in ("/event", "")
    return change.pointer == issue.pointer or change.pointer.startswith(issue.pointer + "/")


def _attach(changes: list[Change], found: list[Incompatibility]) -> None:
    by_event: dict[str | None, list[Change]] = {}
    for change in changes:
        for event in change.events or (change.event,):
            by_event.setdefault(event, []).append(change)
    for issue in found:
        candidates = [*by_event.get(issue.event, ()), *by_event.get(None, ())]
        # A proven break belongs to the changes of a kind that can cause it; an
        # unproven one ("cannot prove") to every change at that place.
        matched = [
            c
            for c in candidates
            if (issue.direction in c.can_break or not issue.proven) and _matches(c, issue)
        ]
        if not matched:
            other = Change(
                "TP723",
                f"payloads changed validity: {issue.reason}",
                issue.event,
                issue.pointer,
            )
            changes.append(other)
            by_event.setdefault(issue.event, []).append(other)
            matched = [other]
        for change in matched:
            info = change.breaks.setdefault(issue.direction, {"witness": None, "proven": False})
            if issue.proven and not info["proven"]:
                info.update(witness=issue.witness, proven=True)
