"""The codebase stays `mypy --strict` and `ruff` clean (enforced in CI, not by habit).

mypy cannot follow setuptools' ``package-dir`` mapping through the editable-install
finder, so the check builds a ``trackplan/`` tree of symlinks in a temp dir and checks
the packages under their real import names.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_strict_is_clean(tmp_path: Path) -> None:
    namespace = tmp_path / "trackplan"
    namespace.mkdir()
    (namespace / "registry").symlink_to(ROOT / "registry")
    (namespace / "linter").symlink_to(ROOT / "linter")
    (namespace / "server").symlink_to(ROOT / "server")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "-p",
            "trackplan.registry",
            "-p",
            "trackplan.linter",
            "-p",
            "trackplan.server",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "ruff", "check"),
            *("registry", "linter", "server", "tests", "bench", "scripts"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
