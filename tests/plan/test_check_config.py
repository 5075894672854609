"""`trackplan check` reads `[tool.trackplan]`: the plan path, rule selection, severities."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from suite_support import run_cli

ROOT = Path(__file__).resolve().parents[2]


def _project(tmp_path: Path, config: str) -> Path:
    shutil.copytree(ROOT / "plans" / "saas", tmp_path / "tracking")
    (tmp_path / "tracking" / "99-extra.yaml").write_text("funnels:\n  x: [nope_done]\n")
    (tmp_path / "pyproject.toml").write_text('[tool.trackplan]\nplan = "tracking"\n' + config)
    (tmp_path / "src").mkdir()
    return tmp_path


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("check", *args, cwd=cwd)


def test_check_uses_the_configured_plan_from_a_subdirectory(tmp_path: Path) -> None:
    project = _project(tmp_path, "")
    result = _check(project)
    assert result.returncode == 1
    assert result.stdout == (
        "tracking/99-extra.yaml:2:7: TP004 step 1 of funnel `x` is `nope_done`,"
        " which is not a planned event\n"
    )


def test_check_applies_configured_severity_and_cli_ignore(tmp_path: Path) -> None:
    project = _project(tmp_path, '[tool.trackplan.severity]\nTP004 = "warning"\n')
    downgraded = _check(project)
    assert downgraded.returncode == 0
    assert "TP004" in downgraded.stdout
    ignored = _check(project, "--ignore", "TP004")
    assert (ignored.returncode, ignored.stdout) == (0, "")


def test_check_reports_config_errors_with_file_and_key(tmp_path: Path) -> None:
    project = _project(tmp_path, '[tool.trackplan.severity]\nTP004 = "loud"\n')
    result = _check(project)
    assert result.returncode == 2
    assert "pyproject.toml" in result.stderr and "tool.trackplan.severity.TP004" in result.stderr


def test_check_writes_github_annotations_under_github_actions(tmp_path: Path) -> None:
    project = _project(tmp_path, "")
    result = run_cli("check", cwd=project, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert result.stdout.startswith(
        "::error file=tracking/99-extra.yaml,line=2,col=7,title=trackplan (TP004)::"
    )
    explicit = run_cli("check", "--format", "text", cwd=project, env={"GITHUB_ACTIONS": "true"})
    assert explicit.stdout.startswith("tracking/99-extra.yaml:2:7: TP004")
