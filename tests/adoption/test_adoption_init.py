"""`trackplan init` on a fixture project, through the real CLI, against exact expected files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from adoption_helpers import HERE, trackplan_cli

EXPECTED = HERE / "expected" / "init_shop"


def test_init_writes_the_expected_plan_config_and_baseline(project: Callable[[str], Path]) -> None:
    root = project("shop")
    done = trackplan_cli("init", cwd=root)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (EXPECTED / "stdout.txt").read_text()
    assert (root / "plans" / "events.yaml").read_text() == (EXPECTED / "plan.yaml").read_text()
    assert (root / "pyproject.toml").read_text() == (EXPECTED / "pyproject.toml").read_text()
    assert (root / ".trackplan-baseline.json").read_text() == (
        EXPECTED / "baseline.json"
    ).read_text()


def test_drafted_plan_passes_trackplan_check(project: Callable[[str], Path]) -> None:
    root = project("shop")
    assert trackplan_cli("init", cwd=root).returncode == 0
    checked = trackplan_cli("check", "plans", cwd=root)
    # the one finding is the grandfathered camelCase property key: a warning
    assert checked.stdout.splitlines() == [
        "plans/events.yaml:30:7: TP103 property name `couponCode` is not snake_case"
        " (lower-case words joined by `_`); did you mean `coupon_code`?"
        " (in property `couponCode` of event `invoice_refunded`)"
    ]
    assert checked.returncode == 0


def test_init_never_overwrites_without_force(project: Callable[[str], Path]) -> None:
    root = project("shop")
    (root / "plans").mkdir()
    (root / "plans" / "events.yaml").write_text("version: 1\n")
    pyproject_before = (root / "pyproject.toml").read_text()
    refused = trackplan_cli("init", cwd=root)
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr == (
        "trackplan init: refusing to overwrite plans/events.yaml (pass --force to replace)\n"
    )
    assert (root / "plans" / "events.yaml").read_text() == "version: 1\n"
    assert (root / "pyproject.toml").read_text() == pyproject_before
    assert not (root / ".trackplan-baseline.json").exists()

    forced = trackplan_cli("init", "--force", cwd=root)
    assert forced.returncode == 0
    assert (root / "plans" / "events.yaml").read_text() == (EXPECTED / "plan.yaml").read_text()


def test_existing_trackplan_table_is_kept_without_force(project: Callable[[str], Path]) -> None:
    root = project("shop")
    with (root / "pyproject.toml").open("a") as handle:
        handle.write('\n[tool.trackplan]\nplan = "plans"\nexclude = ["legacy"]\n')
    before = (root / "pyproject.toml").read_text()
    done = trackplan_cli("init", cwd=root)
    assert done.returncode == 0
    assert "kept the existing [tool.trackplan] in pyproject.toml" in done.stdout
    assert (root / "pyproject.toml").read_text() == before


def test_init_creates_pyproject_when_missing_and_takes_a_path(
    project: Callable[[str], Path],
) -> None:
    root = project("shop")
    (root / "pyproject.toml").unlink()
    done = trackplan_cli("init", "shop", "--no-baseline", cwd=root.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("wrote shop/plans/events.yaml: 5 event(s)")
    assert "created shop/pyproject.toml" in done.stdout
    text = (root / "pyproject.toml").read_text()
    assert text.startswith("[tool.trackplan]\n")
    # inferred wrappers are not declared: lint infers them on every run
    assert "wrappers" not in text
    assert "  wrapper app.telemetry.track = (event, distinct_id, properties=None)\n" in done.stdout
    assert not (root / ".trackplan-baseline.json").exists()


def test_init_on_a_project_without_tracking_calls_drafts_an_empty_plan(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("print('hello')\n")
    done = trackplan_cli("init", "--no-baseline", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    plan = (tmp_path / "plans" / "events.yaml").read_text()
    assert plan.endswith("version: 1\nevents: {}\n")
    assert trackplan_cli("check", "plans", cwd=tmp_path).returncode == 0


def test_init_refuses_a_broken_pyproject_with_exit_2(project: Callable[[str], Path]) -> None:
    root = project("shop")
    (root / "pyproject.toml").write_text("[project\nname = 1\n")
    done = trackplan_cli("init", "--no-baseline", cwd=root)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("trackplan init: ")


def test_generated_baseline_entries_point_at_real_code(project: Callable[[str], Path]) -> None:
    root = project("shop")
    trackplan_cli("init", cwd=root)
    entries = json.loads((root / ".trackplan-baseline.json").read_text())["entries"]
    assert [(e["path"], e["code"], e["count"]) for e in entries] == [("app/billing.py", "TP103", 1)]


def test_lint_after_init_passes_and_the_baseline_covers_the_naming_findings(
    project: Callable[[str], Path],
) -> None:
    root = project("shop")
    assert trackplan_cli("init", cwd=root).returncode == 0
    plain = trackplan_cli("lint", cwd=root)
    assert plain.returncode == 0  # naming findings on properties are warnings
    assert (
        "app/billing.py:10:72: TP103 property name `couponCode` is not snake_case" in plain.stdout
    )
    based = trackplan_cli("lint", "--baseline", ".trackplan-baseline.json", cwd=root)
    assert based.returncode == 0
    codes = [line.split()[1] for line in based.stdout.splitlines() if line.startswith("app/")]
    # the f-string helper (`experiment`) is an inferred template wrapper nobody calls:
    # nothing is left
    assert codes == []


def test_naming_legacy_marker_is_what_exempts_the_plan_and_the_code(
    project: Callable[[str], Path],
) -> None:
    root = project("shop")
    assert trackplan_cli("init", "--no-baseline", cwd=root).returncode == 0
    plan = root / "plans" / "events.yaml"
    assert "TP101" not in trackplan_cli("check", "plans", cwd=root).stdout
    assert "TP101" not in trackplan_cli("lint", cwd=root).stdout

    plan.write_text(plan.read_text().replace("    naming: legacy\n", ""))
    checked = trackplan_cli("check", "plans", cwd=root)
    assert checked.returncode == 1
    assert "plans/events.yaml:7:3: TP101 event name `CheckoutStarted` is not snake_case" in (
        checked.stdout
    )
    linted = trackplan_cli("lint", cwd=root)
    assert linted.returncode == 1
    assert "app/billing.py:18:11: TP101 event name `CheckoutStarted` is not snake_case" in (
        linted.stdout
    )
