"""The pre-commit hooks: the manifest's file selection, and real commits through pre-commit.

The commits run the real ``pre-commit`` against a snapshot of this working tree (a git
repository built in a temp dir, since pre-commit installs hooks from a commit). The hook
environment is built offline: pre-commit's own virtualenv, which sees the running test
environment's packages (``suite_support.running_environment_pythonpath``), and
``pip --no-index``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from adoption_helpers import PROJECTS, REPO, git
from pre_commit.clientlib import load_manifest
from pre_commit.commands.run import Classifier, filter_by_include_exclude
from suite_support import tool

MANIFEST = REPO / ".pre-commit-hooks.yaml"


def hook(hook_id: str) -> dict[str, object]:
    for entry in load_manifest(str(MANIFEST)):  # pre-commit's own validation and defaults
        if entry["id"] == hook_id:
            return dict(entry)
    raise LookupError(hook_id)


def selected(hook_id: str, files: list[str]) -> list[str]:
    """The files pre-commit would pass to (or run) this hook, by its own filter logic."""
    entry = hook(hook_id)
    classifier = Classifier(files)
    return list(
        classifier.by_types(
            filter_by_include_exclude(classifier.filenames, entry["files"], entry["exclude"]),
            entry["types"],
            entry["types_or"],
            entry["exclude_types"],
        )
    )


HOOK_FILES = {
    "trackplan-lint": {
        "good": ["app/views.py", "src/pkg/mod.py", "bin/run-tool"],
        "bad": [
            "plans/events.yaml",
            "README.md",
            "setup.cfg",
            "app/x.pyc",
            "stubs/api.pyi",
            "pyproject.toml",
        ],
    },
    "trackplan-check": {
        "good": ["plans/events.yaml", "plans/billing/more.yml", "services/api/plans/x.yaml"],
        "bad": ["plans/README.md", "other/events.yaml", "plansx/a.yaml", "plans.yaml", "app/x.py"],
    },
    "trackplan-lint-plan": {
        "good": [
            "plans/events.yaml",
            "plans/billing/more.yml",
            "pyproject.toml",
            "svc/pyproject.toml",
        ],
        "bad": ["app/x.py", "other/events.yaml", "pyproject.toml.bak", "my_pyproject.toml"],
    },
    "trackplan-compat": {
        "good": ["plans/events.yaml", "plans/billing/more.yml", "pyproject.toml"],
        "bad": ["app/x.py", "other/events.yaml", "plans/README.md", "my_pyproject.toml"],
    },
}


def make_tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name == "bin/run-tool":
            path.write_text("#!/usr/bin/env python3\nprint('hi')\n")
            path.chmod(0o755)
        elif name.endswith(".pyc"):
            path.write_bytes(b"\x00\x01binary")
        else:
            path.write_text("x\n")


@pytest.mark.parametrize("hook_id", sorted(HOOK_FILES))
def test_each_hook_selects_exactly_the_intended_files(
    hook_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, bad = HOOK_FILES[hook_id]["good"], HOOK_FILES[hook_id]["bad"]
    make_tree(tmp_path, good + bad)
    monkeypatch.chdir(tmp_path)
    assert sorted(selected(hook_id, good + bad)) == sorted(good)


def test_manifest_entries() -> None:
    assert [e["id"] for e in load_manifest(str(MANIFEST))] == [
        "trackplan-lint",
        "trackplan-check",
        "trackplan-lint-plan",
        "trackplan-compat",
    ]
    assert hook("trackplan-lint")["pass_filenames"] is True
    assert hook("trackplan-compat")["pass_filenames"] is False
    assert hook("trackplan-check")["pass_filenames"] is False
    assert hook("trackplan-lint-plan")["pass_filenames"] is False
    assert {hook(h)["language"] for h in HOOK_FILES} == {"python"}


# -- real commits --------------------------------------------------------------------------


@pytest.fixture
def app_repo(tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_env: dict[str, str]) -> Path:
    root = tmp_path / "app-repo"
    shutil.copytree(PROJECTS / "precommit", root, ignore=shutil.ignore_patterns("__pycache__"))
    snapshot, rev = hook_repo
    (root / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {snapshot}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: trackplan-lint\n"
        "      - id: trackplan-check\n"
        "      - id: trackplan-lint-plan\n"
    )
    (root / ".gitignore").write_text(".trackplan_cache/\n")
    git(root, "init", "-q", "-b", "main")
    installed = subprocess.run(
        [tool("pre-commit"), "install"],
        cwd=root,
        env=pre_commit_env,
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    return root


def commit(root: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    """``git commit`` with the hooks installed; git sends hook output to stderr."""
    git(root, "add", "-A")
    return subprocess.run(
        ["git", "commit", "-m", message], cwd=root, env=env, capture_output=True, text=True
    )


def status(output: str) -> dict[str, str]:
    """Hook name -> Passed / Failed / Skipped, from pre-commit's report lines."""
    found = {}
    for line in output.splitlines():
        match = re.match(
            r"^(trackplan [^.]*?)\.{3,}(?:\(no files to check\))?(Passed|Failed|Skipped)$", line
        )
        if match:
            found[match.group(1)] = match.group(2)
    return found


def findings(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"^\S+:\d+:\d+: TP\d{3} ", line)]


def test_commits_pass_and_are_refused_by_the_hooks(
    app_repo: Path, pre_commit_env: dict[str, str]
) -> None:
    env = pre_commit_env
    first = commit(app_repo, env, "initial")
    assert first.returncode == 0, first.stderr
    assert status(first.stderr) == {
        "trackplan lint": "Passed",
        "trackplan check": "Passed",
        "trackplan lint (plan changed)": "Passed",
    }

    # Only signup.py changes; the wrapper (telemetry.py) and the constant (names.py) live
    # in files pre-commit does not pass: they must still be resolved.
    signup = app_repo / "app" / "signup.py"
    signup.write_text(signup.read_text().replace("names.SIGNED_UP,", "names.SIGNED_UP_TYPO,"))
    refused = commit(app_repo, env, "typo")
    assert refused.returncode == 1
    assert status(refused.stderr) == {
        "trackplan lint": "Failed",
        "trackplan check": "Skipped",
        "trackplan lint (plan changed)": "Skipped",
    }
    assert "- hook id: trackplan-lint\n- exit code: 1\n" in refused.stderr
    assert "app/signup.py:6:11: TP201 event `user_sined_up` is not in the plan" in findings(
        refused.stderr
    )
    assert all(line.startswith("app/signup.py:") for line in findings(refused.stderr))
    assert git(app_repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"

    signup.write_text(
        signup.read_text().replace(
            'names.SIGNED_UP_TYPO, uid, {"plan": "pro"}', 'names.SIGNED_UP, uid, {"plan": "team"}'
        )
    )
    fixed = commit(app_repo, env, "fixed")
    assert fixed.returncode == 0, fixed.stderr
    assert status(fixed.stderr)["trackplan lint"] == "Passed"
    assert git(app_repo, "rev-list", "--count", "HEAD").stdout.strip() == "2"


def test_a_plan_change_rechecks_code_that_did_not_change(
    app_repo: Path, pre_commit_env: dict[str, str]
) -> None:
    env = pre_commit_env
    assert commit(app_repo, env, "initial").returncode == 0
    plan = app_repo / "plans" / "events.yaml"
    text = plan.read_text()
    plan.write_text(text[: text.index("  invoice_paid:")])
    refused = commit(app_repo, env, "drop invoice_paid from the plan")
    assert refused.returncode == 1
    assert status(refused.stderr) == {
        "trackplan lint": "Skipped",
        "trackplan check": "Passed",
        "trackplan lint (plan changed)": "Failed",
    }
    assert findings(refused.stderr) == [
        "app/billing.py:5:11: TP201 event `invoice_paid` is not in the plan"
    ]


def test_a_broken_plan_is_refused_by_trackplan_check(
    app_repo: Path, pre_commit_env: dict[str, str]
) -> None:
    env = pre_commit_env
    assert commit(app_repo, env, "initial").returncode == 0
    plan = app_repo / "plans" / "events.yaml"
    plan.write_text(
        plan.read_text().replace("    description: An invoice was paid.\n", "    colour: red\n")
    )
    refused = commit(app_repo, env, "bad plan")
    assert refused.returncode == 1
    assert status(refused.stderr)["trackplan check"] == "Failed"
    assert "- hook id: trackplan-check\n- exit code: 1\n" in refused.stderr
    assert any(
        line.startswith("plans/events.yaml:8:5: TP002 ") for line in findings(refused.stderr)
    ), refused.stderr


def test_the_compat_hook_refuses_a_breaking_plan_change(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_env: dict[str, str]
) -> None:
    root = tmp_path / "compat-repo"
    shutil.copytree(PROJECTS / "precommit", root, ignore=shutil.ignore_patterns("__pycache__"))
    snapshot, rev = hook_repo
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {snapshot}\n    rev: {rev}\n    hooks:\n      - id: trackplan-compat\n"
    )
    git(root, "init", "-q", "-b", "main")
    installed = subprocess.run(
        [tool("pre-commit"), "install"],
        cwd=root,
        env=pre_commit_env,
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    first = commit(root, pre_commit_env, "initial")  # no HEAD yet: nothing to compare
    assert first.returncode == 0, first.stderr
    assert status(first.stderr) == {"trackplan compatibility": "Passed"}
    plan = root / "plans" / "events.yaml"
    plan.write_text(plan.read_text().replace("amount: {type: number}", "amount: {type: integer}"))
    refused = commit(root, pre_commit_env, "narrow amount")
    assert refused.returncode == 1
    assert status(refused.stderr) == {"trackplan compatibility": "Failed"}
    assert "TP711 property `amount`: type number -> integer (narrowed)" in refused.stderr
    assert "(breaks backward compatibility)" in refused.stderr
    plan.write_text(plan.read_text().replace("amount: {type: integer}", "amount: {}"))
    widened = commit(root, pre_commit_env, "widen amount")
    assert widened.returncode == 0, widened.stderr
    assert git(root, "rev-list", "--count", "HEAD").stdout.strip() == "2"
