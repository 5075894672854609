"""action.yml: the composite action's shell steps, run locally with the inputs' defaults.

GitHub expressions are substituted the way the runner would (``${{ inputs.x }}``,
``${{ github.action_path }}``), each ``run:`` step runs in bash with its ``env:`` and
``working-directory``, and steps that ``uses:`` another action (setup-python, the SARIF
upload) are skipped: they cannot run here. trackplan is installed from a snapshot of this
working tree into a fresh virtualenv, offline.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from adoption_helpers import REPO
from suite_support import run_cli, see_running_environment

ACTION = yaml.safe_load((REPO / "action.yml").read_text())
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def defaults() -> dict[str, str]:
    return {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}


def evaluate(expression: str, inputs: dict[str, str], action_path: Path) -> object:
    """The few expression forms action.yml uses: inputs.x, github.action_path, ==, !=,
    &&, always()."""
    text = expression.strip()
    if text == "github.action_path":
        return str(action_path)
    python = re.sub(r"inputs\.([A-Za-z0-9_-]+)", lambda m: repr(inputs[m.group(1)]), text)
    python = python.replace("always()", "True").replace("&&", " and ").replace("||", " or ")
    return eval(python, {"__builtins__": {}}, {})


def substitute(value: str, inputs: dict[str, str], action_path: Path) -> str:
    return _EXPR.sub(lambda m: str(evaluate(m.group(1), inputs, action_path)), value)


def run_action(
    inputs: dict[str, str], action_path: Path, cwd: Path, env: dict[str, str]
) -> list[tuple[str, subprocess.CompletedProcess[str]]]:
    """Run the action's shell steps in order; stop at the first failing one (as GitHub does)."""
    results = []
    failed = False
    for step in ACTION["runs"]["steps"]:
        condition = step.get("if")
        if "run" not in step:
            continue
        if condition is not None and not evaluate(condition, inputs, action_path):
            continue
        if failed and "always()" not in str(condition):
            continue
        step_env = {
            k: substitute(str(v), inputs, action_path) for k, v in step.get("env", {}).items()
        }
        workdir = cwd / substitute(step.get("working-directory", "."), inputs, action_path)
        assert step["shell"] == "bash"
        script = workdir / ".action-step.sh"
        script.write_text(substitute(step["run"], inputs, action_path))
        done = subprocess.run(
            # exactly how GitHub runs `shell: bash` steps
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workdir,
            env={**env, **step_env},
            capture_output=True,
            text=True,
        )
        script.unlink()
        results.append((step["name"], done))
        failed = failed or done.returncode != 0
    return results


@pytest.fixture(scope="module")
def venv_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh virtualenv, first on PATH, that sees the running environment's packages
    after its own (the dependencies; trackplan itself the action installs)."""
    venv = tmp_path_factory.mktemp("action-venv")
    subprocess.run([sys.executable, "-m", "virtualenv", "-q", str(venv)], check=True)
    see_running_environment(venv)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "VIRTUAL_ENV")}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env['PATH']}",
        VIRTUAL_ENV=str(venv),
        PIP_NO_INDEX="1",
        PIP_NO_BUILD_ISOLATION="0",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


def test_every_input_has_a_description_and_a_default() -> None:
    assert ACTION["runs"]["using"] == "composite"
    for name, spec in ACTION["inputs"].items():
        assert spec["description"], name
        assert "default" in spec, name
    uses = [step["uses"] for step in ACTION["runs"]["steps"] if "uses" in step]
    assert uses == ["actions/setup-python@v5", "github/codeql-action/upload-sarif@v3"]


def test_defaults_install_check_and_lint_a_clean_project(
    project: Callable[[str], Path], hook_repo: tuple[Path, str], venv_env: dict[str, str]
) -> None:
    root = project("precommit")
    results = run_action(defaults(), hook_repo[0], root, venv_env)
    names = [name for name, _ in results]
    assert names == ["Install trackplan", "trackplan check", "trackplan lint"]
    for name, done in results:
        assert done.returncode == 0, (name, done.stdout, done.stderr)
    install = results[0][1]
    assert install.stdout.splitlines()[-1].startswith("trackplan, version ")
    installed = subprocess.run(
        ["python", "-c", "import trackplan.linter, sys; print(trackplan.linter.__path__[0])"],
        env=venv_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert installed.startswith(venv_env["VIRTUAL_ENV"])  # the action's copy, not the dev one


def test_findings_fail_the_lint_step_with_github_annotations_and_sarif(
    project: Callable[[str], Path], hook_repo: tuple[Path, str], venv_env: dict[str, str]
) -> None:
    root = project("legacy")
    inputs = {**defaults(), "sarif": "true"}
    env = {**venv_env, "GITHUB_ACTIONS": "true"}
    results = dict(run_action(inputs, hook_repo[0], root, env))
    assert results["trackplan check"].returncode == 0
    lint = results["trackplan lint"]
    assert lint.returncode == 1
    assert lint.stdout.startswith("::error file=app/orders.py,line=9,")
    sarif = json.loads((root / "trackplan.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"TP201", "TP202"}


def test_baseline_and_paths_inputs_are_passed_to_lint(
    project: Callable[[str], Path], hook_repo: tuple[Path, str], venv_env: dict[str, str]
) -> None:
    root = project("legacy")
    written = run_cli("lint", "--write-baseline", "grandfathered.json", cwd=root)
    assert written.returncode == 0, written.stderr
    inputs = {**defaults(), "baseline": "grandfathered.json", "paths": "app", "check": "false"}
    results = dict(run_action(inputs, hook_repo[0], root, venv_env))
    assert "trackplan check" not in results
    assert results["trackplan lint"].returncode == 0, results["trackplan lint"].stdout


def test_against_and_compatibility_inputs_are_passed_to_check(
    project: Callable[[str], Path], hook_repo: tuple[Path, str], venv_env: dict[str, str]
) -> None:
    root = project("precommit")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base"],
        cwd=root,
        check=True,
    )
    plan = root / "plans" / "events.yaml"
    plan.write_text(
        plan.read_text().replace("plan: {type: string}", "plan: {type: [string, 'null']}")
    )
    inputs = {**defaults(), "against": "main", "compatibility": "forward"}
    results = dict(run_action(inputs, hook_repo[0], root, venv_env))
    check = results["trackplan check"]
    assert check.returncode == 1
    assert "TP712 property `plan`: type string -> ['null', 'string'] (widened)" in check.stdout
    assert "(breaks forward compatibility)" in check.stdout
    backward = {**inputs, "compatibility": "backward"}
    assert (
        dict(run_action(backward, hook_repo[0], root, venv_env))["trackplan check"].returncode == 0
    )
