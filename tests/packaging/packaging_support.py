"""Helpers shared by the packaging tests: where the repository is, what it ships."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]
#: Repository directory -> installed package name.
ROOTS = {
    "registry": "trackplan.registry",
    "linter": "trackplan.linter",
    "server": "trackplan.server",
}


def _pyproject() -> dict[str, object]:
    with (REPO / "pyproject.toml").open("rb") as stream:
        return tomllib.load(stream)


def configured_packages() -> list[str]:
    """``[tool.setuptools] packages`` from pyproject.toml."""
    tool = _pyproject()["tool"]
    assert isinstance(tool, dict)
    packages = tool["setuptools"]["packages"]
    assert isinstance(packages, list)
    return [str(p) for p in packages]


def package_dirs() -> list[str]:
    """Installed names of every directory under registry/ and linter/ with an __init__.py."""
    found = []
    for top, name in ROOTS.items():
        for init in sorted((REPO / top).rglob("__init__.py")):
            rel = init.parent.relative_to(REPO / top).parts
            found.append(".".join((name, *rel)))
    return found


def shipped_source_files() -> dict[str, Path]:
    """Wheel path -> repository file for every file the packages must ship."""
    out: dict[str, Path] = {}
    for top, name in ROOTS.items():
        for path in sorted((REPO / top).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            rel = path.relative_to(REPO / top).as_posix()
            out[f"{name.replace('.', '/')}/{rel}"] = path
    return out
