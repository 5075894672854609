"""Which posthog version a scanned project is written against.

The capture signature changed in posthog 6.0, so the analyzer must know which side of
6.0 the project is on. In order: the configured override; the version the project
declares (``pyproject.toml`` ``[project]`` and optional dependencies, dependency groups,
Poetry, uv and PDM sections; ``requirements*.txt``; ``setup.cfg``; ``setup.py``); the
version installed next to trackplan; the latest release known to trackplan. A declared
range counts as its lowest allowed version (the code must work there).
"""

from __future__ import annotations

import ast
import configparser
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from trackplan.linter.limits import MAX_DECLARATION_BYTES
from trackplan.linter.tomlfile import TomlFileError, read_toml, strings_in, table_at
from trackplan.registry.fileio import InputFileError, read_bytes_capped

__all__ = ["LATEST_POSTHOG", "PosthogVersion", "detect_posthog_version", "parse_version"]

#: The newest posthog release this table of SDK facts was checked against.
LATEST_POSTHOG = "7.91.1"

_PACKAGES = ("posthog", "posthoganalytics")
_REQUIREMENT = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?P<spec>[^;#@]*)"
)
_CLAUSE = re.compile(r"(===|==|~=|!=|>=|<=|>|<|\^|~)?\s*v?(?P<version>\d+(?:\.\d+)*)")
#: Digits in one version component: more is no version (and ``int()`` of 4,300+ digits
#: raises), so such a clause is ignored.
_MAX_COMPONENT_DIGITS = 9
#: Components in one version (``1.2.3.4...``): more is no version.
_MAX_COMPONENTS = 8


@dataclass(frozen=True)
class PosthogVersion:
    """A posthog version and where it came from (``source`` is a file, ``config``,
    ``installed`` or ``latest``)."""

    version: tuple[int, ...]
    source: str
    path: Path | None = None

    @property
    def major(self) -> int:
        return self.version[0] if self.version else 0

    @property
    def text(self) -> str:
        return ".".join(str(part) for part in self.version)


def parse_version(text: str) -> tuple[int, ...] | None:
    """``"7.91.1"`` -> ``(7, 91, 1)``; None when it does not start with a number."""
    match = re.match(r"\s*v?(\d+(?:\.\d+)*)", text)
    if not match:
        return None
    return _numbers(match.group(1))


def _numbers(dotted: str) -> tuple[int, ...] | None:
    """``"7.91.1"`` -> ``(7, 91, 1)``; None when a part or the count is beyond a version."""
    parts = dotted.split(".")
    if len(parts) > _MAX_COMPONENTS or any(len(p) > _MAX_COMPONENT_DIGITS for p in parts):
        return None
    return tuple(int(part) for part in parts)


def _lowest(spec: str) -> tuple[int, ...] | None:
    """The lowest version a specifier (PEP 440 or Poetry) allows, when it bounds it."""
    lower: tuple[int, ...] | None = None
    upper: tuple[int, ...] | None = None
    for clause in spec.split(","):
        clause = clause.strip().strip("()")
        if not clause or clause == "*":
            continue
        match = _CLAUSE.match(clause)
        if not match:
            continue
        op = match.group(1) or "=="
        version = _numbers(match.group("version"))
        if version is None:
            continue
        if op in ("==", "===", ">=", "~=", ">", "^", "~"):
            lower = version if lower is None else max(lower, version)
        elif op in ("<", "<="):
            upper = version
    if lower is not None:
        return lower
    if upper is not None:
        # Only an upper bound: the project is on the release line just below it.
        if op == "<=":
            return upper
        parts = list(upper)
        while parts and parts[-1] == 0:
            parts.pop()
        if not parts:
            return None
        parts[-1] -= 1
        return (*parts, 999)
    return None


def _from_requirement(line: str) -> tuple[bool, tuple[int, ...] | None]:
    """(names posthog?, lowest version) for one PEP 508 requirement string."""
    match = _REQUIREMENT.match(line)
    if not match or match.group("name").lower().replace("_", "-") not in _PACKAGES:
        return False, None
    return True, _lowest(match.group("spec"))


