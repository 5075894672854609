"""Add ``[tool.trackplan]`` to ``pyproject.toml`` without disturbing the rest of it.

Contract:
- :func:`plan_trackplan_table` decides the edit and writes nothing: it reads the file
  (bounded, :mod:`trackplan.linter.tomlfile`), refuses with :class:`PyprojectError` when
  the file cannot be read or parsed or when ``tool`` is not a table, and returns a
  :class:`ConfigEdit` holding the new file text (None when the existing table is kept).
- The edit is the smallest that works: the new table is *appended* to the file's text,
  leaving every existing byte as it was (out-of-order tables, dotted keys and comments
  included). Only when that cannot work (an inline ``tool = {...}`` table, or ``--force``
  replacing an existing table) is the document edited through tomlkit.
- The new text keeps the file's line endings (a CRLF file stays CRLF) and is checked
  before it is returned: parsed again, it must equal the old document with exactly
  ``tool.trackplan`` added or replaced. Anything else is a refusal, never a write.
- :func:`add_trackplan_table` is plan + one atomic write
  (:func:`trackplan.registry.fileio.atomic_write_text`); ``init`` itself commits all of its
  files together (:mod:`.run`).

The wrappers table carries one comment per entry saying where the wrapper was found;
helpers that could not be declared are written as commented-out suggestions with the
reason. Comment text is escaped (:func:`~trackplan.linter.init.draft.comment_text`).
"""

from __future__ import annotations

import copy
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import InlineTable, Table
from trackplan.linter.init.draft import comment_text
from trackplan.linter.init.wrappers import WrapperCandidate
from trackplan.linter.reporters import relative_path
from trackplan.linter.tomlfile import MAX_TOML_BYTES, TomlFileError, parse_toml
from trackplan.registry.fileio import InputFileError, atomic_write_text, read_text_capped

__all__ = [
    "ConfigEdit",
    "PyprojectError",
    "add_trackplan_table",
    "check_pyproject",
    "plan_trackplan_table",
    "with_line_endings_of",
]


class PyprojectError(Exception):
    """``pyproject.toml`` cannot be read, parsed or given a ``[tool.trackplan]`` table."""


@dataclass(frozen=True)
class ConfigEdit:
    """What happens to ``pyproject.toml``: ``created``, ``added``, ``replaced`` or ``kept``;
    ``text`` is the file's new content (None when it is kept as it is)."""

    path: Path
    action: str
    text: str | None = None


def with_line_endings_of(original: str | None, text: str) -> str:
    """``text`` (written with ``\\n``) in the line endings of ``original``: CRLF when every
    line of the original ends in CRLF, else unchanged."""
    if original and "\r\n" in original and original.count("\n") == original.count("\r\n"):
        return text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


def _read(pyproject: Path) -> tuple[str, dict[str, Any]] | None:
    """The file's text and document; None when there is no file."""
    if not os.path.lexists(pyproject):
        return None
    try:
        text = read_text_capped(pyproject, MAX_TOML_BYTES)
    except InputFileError as exc:
        raise PyprojectError(f"{pyproject}: cannot read: {exc.reason}") from None
    try:
        document = parse_toml(text, str(pyproject))
    except TomlFileError as exc:
        raise PyprojectError(str(exc)) from None
    tool = document.get("tool")
    if tool is not None and not isinstance(tool, dict):
        raise PyprojectError(
            f"{pyproject}: `tool` is {type(tool).__name__} value, not a table, so"
            " [tool.trackplan] cannot be added; fix `tool` first"
        )
    return text, document


def check_pyproject(pyproject: Path) -> bool:
    """Refuse early (:class:`PyprojectError`) what :func:`plan_trackplan_table` would
    refuse for the file as it is; whether it has a ``[tool.trackplan]`` table."""
    found = _read(pyproject)
    return found is not None and "trackplan" in found[1].get("tool", {})


def _wrapper_table(candidates: Sequence[WrapperCandidate], root: Path) -> Table:
    table = tomlkit.table()
    for candidate in candidates:
        if candidate.signature is not None:
            where = comment_text(f"{relative_path(candidate.path, root)}:{candidate.line}")
            via = comment_text(candidate.via)
            table.add(tomlkit.comment(f"found at {where} (passes its event on to {via})"))
            table.add(candidate.qualname, candidate.signature)
    for candidate in candidates:
        if candidate.signature is None:
            where = comment_text(f"{relative_path(candidate.path, root)}:{candidate.line}")
            table.add(tomlkit.comment(f"undecided, {where}: {comment_text(candidate.reason)}"))
            name = comment_text(candidate.qualname.replace('"', '\\"'))
            table.add(tomlkit.comment(f'"{name}" = "(...)"  # declare it by hand if it is one'))
    return table


