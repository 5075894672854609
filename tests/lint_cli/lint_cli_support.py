"""Helpers shared by the ``trackplan lint`` command tests (a uniquely named module, so
it never collides with another test directory's helpers): a real subprocess of the
installed ``trackplan`` CLI and exact expected-output comparison."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

from suite_support import CLI, run_cli

DATA = Path(__file__).parent / "data"
PROJECT = DATA / "project"
EXPECTED = DATA / "expected"
UPDATE = os.environ.get("TRACKPLAN_UPDATE_EXPECTED") == "1"

TRACKPLAN = [str(CLI)]

Run = Callable[..., subprocess.CompletedProcess[str]]


def run_trackplan(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``trackplan <args>`` in ``cwd``; GitHub Actions variables are removed unless given."""
    return run_cli(*args, cwd=cwd, env=env, encoding="utf-8", timeout=120)


def check_expected(name: str, actual: str) -> None:
    """``actual`` must equal ``data/expected/<name>`` byte for byte.

    ``TRACKPLAN_UPDATE_EXPECTED=1`` rewrites the file instead (review the diff!).
    """
    path = EXPECTED / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8", newline="")
    assert path.read_text(encoding="utf-8") == actual
