"""Helpers shared by the ``trackplan lint`` command tests (a uniquely named module, so
it never collides with another test directory's helpers): a real subprocess of the
installed ``trackplan`` CLI and exact expected-output comparison."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

DATA = Path(__file__).parent / "data"
PROJECT = DATA / "project"
EXPECTED = DATA / "expected"
UPDATE = os.environ.get("TRACKPLAN_UPDATE_EXPECTED") == "1"

_EXE = Path(sys.executable).with_name("trackplan")
TRACKPLAN = [str(_EXE)] if _EXE.exists() else [shutil.which("trackplan") or "trackplan"]

Run = Callable[..., subprocess.CompletedProcess[str]]


def run_trackplan(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``trackplan <args>`` in ``cwd``; GitHub Actions variables are removed unless given."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    environment.update(env or {})
    return subprocess.run(
        [*TRACKPLAN, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )


def check_expected(name: str, actual: str) -> None:
    """``actual`` must equal ``data/expected/<name>`` byte for byte.

    ``TRACKPLAN_UPDATE_EXPECTED=1`` rewrites the file instead (review the diff!).
    """
    path = EXPECTED / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8", newline="")
    assert path.read_text(encoding="utf-8") == actual
