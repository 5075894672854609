"""Shared helpers for the plan-evolution tests: the case corpus and its loading."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from trackplan.registry.diagnostics import Severity
from trackplan.registry.evolution.diff import PlanDiff, diff_plans
from trackplan.registry.loader import load_plan
from trackplan.registry.plan import Plan
from trackplan.registry.policy import RulePolicy

CASES = Path(__file__).parent / "cases"
VERDICTS = ("compatible", "incompatible", "cannot_prove")


@dataclass
class Case:
    """One pair of plans with the expected verdicts and change codes."""

    name: str
    old: Plan
    new: Plan
    backward: str
    forward: str
    codes: list[str]
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def policy(self) -> RulePolicy:
        levels = self.options.get("severity", {})
        severity = {code: Severity(level) for code, level in levels.items()}
        return RulePolicy(severity=severity)

    @property
    def lenient(self) -> bool:
        return bool(self.options.get("assume_open_properties_unused", False))

    def diff(self) -> PlanDiff:
        return diff_plans(
            self.old, self.new, policy=self.policy, assume_open_properties_unused=self.lenient
        )


def _side(directory: Path, stem: str) -> Path:
    as_dir = directory / stem
    return as_dir if as_dir.is_dir() else directory / f"{stem}.yaml"


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "expected.yaml").is_file())


def load_case(name: str) -> Case:
    directory = CASES / name
    expected = yaml.safe_load((directory / "expected.yaml").read_text(encoding="utf-8"))
    assert expected["backward"] in VERDICTS and expected["forward"] in VERDICTS
    return Case(
        name,
        load_plan(_side(directory, "old")),
        load_plan(_side(directory, "new")),
        expected["backward"],
        expected["forward"],
        list(expected["codes"]),
        dict(expected.get("options") or {}),
    )


def verdict(diff: PlanDiff, direction: str) -> str:
    """``compatible``, ``incompatible`` (a proven witness) or ``cannot_prove``."""
    issues = [i for i in diff.incompatibilities if i.direction == direction]
    if not issues:
        return "compatible"
    return "incompatible" if any(i.proven for i in issues) else "cannot_prove"
