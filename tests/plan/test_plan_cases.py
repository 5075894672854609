"""The plan fixture corpus: each `cases/<case>/` is checked by a real `trackplan check`.

A case holds `plan.yaml` (or a `plan/` directory), optionally `args.txt` (extra CLI
arguments, whitespace-separated) and `expected.txt`: the exact stdout followed by a
last line `[exit N]`. Run with `TRACKPLAN_REGEN=1` to rewrite the expected files
(then review the diff).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from suite_support import run_cli

CASES = Path(__file__).parent / "cases"


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def _run(case: Path) -> str:
    plan = "plan" if (case / "plan").is_dir() else "plan.yaml"
    args_file = case / "args.txt"
    extra = args_file.read_text().split() if args_file.exists() else []
    done = run_cli("check", *extra, plan, cwd=case, timeout=60)
    assert "Traceback" not in done.stderr, done.stderr
    return f"{done.stdout}[exit {done.returncode}]\n"


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_plan_case_output_matches_expected(case: Path) -> None:
    actual = _run(case)
    expected_file = case / "expected.txt"
    if os.environ.get("TRACKPLAN_REGEN"):
        expected_file.write_text(actual)
    assert actual == expected_file.read_text()
