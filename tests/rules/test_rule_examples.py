"""Every rule's own VALID/INVALID examples, run through the real enforcement points.

Generated from the catalogue (Fixit-style): a ``plan`` example is checked with
``check_plan``, a ``payload`` example is validated by a ``Registry`` built from its plan
(a payload that is not JSON at all goes through a real ``trackplan validate``
subprocess, the only door such bytes can come through), and a ``code`` example is
analysed by ``ProjectAnalyzer`` in a temporary project holding ``app.py`` and
``plan.yaml``. An INVALID example must produce the rule's code; a VALID one must not.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from suite_support import run_cli
from trackplan.linter.analysis import AnalysisSettings, ProjectAnalyzer
from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.loader import check_plan
from trackplan.registry.plan import Plan
from trackplan.registry.rules import Example, Rule, catalogue
from trackplan.registry.validation import Registry


def _example_cases() -> Iterator[Any]:
    for code, rule in catalogue().items():
        for verdict, examples in (("valid", rule.VALID), ("invalid", rule.INVALID)):
            for number, example in enumerate(examples, 1):
                yield pytest.param(
                    rule,
                    example,
                    verdict == "invalid",
                    id=f"{code}-{verdict}-{example.kind}-{number}",
                )


def _plan_from(text: str, tmp_path: Path) -> tuple[Plan, Path]:
    """The example's plan, loaded for real; a broken example plan fails the test."""
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    result = check_plan([path])
    problems = [f"{d.code} {d.message}" for d in result.diagnostics if d.is_error]
    assert result.plan is not None and not problems, f"example plan does not load: {problems}"
    return result.plan, path


def _plan_codes(example: Example, tmp_path: Path) -> list[Diagnostic]:
    path = tmp_path / "plan.yaml"
    path.write_text(example.text, encoding="utf-8")
    return list(check_plan([path]).diagnostics)


def _payload_codes(example: Example, tmp_path: Path) -> list[Diagnostic]:
    assert example.plan is not None, "a payload example needs a plan"
    plan, plan_path = _plan_from(example.plan, tmp_path)
    try:
        payload = json.loads(example.text)
    except json.JSONDecodeError:
        return _validate_cli(example.text, plan_path, tmp_path)
    return list(Registry.from_plan(plan).validate(payload).violations)


def _validate_cli(text: str, plan_path: Path, tmp_path: Path) -> list[Diagnostic]:
    """Bytes that are not JSON, validated by the real CLI (JSONL, one line)."""
    events = tmp_path / "events.jsonl"
    events.write_text(text + "\n", encoding="utf-8")
    proc = run_cli("validate", "--plan", plan_path, "--format", "json", events, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return [
        Diagnostic(v["code"], Severity(v["severity"]), v["message"])
        for result in json.loads(proc.stdout)
        for v in result["violations"]
    ]


def _code_codes(example: Example, tmp_path: Path) -> list[Diagnostic]:
    root = tmp_path / "project"
    root.mkdir()
    plan = None
    if example.plan is not None:
        plan, _ = _plan_from(example.plan, root)
    app = root / "app.py"
    app.write_text(example.text, encoding="utf-8")
    analyzer = ProjectAnalyzer(root, AnalysisSettings(), plan)
    return list(analyzer.analyze_file(app).diagnostics)


def _diff_codes(example: Example, tmp_path: Path) -> list[Diagnostic]:
    """The TP7xx changes ``trackplan diff`` lists from the example's plan to its text."""
    from trackplan.registry.evolution.diff import diff_plans

    assert example.plan is not None, "a diff example needs its old plan"
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old, _ = _plan_from(example.plan, tmp_path / "old")
    new, _ = _plan_from(example.text, tmp_path / "new")
    result = diff_plans(old, new)
    changes = [*result.changes]
    problem = result.version_problem()
    if problem is not None:
        changes.append(problem)
    return [Diagnostic(c.code, Severity.INFO, c.message) for c in changes]


_RUNNERS: dict[str, Callable[[Example, Path], list[Diagnostic]]] = {
    "plan": _plan_codes,
    "payload": _payload_codes,
    "code": _code_codes,
    "diff": _diff_codes,
}


@pytest.mark.parametrize(("rule", "example", "invalid"), list(_example_cases()))
def test_rule_example(rule: type[Rule], example: Example, invalid: bool, tmp_path: Path) -> None:
    diagnostics = _RUNNERS[example.kind](example, tmp_path)
    found = [f"{d.code} {d.message}" for d in diagnostics]
    reported = any(d.code == rule.code for d in diagnostics)
    if invalid:
        assert reported, f"{rule.code} not reported for:\n{example.text}\ngot: {found}"
    else:
        assert not reported, f"{rule.code} reported for a valid example:\n{example.text}\n{found}"