def _our_values(plan: str, candidates: Sequence[WrapperCandidate]) -> dict[str, Any]:
    """The table's values as a parser will read them back."""
    values: dict[str, Any] = {"plan": plan}
    declared = {c.qualname: c.signature for c in candidates if c.signature is not None}
    if candidates:
        values["wrappers"] = declared
    return values


def _block(plan: str, candidates: Sequence[WrapperCandidate], root: Path) -> str:
    """``[tool.trackplan]`` (and its wrappers table) as standalone TOML text."""
    table = tomlkit.table(is_super_table=False)
    table.add(tomlkit.comment("Added by `trackplan init`; see docs/adopting.md."))
    table.add("plan", plan)
    if candidates:
        table.add("wrappers", _wrapper_table(candidates, root))
    tool = tomlkit.table(is_super_table=True)
    tool.add("trackplan", table)
    document = tomlkit.document()
    document.add("tool", tool)
    return tomlkit.dumps(document)


def _inline(values: Mapping[str, Any]) -> InlineTable:
    table = tomlkit.inline_table()
    for key, value in values.items():
        table.append(key, _inline(value) if isinstance(value, Mapping) else value)
    return table


def _appended(text: str, block: str) -> str:
    if not text.strip():
        return block
    return text + ("" if text.endswith("\n") else "\n") + "\n" + block


def _through_tomlkit(text: str, block: str, values: Mapping[str, Any], replace: bool) -> str:
    """The edit tomlkit makes: the old table removed, then the new one appended (or, in an
    inline ``tool`` table, added inline)."""
    document = tomlkit.parse(text)
    if replace:
        del document["tool"]["trackplan"]
    tool = document.get("tool")
    if isinstance(tool, InlineTable):
        tool.append("trackplan", _inline(values))
        return tomlkit.dumps(document)
    return _appended(tomlkit.dumps(document), block)


def _canonical(value: object) -> object:
    """A comparable form of a parsed document (NaN equal to NaN, key order ignored)."""
    if isinstance(value, dict):
        return sorted((key, _canonical(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return value


def _faithful(new_text: str, expected: Mapping[str, Any], path: Path) -> bool:
    try:
        return _canonical(parse_toml(new_text, str(path))) == _canonical(expected)
    except (TomlFileError, RecursionError, TypeError):
        return False


def plan_trackplan_table(
    pyproject: Path,
    *,
    plan: str,
    wrappers: Sequence[WrapperCandidate],
    force: bool = False,
) -> ConfigEdit:
    """The edit that gives ``pyproject`` our table; writes nothing (see the contract).

    An existing ``[tool.trackplan]`` is kept unless ``force``; everything else in the
    file is left exactly as it was.
    """
    root = pyproject.parent
    found = _read(pyproject)
    block = _block(plan, wrappers, root)
    values = _our_values(plan, wrappers)
    if found is None:
        return ConfigEdit(pyproject, "created", block)
    text, document = found
    has_ours = "trackplan" in document.get("tool", {})
    if has_ours and not force:
        return ConfigEdit(pyproject, "kept")
    expected = copy.deepcopy(document)
    expected.setdefault("tool", {})["trackplan"] = values
    candidates: list[str] = []
    if not has_ours:
        candidates.append(with_line_endings_of(text, _appended(text, block)))
    try:
        edited = _through_tomlkit(text, block, values, replace=has_ours)
        candidates.append(with_line_endings_of(text, edited))
    except Exception:  # tomlkit's failures are many kinds; each is a refusal
        pass
    for candidate in candidates:
        if _faithful(candidate, expected, pyproject):
            return ConfigEdit(pyproject, "replaced" if has_ours else "added", candidate)
    what = "replace the [tool.trackplan] table in" if has_ours else "add [tool.trackplan] to"
    raise PyprojectError(
        f"{pyproject}: cannot {what} this file without changing something else in it;"
        " nothing was written (edit the table by hand, then run `trackplan check`)"
    )


def add_trackplan_table(
    pyproject: Path,
    *,
    plan: str,
    wrappers: Sequence[WrapperCandidate],
    force: bool = False,
) -> ConfigEdit:
    """:func:`plan_trackplan_table`, then one atomic write of the new text."""
    edit = plan_trackplan_table(pyproject, plan=plan, wrappers=wrappers, force=force)
    if edit.text is not None:
        atomic_write_text(os.path.realpath(pyproject), edit.text)
    return edit
