"""``trackplan diff`` and ``trackplan check --against``, run as the installed CLI.

Real subprocesses of the ``trackplan`` next to the interpreter, real git repositories
in temporary directories for ``git:REF:PATH``, ``--against`` and the transitive modes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from trackplan.registry.loader import load_plan
from trackplan.registry.validation import Registry

TRACKPLAN = str(Path(sys.executable).with_name("trackplan"))

_OLD = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      plan: {type: string, enum: [free, pro, team]}
      amount: {type: integer}
"""
_NEW = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      plan: {type: string, enum: [free, pro]}
      amount: {type: number}
"""


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TRACKPLAN, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), "GIT_CONFIG_NOSYSTEM": "1"},
    )


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    (tmp_path / "old.yaml").write_text(_OLD, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(_NEW, encoding="utf-8")
    return tmp_path


_EXPECTED_TEXT = """\
validation policy: the defaults (no [tool.trackplan] found)

old.yaml -> new.yaml
  new.yaml:6: TP715 order_created /properties/plan: property `plan`: values removed: ['team'] [breaks backward] (was old.yaml:6)
  new.yaml:7: TP712 order_created /properties/amount: property `amount`: type integer -> number (widened) [breaks forward] (was old.yaml:7)
  backward: INCOMPATIBLE
    order_created /properties/plan: value "team" is no longer allowed
      witness: {"distinct_id": "user_8f3a2c", "event": "order_created", "properties": {"order_id": "", "plan": "team"}}
  forward: INCOMPATIBLE
    order_created /properties/amount: type `number` is no longer allowed
      witness: {"distinct_id": "user_8f3a2c", "event": "order_created", "properties": {"amount": 0.5, "order_id": ""}}
  version: 1 -> 1; required bump: major

result: NOT compatible under mode backward
"""  # noqa: E501


def test_text_report_is_exact(pair: Path) -> None:
    proc = run(["diff", "old.yaml", "new.yaml"], pair)
    assert (proc.returncode, proc.stderr) == (1, "")
    assert proc.stdout == _EXPECTED_TEXT


@pytest.mark.parametrize(
    ("mode", "code"),
    [("backward", 1), ("forward", 1), ("full", 1), ("none", 0)],
)
def test_exit_code_follows_the_mode(pair: Path, mode: str, code: int) -> None:
    assert run(["diff", "old.yaml", "new.yaml", "--mode", mode], pair).returncode == code


def test_widening_only_is_backward_compatible(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text(_OLD, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(_OLD.replace("type: integer", "type: number"), "utf-8")
    assert run(["diff", "old.yaml", "new.yaml"], tmp_path).returncode == 0
    assert run(["diff", "old.yaml", "new.yaml", "--mode", "forward"], tmp_path).returncode == 1


def test_json_report_carries_checkable_witnesses(pair: Path) -> None:
    proc = run(["diff", "old.yaml", "new.yaml", "--format", "json", "--mode", "full"], pair)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert (data["mode"], data["compatible"], data["backward"], data["forward"]) == (
        "full",
        False,
        False,
        False,
    )
    assert data["version"] == {"old": 1, "new": 1, "required_bump": "major", "bumped_enough": None}
    assert data["policy"] == "the defaults (no [tool.trackplan] found)"
    codes = [(c["code"], c["pointer"], c["breaks"], c["old"], c["new"]) for c in data["changes"]]
    assert data["changes"][1]["breaks_modes"] == [
        "forward",
        "full",
        "forward_transitive",
        "full_transitive",
    ]
    assert codes == [
        ("TP715", "/properties/plan", ["backward"], "old.yaml:6", "new.yaml:6"),
        ("TP712", "/properties/amount", ["forward"], "old.yaml:7", "new.yaml:7"),
    ]
    old = Registry.from_plan(load_plan(pair / "old.yaml"))
    new = Registry.from_plan(load_plan(pair / "new.yaml"))
    sides = {"backward": (old, new), "forward": (new, old)}
    assert len(data["incompatibilities"]) == 2
    for issue in data["incompatibilities"]:
        src, dst = sides[issue["direction"]]
        assert issue["proven"] is True
        assert src.validate(issue["witness"]).valid
        assert not dst.validate(issue["witness"]).valid


def test_github_and_sarif_formats(pair: Path) -> None:
    github = subprocess.run(
        [TRACKPLAN, "diff", "old.yaml", "new.yaml"],  # github is the default under Actions
        cwd=pair,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(pair), "GITHUB_ACTIONS": "true"},
    )
    assert github.returncode == 1
    lines = github.stdout.splitlines()
    assert lines[0].startswith("::error file=new.yaml,line=6,col=7,title=trackplan (TP715)::")
    assert "breaks backward compatibility" in lines[0]
    assert lines[1].startswith("::notice file=new.yaml,line=7,col=7,title=trackplan (TP712)::")
    sarif = run(["diff", "old.yaml", "new.yaml", "--format", "sarif"], pair)
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("TP715", "error"), ("TP712", "note")]


def test_unloadable_plan_is_exit_2_but_naming_findings_are_not(pair: Path) -> None:
    missing = run(["diff", "old.yaml", "nope.yaml"], pair)
    assert missing.returncode == 2
    assert "nope.yaml: TP001 plan path does not exist: nope.yaml" in missing.stderr
    assert "Traceback" not in missing.stderr
    (pair / "bad.yaml").write_text("events:\n  a: {additional_properties: maybe}\n", "utf-8")
    bad = run(["diff", "old.yaml", "bad.yaml"], pair)
    assert bad.returncode == 2 and "bad.yaml:2:" in bad.stderr and "TP002" in bad.stderr
    (pair / "named.yaml").write_text(_OLD + "  Checkout Started: {}\n", "utf-8")
    named = run(["diff", "old.yaml", "named.yaml", "--mode", "backward"], pair)
    assert named.returncode == 0, named.stderr


def test_split_into_a_directory_changes_nothing(pair: Path) -> None:
    split = pair / "split"
    split.mkdir()
    head, _, props = _OLD.partition("    properties:\n")
    (split / "a.yaml").write_text(head + "    properties:\n" + props, "utf-8")
    (split / "b.yaml").write_text("version: 1\nevents:\n  order_paid: {}\n", "utf-8")
    (pair / "whole.yaml").write_text(_OLD + "  order_paid: {}\n", "utf-8")
    proc = run(["diff", "whole.yaml", "split", "--mode", "full", "--format", "json"], pair)
    assert proc.returncode == 0, proc.stdout
    assert json.loads(proc.stdout)["changes"] == []


def test_lenient_option_is_stated_and_changes_the_verdict(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text(_OLD, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(_OLD + "      coupon: {type: string}\n", "utf-8")
    strict = run(["diff", "old.yaml", "new.yaml"], tmp_path)
    assert strict.returncode == 1 and "note:" not in strict.stdout
    lenient = run(["diff", "old.yaml", "new.yaml", "--assume-open-properties-unused"], tmp_path)
    assert lenient.returncode == 0
    assert "note: --assume-open-properties-unused is on" in lenient.stdout
    args = ["diff", "old.yaml", "new.yaml", "--assume-open-properties-unused", "--format", "json"]
    data = json.loads(run(args, tmp_path).stdout)
    assert data["assume_open_properties_unused"] is True
    assert data["notes"][0].startswith("--assume-open-properties-unused is on")


def test_version_check(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text(_OLD, encoding="utf-8")
    (tmp_path / "same.yaml").write_text(_NEW, encoding="utf-8")
    (tmp_path / "bumped.yaml").write_text(_NEW.replace("version: 1", 'version: "2.0.0"'), "utf-8")
    (tmp_path / "minor.yaml").write_text(_NEW.replace("version: 1", 'version: "1.1"'), "utf-8")
    args = ["--mode", "none", "--check-version"]
    same = run(["diff", "old.yaml", "same.yaml", *args], tmp_path)
    assert same.returncode == 1
    assert "TP724 version 1 -> 1: these changes need a major version bump" in same.stdout
    assert run(["diff", "old.yaml", "bumped.yaml", *args], tmp_path).returncode == 0
    assert run(["diff", "old.yaml", "minor.yaml", *args], tmp_path).returncode == 1


def test_config_sets_the_default_mode_and_the_policy(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text(_OLD, encoding="utf-8")
    widened = _OLD.replace("type: integer", "type: number")
    (tmp_path / "new.yaml").write_text(widened, "utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.trackplan]\ncompatibility = "forward"\n', encoding="utf-8"
    )
    proc = run(["diff", "old.yaml", "new.yaml"], tmp_path)
    assert proc.returncode == 1
    assert "result: NOT compatible under mode forward" in proc.stdout
    assert f"validation policy: [tool.trackplan] in {tmp_path / 'pyproject.toml'}" in proc.stdout
    assert run(["diff", "old.yaml", "new.yaml", "--mode", "backward"], tmp_path).returncode == 0
    (tmp_path / "added.yaml").write_text(_OLD + "  order_paid: {}\n", "utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.trackplan]\ncompatibility = "full"\n[tool.trackplan.severity]\nTP201 = "warning"\n',
        encoding="utf-8",
    )
    assert run(["diff", "old.yaml", "added.yaml"], tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text(
        '[tool.trackplan]\ncompatibility = "sideways"\n', encoding="utf-8"
    )
    bad = run(["diff", "old.yaml", "added.yaml"], tmp_path)
    assert bad.returncode == 2 and "compatibility" in bad.stderr


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    git(repo, "init", "-q")
    return repo


def _commit(repo: Path, enum: str, message: str) -> None:
    text = _OLD.replace("[free, pro, team]", enum)
    (repo / "plans" / "plan.yaml").write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def test_git_ref_sources(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _commit(repo, "[free, pro, team]", "v1")
    _commit(repo, "[free, pro]", "v2")
    proc = run(["diff", "git:HEAD~1:plans", "git:HEAD:plans", "--format", "json"], repo)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["old"], data["new"]) == ("git:HEAD~1:plans", "git:HEAD:plans")
    assert [(c["code"], c["old"], c["new"]) for c in data["changes"]] == [
        ("TP715", "HEAD~1:plans/plan.yaml:6", "HEAD:plans/plan.yaml:6")
    ]
    same = run(["diff", "git:HEAD:plans/plan.yaml", "plans/plan.yaml", "--mode", "full"], repo)
    assert same.returncode == 0, same.stdout + same.stderr
    bad = run(["diff", "git:no-such-ref:plans", "plans"], repo)
    assert bad.returncode == 2
    assert bad.stderr.startswith("trackplan: git ls-tree") and "no-such-ref" in bad.stderr
    malformed = run(["diff", "git:plans", "plans"], repo)
    assert malformed.returncode == 2 and "git:REF:PATH" in malformed.stderr


def test_check_against_a_ref(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _commit(repo, "[free, pro, team]", "v1")
    (repo / "plans" / "plan.yaml").write_text(_NEW, encoding="utf-8")
    proc = run(["check", "plans", "--against", "HEAD"], repo)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "plans/plan.yaml:6:7: TP715 property `plan`: values removed: ['team'] "
        "(breaks backward compatibility)",
        "plans/plan.yaml:7:7: TP712 property `amount`: type integer -> number (widened)",
    ]
    assert run(["check", "plans", "--against", "HEAD", "--mode", "none"], repo).returncode == 0
    assert run(["check", "plans"], repo).returncode == 0
    missing = run(["check", "plans", "--against", "no-such-ref"], repo)
    assert missing.returncode == 2 and "no-such-ref" in missing.stderr


def test_transitive_modes_read_every_earlier_version(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _commit(repo, "[free, pro]", "v1")
    _commit(repo, "[pro]", "v2")  # dropped `free`: breaks v1's payloads
    _commit(repo, "[pro, team]", "v3")
    args: list[str] = ["diff", "git:HEAD~1:plans", "git:HEAD:plans", "--format", "json"]
    assert run([*args, "--mode", "backward"], repo).returncode == 0
    proc = run([*args, "--mode", "backward_transitive"], repo)
    assert proc.returncode == 1
    data: dict[str, Any] = json.loads(proc.stdout)
    verdicts = [c["backward"] for c in data["comparisons"]]
    assert verdicts == [True, False]  # HEAD~1 (v2) is fine, v1 is not
    against = run(["check", "plans", "--against", "HEAD~1", "--mode", "backward_transitive"], repo)
    assert against.returncode == 1 and "values removed: ['free']" in against.stdout
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.yaml").write_text(_OLD, "utf-8")
    lonely = run(["diff", "a.yaml", "a.yaml", "--mode", "full_transitive"], outside)
    assert lonely.returncode == 2 and "git history" in lonely.stderr


def test_check_against_head_before_the_first_commit_has_nothing_to_compare(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path)
    (repo / "plans" / "plan.yaml").write_text(_OLD, encoding="utf-8")
    proc = run(["check", "plans", "--against", "HEAD"], repo)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert proc.stderr == (
        "trackplan: nothing to compare against: "
        "HEAD: no commit yet, so no earlier plan at git:HEAD:plans\n"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    (repo / "plans" / "more.yaml").write_text("version: 1\nevents:\n  order_paid: {}\n", "utf-8")
    added = run(["check", "plans/more.yaml", "--against", "HEAD"], repo)
    assert added.returncode == 0 and "no plan files at that commit" in added.stderr
