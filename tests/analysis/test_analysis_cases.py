"""Fixture projects under ``cases/`` analysed with exact expected output.

Each case folder is a small project: ``.py`` files, optionally ``pyproject.toml``
(``[tool.trackplan]`` ``wrappers`` and ``posthog-version`` are read here), requirement
files, ``plan.yaml``, and ``expected.txt`` holding the exact ``path:line:col: CODE
message`` lines. ``calls.txt``, when present, lists the recognised calls as
``path:line:col: kind target event``. Set ``TRACKPLAN_REGEN=1`` to rewrite them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from trackplan.linter.analysis import AnalysisSettings, FileAnalysis, ProjectAnalyzer
from trackplan.registry.loader import load_plan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = Path(__file__).parent / "cases"
REGEN = os.environ.get("TRACKPLAN_REGEN") == "1"


def _settings(case: Path) -> AnalysisSettings:
    pyproject = case / "pyproject.toml"
    if not pyproject.is_file():
        return AnalysisSettings()
    config = tomllib.loads(pyproject.read_text()).get("tool", {}).get("trackplan", {})
    return AnalysisSettings(
        wrappers=config.get("wrappers", {}), posthog_version=config.get("posthog-version")
    )


def analyse_case(case: Path) -> tuple[list[str], list[str], list[FileAnalysis]]:
    plan = load_plan(case / "plan.yaml") if (case / "plan.yaml").is_file() else None
    analyzer = ProjectAnalyzer(case, _settings(case), plan)
    results = [analyzer.analyze_file(path) for path in sorted(case.rglob("*.py"))]
    diagnostics = sorted((d for r in results for d in r.diagnostics), key=lambda d: d.sort_key())
    findings = [
        f"{Path(d.path or '').relative_to(case)}:{d.line}:{d.column}: {d.code} {d.message}"
        for d in diagnostics
    ]
    calls = [
        f"{Path(c.path).relative_to(case)}:{c.line}:{c.column}: {c.kind} {c.target} {c.event}"
        for r in results
        for c in r.calls
    ]
    return findings, calls, results


def _check(path: Path, actual: list[str]) -> None:
    if REGEN:
        path.write_text("".join(line + "\n" for line in actual))
    expected = path.read_text().splitlines()
    assert actual == expected


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_analysis_case_matches_expected_output(case: str) -> None:
    folder = CASES / case
    findings, calls, _ = analyse_case(folder)
    _check(folder / "expected.txt", findings)
    if (folder / "calls.txt").is_file() or REGEN:
        _check(folder / "calls.txt", calls)
