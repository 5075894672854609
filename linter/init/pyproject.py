"""Add ``[tool.trackplan]`` to ``pyproject.toml`` without disturbing the rest of it.

tomlkit keeps the user's formatting and comments. The wrappers table carries one comment
per entry saying where the wrapper was found; helpers that could not be declared are
written as commented-out suggestions with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.items import Table
from trackplan.linter.init.wrappers import WrapperCandidate
from trackplan.linter.reporters import relative_path

__all__ = ["ConfigEdit", "PyprojectError", "add_trackplan_table"]


class PyprojectError(Exception):
    """``pyproject.toml`` exists but is not valid TOML."""


@dataclass(frozen=True)
class ConfigEdit:
    """What happened to ``pyproject.toml``: ``created``, ``added``, ``replaced`` or ``kept``."""

    path: Path
    action: str


def _wrapper_table(candidates: Sequence[WrapperCandidate], root: Path) -> Table:
    table = tomlkit.table()
    for candidate in candidates:
        where = f"{relative_path(candidate.path, root)}:{candidate.line}"
        if candidate.signature is not None:
            table.add(tomlkit.comment(f"found at {where} (passes its event on to {candidate.via})"))
            table.add(candidate.qualname, candidate.signature)
    for candidate in candidates:
        if candidate.signature is None:
            where = f"{relative_path(candidate.path, root)}:{candidate.line}"
            table.add(tomlkit.comment(f"undecided, {where}: {candidate.reason}"))
            table.add(
                tomlkit.comment(
                    f'"{candidate.qualname}" = "(...)"  # declare it by hand if it is one'
                )
            )
    return table


def _trackplan_table(plan: str, candidates: Sequence[WrapperCandidate], root: Path) -> Table:
    table = tomlkit.table(is_super_table=False)
    table.add(tomlkit.comment("Added by `trackplan init`; see docs/adopting.md."))
    table.add("plan", plan)
    if candidates:
        table.add("wrappers", _wrapper_table(candidates, root))
    return table


def add_trackplan_table(
    pyproject: Path,
    *,
    plan: str,
    wrappers: Sequence[WrapperCandidate],
    force: bool = False,
) -> ConfigEdit:
    """Write ``[tool.trackplan]`` into ``pyproject`` (created if missing).

    An existing ``[tool.trackplan]`` is kept unless ``force``; everything else in the
    file is left exactly as it was.
    """
    root = pyproject.parent
    if pyproject.exists():
        try:
            document = tomlkit.parse(pyproject.read_text(encoding="utf-8"))
        except (tomlkit.exceptions.ParseError, UnicodeDecodeError) as exc:
            raise PyprojectError(f"{pyproject}: not valid TOML: {exc}") from exc
        action = "added"
    else:
        document = tomlkit.document()
        action = "created"
    tool = document.get("tool")
    if tool is None:
        tool = tomlkit.table(is_super_table=True)
        document.add("tool", tool)
    if "trackplan" in tool:
        if not force:
            return ConfigEdit(pyproject, "kept")
        del tool["trackplan"]
        action = "replaced"
    tool.add("trackplan", _trackplan_table(plan, wrappers, root))
    text = tomlkit.dumps(document)
    pyproject.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return ConfigEdit(pyproject, action)
