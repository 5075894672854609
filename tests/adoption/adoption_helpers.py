"""Helpers shared by the adoption tests (a uniquely named module: every test directory
has its own ``conftest``, so tests never import from ``conftest`` directly)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from suite_support import run_cli

HERE = Path(__file__).parent
PROJECTS = HERE / "projects"
REPO = HERE.parent.parent


def trackplan_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``trackplan`` command (a real subprocess)."""
    return run_cli(*args, cwd=cwd, env=env)


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check)
