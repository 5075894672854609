"""What the README shows works: its plan example, its commands, its library names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from suite_support import run_cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return README.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def test_readme_plan_example_is_a_clean_plan(tmp_path: Path) -> None:
    plan_block = r"```yaml\n(# yaml-language-server[^\n]*\nversion: 1.*?)```"
    (block,) = re.findall(plan_block, README, re.S)
    plan = tmp_path / "plan.yaml"
    plan.write_text(block, encoding="utf-8")
    result = run_cli("check", plan)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


COMMANDS = re.findall(r"^\| `trackplan (\w+)", _section("CLI reference"), re.M)


def test_cli_reference_lists_every_command() -> None:
    help_text = run_cli("--help").stdout
    listed = re.findall(r"^  (\w+)  ", help_text.split("Commands:", 1)[1], re.M)
    assert sorted(COMMANDS) == sorted(listed)


@pytest.mark.parametrize("name", COMMANDS)
def test_cli_reference_options_exist(name: str) -> None:
    row = next(
        line for line in _section("CLI reference").splitlines() if f"`trackplan {name}" in line
    )
    help_text = run_cli(name, "--help").stdout
    for option in re.findall(r"`(--[a-z-]+)", row):
        assert option in help_text, f"{name} --help does not mention {option}"


def test_library_api_names_exist() -> None:
    import trackplan.registry as registry

    names = re.findall(r"from trackplan\.registry import ([\w, ]+)", _section("Library API"))
    for name in names[0].split(","):
        assert hasattr(registry, name.strip()), name
