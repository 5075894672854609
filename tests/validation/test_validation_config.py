"""`trackplan validate` takes its plan and severities from `[tool.trackplan]` too."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from suite_support import run_cli

ROOT = Path(__file__).resolve().parents[2]
DEPRECATED = '{"event": "checkout_started", "distinct_id": "u1", "properties": {}}\n'


def _validate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("validate", "--format", "json", *args, "events.jsonl", cwd=cwd)


def test_validate_uses_configured_plan_and_severity(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans" / "saas", tmp_path / "tracking")
    (tmp_path / "events.jsonl").write_text(DEPRECATED)
    (tmp_path / "pyproject.toml").write_text('[tool.trackplan]\nplan = "tracking"\n')
    default = _validate(tmp_path)
    assert default.returncode == 0  # TP205 is a warning by default
    (result,) = json.loads(default.stdout)
    assert [(v["code"], v["severity"]) for v in result["violations"]] == [("TP205", "warning")]

    (tmp_path / "pyproject.toml").write_text(
        '[tool.trackplan]\nplan = "tracking"\n[tool.trackplan.severity]\nTP205 = "error"\n'
    )
    strict = _validate(tmp_path)
    assert strict.returncode == 1
    (result,) = json.loads(strict.stdout)
    assert result["valid"] is False
    assert [(v["code"], v["severity"]) for v in result["violations"]] == [("TP205", "error")]


def test_explicit_plan_flag_wins_over_config(tmp_path: Path) -> None:
    (tmp_path / "events.jsonl").write_text(DEPRECATED)
    (tmp_path / "pyproject.toml").write_text('[tool.trackplan]\nplan = "missing"\n')
    result = _validate(tmp_path, "--plan", str(ROOT / "plans" / "saas"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["event"] == "checkout_started"


def test_worker_processes_started_without_fork_keep_the_policy() -> None:
    # Under `spawn` a worker rebuilds the registry itself; it must use the same policy.
    from trackplan.linter.cli.commands import validate
    from trackplan.registry.diagnostics import Severity
    from trackplan.registry.policy import RulePolicy

    saved = dict(validate._WORKER)
    validate._WORKER.clear()
    try:
        policy = RulePolicy(severity={"TP205": Severity.ERROR})
        validate._init_worker(str(ROOT / "plans" / "saas"), policy)
        result = validate._WORKER["registry"].validate(json.loads(DEPRECATED))
        assert [(v.code, v.severity) for v in result.violations] == [("TP205", Severity.ERROR)]
    finally:
        validate._WORKER.clear()
        validate._WORKER.update(saved)
