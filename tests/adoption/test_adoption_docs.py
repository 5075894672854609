"""docs/adopting.md: every command it shows runs, in order, in a copy of a fixture project.

Fenced ``console`` blocks are run line by line (``$ `` prefix); the other blocks are
checked against what the commands really produced (the generated config, plan and
baseline), against action.yml's inputs, or applied (the pre-commit config, with the
repository pointed at a snapshot of this tree; the severity table).
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import tomlkit
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib
from adoption_helpers import HERE, REPO, git
from suite_support import tool

DOC = REPO / "docs" / "adopting.md"
_FENCE = re.compile(r"^ *```(\w*)\n(.*?)^ *```", re.S | re.M)


def blocks() -> list[tuple[str, str]]:
    out = []
    for match in _FENCE.finditer(DOC.read_text()):
        body = match.group(2)
        indent = min(
            (len(line) - len(line.lstrip()) for line in body.splitlines() if line.strip()),
            default=0,
        )
        out.append((match.group(1), "\n".join(line[indent:] for line in body.splitlines()) + "\n"))
    return out


def test_the_guide_shows_the_expected_commands() -> None:
    commands = [
        line[2:]
        for lang, body in blocks()
        if lang == "console"
        for line in body.splitlines()
        if line.startswith("$ ")
    ]
    assert commands == [
        "trackplan init",
        "trackplan check",
        "trackplan lint --baseline .trackplan-baseline.json",
        "trackplan lint --write-baseline .trackplan-baseline.json",
        "trackplan coverage",
        "pre-commit install",
        "pre-commit run --all-files",
        "trackplan lint --changed-since main",
        "trackplan lint --baseline .trackplan-baseline.json",
    ]


def test_every_block_of_the_guide_holds_in_a_real_project(
    project: Callable[[str], Path],
    hook_repo: tuple[Path, str],
    pre_commit_env: dict[str, str],
) -> None:
    root = project("shop")
    (root / ".gitignore").write_text(".trackplan_cache/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base")
    env = pre_commit_env
    action_inputs = set(yaml.safe_load((REPO / "action.yml").read_text())["inputs"])
    ran = []
    for lang, body in blocks():
        if lang == "console":
            for line in body.splitlines():
                if not line.startswith("$ "):
                    continue
                program, *args = shlex.split(line[2:])
                # trackplan and pre-commit: the running environment's, not PATH's
                if program in ("trackplan", "pre-commit"):
                    program = tool(program)
                done = subprocess.run(
                    [program, *args], cwd=root, env=env, capture_output=True, text=True
                )
                assert done.returncode == 0, (line, done.stdout, done.stderr)
                assert "Traceback" not in done.stderr
                ran.append(line[2:])
        elif lang == "toml" and "[tool.trackplan.wrappers]" in body:
            generated = (root / "pyproject.toml").read_text().splitlines()
            for line in body.splitlines():
                assert line in generated, line
        elif lang == "toml" and "severity" in body:
            shown = tomllib.loads(body)["tool"]["trackplan"]
            document = tomlkit.parse((root / "pyproject.toml").read_text())
            for key, value in shown.items():
                document["tool"]["trackplan"][key] = value  # type: ignore[index]
            (root / "pyproject.toml").write_text(tomlkit.dumps(document))
        elif lang == "yaml" and body.startswith("repos:"):
            config = yaml.safe_load(body)
            assert [h["id"] for h in config["repos"][0]["hooks"]] == [
                "trackplan-lint",
                "trackplan-check",
                "trackplan-lint-plan",
            ]
            snapshot, rev = hook_repo
            text = body.replace("https://github.com/trackplan/trackplan", str(snapshot))
            (root / ".pre-commit-config.yaml").write_text(text.replace("v0.1.0", rev))
            git(root, "add", "-A")
        elif lang == "yaml" and body.startswith("name:"):
            workflow = yaml.safe_load(body)
            steps = workflow["jobs"]["trackplan"]["steps"]
            ours = [s for s in steps if s.get("uses", "").startswith("trackplan/trackplan")]
            assert len(ours) == 1 and set(ours[0]["with"]) <= action_inputs
        elif lang == "yaml":
            plan = [
                line.strip() for line in (root / "plans" / "events.yaml").read_text().splitlines()
            ]
            for line in body.splitlines():
                assert line.strip() in plan, line
        elif lang == "json":
            assert json.loads(body) == json.loads((root / ".trackplan-baseline.json").read_text())
        elif lang == "text":
            coverage = (HERE / "expected" / "coverage_funnels" / "stdout.txt").read_text()
            assert set(body.splitlines()) <= set(coverage.splitlines())
    assert len(ran) == 9
