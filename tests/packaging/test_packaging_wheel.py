"""A real, non-editable wheel: what it contains, and that it works once installed.

The wheel is built with ``pip wheel --no-deps`` from a copy of the repository (so the
shared work tree gets no ``build/`` or ``*.egg-info``), then installed into a fresh
venv that sees the running environment's packages after its own (to reuse the installed
dependencies, see ``tests/suite_support.py``; trackplan itself must come from the wheel,
which the tests check).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging_support import REPO, configured_packages, shipped_source_files
from suite_support import see_running_environment

_SKIP_DIRS = {".git", "tests", "build", "dist", "bench", ".venv", "venv"}


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}


def _run(cmd: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, capture_output=True, text=True, cwd=cwd, env=_env(), timeout=timeout, check=False
    )


def _ignore(directory: str, names: list[str]) -> set[str]:
    top = Path(directory) == REPO
    return {
        n
        for n in names
        if n == "__pycache__"
        or n.endswith((".egg-info", ".pyc"))
        or n.startswith((".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"))
        or (top and n in _SKIP_DIRS)
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(REPO, source, ignore=_ignore, symlinks=True)
    proc = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", ".", "-w", str(work / "dist")],
        cwd=source,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = (work / "dist").glob("trackplan-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_ships_every_configured_package(wheel_names: set[str]) -> None:
    for package in configured_packages():
        assert f"{package.replace('.', '/')}/__init__.py" in wheel_names, package


def test_wheel_ships_every_source_and_data_file(wheel_names: set[str]) -> None:
    expected = shipped_source_files()
    assert not sorted(set(expected) - wheel_names), "files missing from the wheel"


def test_wheel_ships_the_data_files_by_name(wheel_names: set[str]) -> None:
    def under(prefix: str, suffix: str) -> list[str]:
        return [n for n in wheel_names if n.startswith(prefix) and n.endswith(suffix)]

    assert "trackplan/registry/data/plan.schema.json" in wheel_names  # plan format schema
    assert under("trackplan/registry/naming/", ".txt"), "naming lexicon missing"
    assert "trackplan/registry/py.typed" in wheel_names
    assert "trackplan/linter/py.typed" in wheel_names
    rules = under("trackplan/registry/rules/tp", ".py")
    assert len(rules) == len(list((REPO / "registry" / "rules").glob("tp[0-9]*.py")))


def test_wheel_holds_only_the_trackplan_namespace(wheel: Path, wheel_names: set[str]) -> None:
    tops = {name.split("/", 1)[0] for name in wheel_names}
    assert tops == {"trackplan", wheel.name.split("-py3")[0] + ".dist-info"}
    assert "trackplan/__init__.py" not in wheel_names  # implicit namespace package
    assert not [n for n in wheel_names if "/tests/" in n or n.endswith(".pyc")]
    with zipfile.ZipFile(wheel) as archive:
        info = wheel.name.split("-py3")[0] + ".dist-info"
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert "trackplan = trackplan.linter.cli:main" in entry_points


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("venv") / "env"
    here = root.parent
    proc = _run([sys.executable, "-m", "venv", str(root)], cwd=here)
    assert proc.returncode == 0, proc.stderr
    see_running_environment(root)
    pip = [str(root / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index"]
    proc = _run([*pip, str(wheel)], cwd=here)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    yield root


def test_installed_wheel_is_the_one_imported(venv: Path) -> None:
    code = (
        "import json, trackplan.registry, trackplan.linter.cli;"
        "print(json.dumps([trackplan.registry.__file__, trackplan.linter.cli.__file__]))"
    )
    proc = _run([str(venv / "bin" / "python"), "-c", code], cwd=venv.parent)
    assert proc.returncode == 0, proc.stderr
    for path in json.loads(proc.stdout):
        assert Path(path).is_relative_to(venv), f"{path} is not the installed wheel"


def test_installed_wheel_gives_a_working_trackplan_rules(venv: Path, wheel_names: set[str]) -> None:
    trackplan = str(venv / "bin" / "trackplan")
    listing = _run([trackplan, "rules"], cwd=venv.parent)
    assert listing.returncode == 0, listing.stderr
    shipped = sorted(
        name.rsplit("/", 1)[1][:5].upper()
        for name in wheel_names
        if name.startswith("trackplan/registry/rules/tp")
    )
    assert [line.split()[0] for line in listing.stdout.splitlines()] == shipped
    assert "TP202  error    required-property-missing" in listing.stdout
    page = _run([trackplan, "rules", "TP501"], cwd=venv.parent)
    assert page.returncode == 0 and "**Fix.**" in page.stdout
    assert _run([trackplan, "rules", "TP999"], cwd=venv.parent).returncode == 2


def test_installed_wheel_finds_its_data_files(venv: Path, tmp_path: Path) -> None:
    """The plan schema and the verb lexicon are read from the installed package."""
    trackplan = str(venv / "bin" / "trackplan")
    schema = _run([trackplan, "schema"], cwd=tmp_path)
    assert schema.returncode == 0, schema.stderr
    assert "$schema" in json.loads(schema.stdout)
    plan = tmp_path / "plan.yaml"
    plan.write_text("version: 1\nevents:\n  user_signed_up: {}\n  started_trial: {}\n")
    check = _run([trackplan, "check", str(plan)], cwd=tmp_path)
    assert check.returncode == 1, check.stdout + check.stderr
    findings = check.stdout.splitlines()
    assert findings, check.stderr
    # only `started_trial` (line 4); the lexicon knows the phrasal verb in `user_signed_up`
    assert all(line.startswith("plan.yaml:4:3: TP102 ") for line in findings), findings
    assert "did you mean `trial_started`?" in check.stdout
