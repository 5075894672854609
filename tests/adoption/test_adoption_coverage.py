"""`trackplan coverage`: uncaptured planned events, unplanned captured events, funnels."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from adoption_helpers import HERE, trackplan_cli

EXPECTED = HERE / "expected" / "coverage_funnels"


def test_text_report_lists_findings_then_each_funnel_then_a_summary(
    project: Callable[[str], Path],
) -> None:
    root = project("funnels")
    done = trackplan_cli("coverage", cwd=root)
    assert done.stdout == (EXPECTED / "stdout.txt").read_text()
    assert done.returncode == 1
    assert done.stderr == ""


def test_json_report_is_exact(project: Callable[[str], Path]) -> None:
    root = project("funnels")
    done = trackplan_cli("coverage", "--format", "json", cwd=root)
    assert json.loads(done.stdout) == json.loads((EXPECTED / "stdout.json").read_text())
    assert done.returncode == 1


def _with_severity(root: Path, code: str, severity: str) -> None:
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(f'{text}\n[tool.trackplan.severity]\n{code} = "{severity}"\n')


def test_allow_uncaptured_reports_but_uncaptured_events_do_not_fail(
    project: Callable[[str], Path],
) -> None:
    root = project("funnels")
    done = trackplan_cli("coverage", "--allow-uncaptured", cwd=root)
    assert done.stdout == (EXPECTED / "stdout.txt").read_text()
    # the unplanned `report_exported` (TP201, an error) still fails the run, as in `lint`
    assert done.returncode == 1
    _with_severity(root, "TP201", "warning")
    assert trackplan_cli("coverage", cwd=root).returncode == 1  # TP601/TP602 still fail
    done = trackplan_cli("coverage", "--allow-uncaptured", cwd=root)
    assert done.returncode == 0
    assert "app/trial.py:14:5: TP201 " in done.stdout


def test_exit_code_follows_the_configured_severities(project: Callable[[str], Path]) -> None:
    root = project("funnels")
    _with_severity(root, "TP201", "warning")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'TP601 = "warning"\nTP602 = "info"\n')
    done = trackplan_cli("coverage", cwd=root)
    assert done.returncode == 0, done.stdout
    assert "plans/events.yaml:7:3: TP601 " in done.stdout


def test_fully_covered_plan_exits_zero(project: Callable[[str], Path]) -> None:
    root = project("funnels")
    (root / "app" / "more.py").write_text(
        "import posthog\n\n"
        "def more(uid):\n"
        '    posthog.capture("content_viewed", distinct_id=uid)\n'
        '    posthog.capture("invite_sent", distinct_id=uid)\n'
    )
    done = trackplan_cli("coverage", cwd=root)
    assert done.stdout.splitlines()[-1] == (
        "5 planned event(s), 4 captured (80%), 0 never captured, 1 unplanned"
    )
    assert done.returncode == 1, done.stdout  # the unplanned event is a TP201 error
    (root / "app" / "trial.py").write_text(
        (root / "app" / "trial.py").read_text().replace('"report_exported"', '"trial_started"')
    )
    done = trackplan_cli("coverage", cwd=root)
    assert done.returncode == 0, done.stdout
    assert "  2. content_viewed: app/more.py:4" in done.stdout.splitlines()


def test_deprecated_events_may_stay_uncaptured(project: Callable[[str], Path]) -> None:
    root = project("funnels")
    done = trackplan_cli("coverage", cwd=root)
    assert "legacy_opened" not in done.stdout


def test_paths_limit_what_counts_as_captured(project: Callable[[str], Path]) -> None:
    root = project("funnels")
    done = trackplan_cli("coverage", "app/telemetry.py", cwd=root)
    assert done.stdout.splitlines()[-1] == (
        "5 planned event(s), 0 captured (0%), 4 never captured, 0 unplanned"
    )


def test_plan_option_and_plan_errors(project: Callable[[str], Path]) -> None:
    root = project("funnels")
    (root / "bad.yaml").write_text("version: 1\nevents:\n  x: {colour: red}\n")
    done = trackplan_cli("coverage", "--plan", "bad.yaml", cwd=root)
    assert done.returncode == 2
    assert done.stderr.startswith("bad.yaml:3:")
    assert "Traceback" not in done.stderr
    missing = trackplan_cli("coverage", "--plan", "nope", cwd=root)
    assert missing.returncode == 2
    assert "plan path does not exist: nope" in missing.stderr


def test_an_unparseable_file_is_reported_not_silently_uncounted(
    project: Callable[[str], Path],
) -> None:
    root = project("funnels")
    (root / "app" / "broken.py").write_text('import posthog\nposthog.capture("content_viewed"\n')
    done = trackplan_cli("coverage", cwd=root)
    assert done.returncode == 1
    assert any(
        line.startswith("app/broken.py:") and " TP901 " in line for line in done.stdout.splitlines()
    )
