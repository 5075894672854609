"""The README's two quickstart commands on a fresh clone, in a fresh virtualenv.

Marked ``slow`` (deselected by default; ``pytest -m slow tests/project`` runs it): it
clones this repository's HEAD into a temp dir, creates a venv with ``python -m venv``,
installs from the package index and runs the whole suite inside the clone, which takes
minutes. The clone's own suite deselects this test, so it does not recurse.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.slow


def _quickstart() -> tuple[str, str, str]:
    """The main command, the last line of its shown output, the test command."""
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    main, test = (b.strip() for b in re.findall(r"```sh\n(.*?)```", section, re.S))
    (shown,) = re.findall(r"```text\n(.*?)```", section, re.S)
    return main, shown.strip().splitlines()[-1], test


def _venv_env(venv: Path) -> dict[str, str]:
    """An activated venv, as `. v/bin/activate` gives it: nothing of ours leaks in."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME") and not k.startswith("PIP_")
    }
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_readme_commands_work_on_a_fresh_clone_in_a_fresh_venv(tmp_path: Path) -> None:
    main, last_line, test = _quickstart()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    venv = tmp_path / "v"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = _venv_env(venv)

    done = subprocess.run(
        ["bash", "-c", main], cwd=clone, env=env, capture_output=True, text=True, timeout=1800
    )
    # the bundled samples are deliberately invalid: exit 1, the summary the README shows
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == last_line
    assert "Traceback" not in done.stderr

    done = subprocess.run(
        ["bash", "-c", test], cwd=clone, env=env, capture_output=True, text=True, timeout=5400
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
    summary = done.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary
