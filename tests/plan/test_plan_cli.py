"""`trackplan check` and `trackplan schema` beyond the fixture corpus: defaults, usage
errors and the shipped schema (real subprocesses of the installed CLI)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import yaml
from suite_support import run_cli

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, timeout=60)


def test_check_without_arguments_checks_plans_dir_and_example_is_clean() -> None:
    done = _run("check", cwd=REPO)
    assert (done.returncode, done.stdout) == (0, "")


def test_check_contract_plan_is_clean() -> None:
    done = _run("check", "tests/plan/contract.yaml", cwd=REPO)
    assert (done.returncode, done.stdout) == (0, "")


def test_missing_plan_path_is_a_usage_error(tmp_path: Path) -> None:
    done = _run("check", "missing.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert "plan path does not exist: missing.yaml" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_default_plans_dir_is_a_usage_error(tmp_path: Path) -> None:
    done = _run("check", cwd=tmp_path)
    assert done.returncode == 2
    assert "plans" in done.stderr


def test_unknown_format_is_a_usage_error() -> None:
    done = _run("check", "--format", "xml", cwd=REPO)
    assert done.returncode == 2


def test_unreadable_plan_file_is_tp001(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").mkdir()  # a directory without YAML files
    done = _run("check", "plan.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("plan.yaml: TP001 no *.yaml or *.yml plan files")


def test_schema_command_prints_the_shipped_schema() -> None:
    done = _run("schema", cwd=REPO)
    assert done.returncode == 0
    printed = json.loads(done.stdout)
    shipped = json.loads((REPO / "registry" / "data" / "plan.schema.json").read_text())
    assert printed == shipped
    jsonschema.Draft202012Validator.check_schema(printed)


def test_example_plan_files_validate_against_schema_and_point_editors_at_it() -> None:
    schema = json.loads((REPO / "registry" / "data" / "plan.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((REPO / "plans" / "saas").glob("*.yaml"))
    assert len(files) >= 3
    for file in files:
        text = file.read_text()
        first = text.splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../registry/data/plan.schema.json"
        assert (file.parent / first.split("=", 1)[1]).resolve().is_file()
        assert list(validator.iter_errors(yaml.safe_load(text))) == []
