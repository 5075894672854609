"""``[tool.trackplan]`` errors: each case folder holds a pyproject.toml and the exact
stderr and exit code ``trackplan lint`` must produce for it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lint_cli_support import DATA, UPDATE, run_trackplan

CASES = sorted(p for p in (DATA / "config_cases").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_config_error_names_file_line_and_key(case: Path, tmp_path: Path) -> None:
    shutil.copy(case / "pyproject.toml", tmp_path / "pyproject.toml")
    done = run_trackplan("lint", "--no-cache", cwd=tmp_path)
    actual = done.stderr + f"[exit {done.returncode}]\n"
    if UPDATE:
        (case / "expected.txt").write_text(actual, encoding="utf-8")
    assert actual == (case / "expected.txt").read_text(encoding="utf-8")
    assert done.stdout == ""
    assert "Traceback" not in done.stderr


def test_config_is_found_from_a_subdirectory(project: Path) -> None:
    done = run_trackplan("lint", "--no-cache", "--format", "json", cwd=project / "app")
    assert done.returncode == 1
    assert '"order_refunded"' in done.stdout  # the wrapper from [tool.trackplan] applied


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--select", "TP2,TPX"], "trackplan: config error: --select: unknown rule code 'TPX'"),
        (["--ignore", "XY1"], "trackplan: config error: --ignore: unknown rule code 'XY1'"),
    ],
)
def test_bad_cli_selectors_are_usage_errors(project: Path, flags: list[str], message: str) -> None:
    done = run_trackplan("lint", "--no-cache", *flags, cwd=project)
    assert done.returncode == 2
    assert done.stderr.startswith(message)


def test_cli_flags_override_config(project: Path) -> None:
    only_warnings = run_trackplan("lint", "--no-cache", "--select", "TP303", "-q", cwd=project)
    assert only_warnings.returncode == 0  # the one finding is a warning (severity from config)
    assert only_warnings.stdout.splitlines()[0] == (
        "app/billing.py:15:49: TP303 distinct id is the hard-coded literal 'user-42': "
        "every such event lands on one person"
    )
    ignored = run_trackplan("lint", "--no-cache", "--ignore", "TP2,TP3,TP9", "-q", cwd=project)
    assert (ignored.returncode, ignored.stdout) == (0, "")
    extended = run_trackplan(
        "lint", "--no-cache", "--select", "TP303", "--extend-select", "TP901", "-q", cwd=project
    )
    codes = [line.split()[1] for line in extended.stdout.splitlines() if line[:1] != " "]
    assert codes == ["TP303", "TP901"]
    assert extended.returncode == 1


def test_plan_flag_overrides_config(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-plan.yaml"
    other.write_text("version: 1\nevents:\n  order_refunded:\n    description: x\n")
    done = run_trackplan(
        "lint", "--no-cache", "--plan", str(other), "--select", "TP201", "-q", cwd=project
    )
    unplanned = {line.split("`")[1] for line in done.stdout.splitlines() if "TP201" in line}
    assert "order_refunded" not in unplanned
    assert {"order_created", "user_signed_up", "gift_wrapped"} <= unplanned


def test_an_unusable_plan_is_exit_2(project: Path) -> None:
    (project / "plans" / "events.yaml").write_text("version: 1\nevents: [not, a, mapping]\n")
    done = run_trackplan("lint", "--no-cache", cwd=project)
    assert done.returncode == 2
    assert done.stderr.startswith("trackplan: the plan cannot be used:\n")
    assert "\nplans/events.yaml:2:" in done.stderr
    assert done.stdout == ""