def _poetry_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("version"), str):
        return str(value["version"])
    return ""


def _pyproject_requirements(data: Mapping[str, Any]) -> Iterator[str]:
    """Every requirement string the document declares; any other shape declares nothing
    (these tables belong to other tools: a wrong type there is not trackplan's business)."""
    project = table_at(data, "project") or {}
    yield from strings_in(project.get("dependencies"))
    for group in (table_at(project, "optional-dependencies") or {}).values():
        yield from strings_in(group)
    for group in (table_at(data, "dependency-groups") or {}).values():
        yield from strings_in(group)
    poetry = table_at(data, "tool", "poetry") or {}
    tables = [table_at(poetry, "dependencies"), table_at(poetry, "dev-dependencies")]
    tables += [table_at(g, "dependencies") for g in (table_at(poetry, "group") or {}).values()]
    for table in tables:
        for name, value in (table or {}).items():
            yield f"{name} {_poetry_value(value)}"
    yield from strings_in((table_at(data, "tool", "uv") or {}).get("dev-dependencies"))
    for group in (table_at(data, "tool", "pdm", "dev-dependencies") or {}).values():
        yield from strings_in(group)


def _text(path: Path) -> str:
    """A declaration file's text, capped; undecodable bytes replaced (they cannot be part
    of a requirement we look for)."""
    return read_bytes_capped(path, MAX_DECLARATION_BYTES).decode("utf-8", errors="replace")


def _requirements_txt(path: Path) -> Iterator[str]:
    for line in _text(path).splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith(("#", "-")):
            yield line


def _setup_cfg(path: Path) -> Iterator[str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(_text(path), source=str(path))
    if parser.has_option("options", "install_requires"):
        yield from parser.get("options", "install_requires").splitlines()
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            yield from value.splitlines()


def _setup_py(path: Path) -> Iterator[str]:
    tree = ast.parse(read_bytes_capped(path, MAX_DECLARATION_BYTES))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _pyproject(path: Path) -> Iterator[str]:
    yield from _pyproject_requirements(read_toml(path)[1])


def _regular(path: Path) -> bool:
    """A regular file (a FIFO or a device named like a declaration declares nothing)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _sources(root: Path) -> Iterator[tuple[Path, Callable[[Path], Iterator[str]]]]:
    yield root / "pyproject.toml", _pyproject
    for path in sorted(root.glob("requirements*.txt")) + sorted(root.glob("requirements/*.txt")):
        yield path, _requirements_txt
    yield root / "setup.cfg", _setup_cfg
    yield root / "setup.py", _setup_py


def declared_posthog_version(root: Path) -> PosthogVersion | None:
    """The lowest posthog version the project at ``root`` declares, if it declares one."""
    for path, reader in _sources(root):
        if not _regular(path):
            continue
        try:
            requirements = list(reader(path))
        except (
            InputFileError,
            TomlFileError,
            OSError,
            ValueError,
            SyntaxError,
            RecursionError,
            MemoryError,
            configparser.Error,
        ):
            continue  # an unreadable declaration file declares nothing
        for requirement in requirements:
            named, version = _from_requirement(requirement)
            if named and version is not None:
                return PosthogVersion(version, path.name, path)
    return None


def detect_posthog_version(root: Path, override: str | None = None) -> PosthogVersion:
    """The posthog version to analyse ``root`` against (see the module docstring)."""
    if override:
        version = _lowest(override) or parse_version(override)
        if version:
            return PosthogVersion(version, "config")
    declared = declared_posthog_version(root)
    if declared is not None:
        return declared
    for package in _PACKAGES:
        try:
            installed = parse_version(metadata.version(package))
        except metadata.PackageNotFoundError:
            continue
        if installed:
            return PosthogVersion(installed, "installed")
    return PosthogVersion(parse_version(LATEST_POSTHOG) or (7,), "latest")
