"""What is importable once trackplan is installed, checked in fresh interpreters.

Bare ``registry``/``linter`` must never be importable (the repository keeps the two
halves at the top level, but they install under ``trackplan`` only), and the runtime
half must stay embeddable: importing ``trackplan.registry`` and its modules must not
import the linter's dependencies (click, libcst, orjson).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from packaging_support import REPO, configured_packages, package_dirs

LINTER_ONLY = ("click", "libcst", "orjson")


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", ["registry", "linter", "registry.rules", "linter.cli"])
def test_bare_top_level_packages_are_not_importable(name: str, tmp_path: Path) -> None:
    proc = _python(f"import {name}", tmp_path)
    assert proc.returncode == 1
    assert f"ModuleNotFoundError: No module named '{name.split('.')[0]}'" in proc.stderr


def test_namespaced_packages_are_importable_from_anywhere(tmp_path: Path) -> None:
    proc = _python("import trackplan.registry, trackplan.linter.cli; print('ok')", tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "ok\n", "")


_PROBE = """
import importlib, json, sys
for name in {modules!r}:
    importlib.import_module(name)
{extra}
print(json.dumps(sorted(m for m in {forbidden!r} if m in sys.modules)))
"""


@pytest.mark.parametrize(
    ("modules", "extra"),
    [
        (["trackplan.registry"], ""),
        (["trackplan.registry.loader"], ""),
        (["trackplan.registry.validation"], ""),
        (["trackplan.registry.rules"], "sys.modules['trackplan.registry.rules'].catalogue()"),
    ],
    ids=["package", "loader", "validation", "rule-catalogue"],
)
def test_registry_does_not_import_linter_dependencies(
    modules: list[str], extra: str, tmp_path: Path
) -> None:
    proc = _python(_PROBE.format(modules=modules, extra=extra, forbidden=LINTER_ONLY), tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_no_registry_module_imports_linter_dependencies(tmp_path: Path) -> None:
    """Every module under registry/ imported into one fresh interpreter.

    If the union of all of them leaves click, libcst and orjson out of ``sys.modules``,
    so does each one alone.
    """
    modules = sorted(
        ".".join(("trackplan", *path.relative_to(REPO).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for path in (REPO / "registry").rglob("*.py")
        if "__pycache__" not in path.parts
    )
    assert "trackplan.registry.rules.tp202_required_property_missing" in modules
    assert "trackplan.registry" in modules
    forbidden = (*LINTER_ONLY, "trackplan.server", "uvicorn", "starlette")
    proc = _python(_PROBE.format(modules=modules, extra="", forbidden=forbidden), tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_every_package_directory_is_listed_in_pyproject() -> None:
    on_disk = package_dirs()
    listed = configured_packages()
    assert "trackplan.registry.rules" in on_disk
    assert sorted(set(on_disk) - set(listed)) == [], "add these to [tool.setuptools] packages"
    assert sorted(set(listed) - set(on_disk)) == [], "listed packages without __init__.py"
