"""The JSON form of one analysed file's result: what a worker returns and the cache keeps.

A worker turns the analyzer's diagnostics and calls into plain JSON-ready data with paths
relative to the project root (:class:`_Outcome`); the parent stores that unchanged in the
lint cache and turns it back into :class:`Diagnostic` objects and absolute call records
only when it collects the findings of a run.

Separate from :mod:`trackplan.linter.runner` and :mod:`trackplan.linter.workers` because
both sides of the process boundary must agree on this one form: the workers produce it,
the run and its cache consume it. It imports neither side, nor libcst.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trackplan.registry.diagnostics import Diagnostic, Severity

__all__ = [
    "_Outcome",
    "_absolute_call",
    "_call_to_json",
    "_diagnostic_from_json",
    "_diagnostic_to_json",
    "_json_unreadable",
    "_relative",
    "_text_safe",
    "_unreadable",
    "valid_call",
    "valid_diagnostic",
]


@dataclass(frozen=True)
class _Outcome:
    """One analysed file, JSON-ready (paths relative to the root), as cached."""

    path: str
    diagnostics: list[dict[str, Any]]
    calls: list[dict[str, Any]]
    dependencies: list[str]
    #: False for a result that says nothing about the file (its worker died): not cached
    cacheable: bool = True


def _relative(path: str | os.PathLike[str], root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators (``..`` when outside it)."""
    text, base = os.fspath(path), os.fspath(root)
    if text.startswith(base) and text[len(base) : len(base) + 1] == os.sep:
        text = text[len(base) + 1 :]
    else:
        text = os.path.relpath(text, base)
    return text if os.sep == "/" else text.replace(os.sep, "/")


def _diagnostic_to_json(diag: Diagnostic, root: Path) -> dict[str, Any]:
    data = diag.to_dict()
    if diag.path:
        data["path"] = _relative(diag.path, root)
    return data


def _diagnostic_from_json(data: Mapping[str, Any], root: Path) -> Diagnostic:
    fields = dict(data)
    fields["severity"] = Severity(fields["severity"])
    if fields.get("path"):
        fields["path"] = os.path.normpath(root / fields["path"])
    if fields.get("line") is not None and fields.get("end_line") is None:
        # An unknown end is the start: every located code finding has a full range.
        fields["end_line"] = fields["line"]
        fields["end_column"] = fields.get("column")
    return Diagnostic(**fields)


def _call_to_json(call: Any, root: Path) -> dict[str, Any]:
    return {
        "path": _relative(call.path, root),
        "line": call.line,
        "column": call.column,
        "end_line": call.end_line,
        "end_column": call.end_column,
        "kind": call.kind,
        "target": call.target,
        "event": call.event,
        "properties": dict(call.properties) if call.properties is not None else None,
        "distinct_id": call.distinct_id,
    }


def _text_safe(value: Any) -> Any:
    """``value`` with every string encodable as UTF-8: a lone surrogate (a string literal
    like ``"\\ud800"`` in the source) becomes its ``\\ud800`` escape, so reporters and the
    cache (orjson refuses surrogates) can write it. Other values are returned as they are.
    """
    if isinstance(value, str):
        if value.isascii():
            return value
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, dict):
        return {_text_safe(k): _text_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_text_safe(v) for v in value]
    return value


def _unreadable(path: str, reason: str) -> Diagnostic:
    from trackplan.registry.rules import diagnostic

    return diagnostic(
        "TP901", f"cannot analyse this file: {reason}", path=_text_safe(path), line=1, column=1
    )


def _json_unreadable(path: str, reason: str, root: Path) -> dict[str, Any]:
    return _diagnostic_to_json(_unreadable(path, reason), root)


def _absolute_call(data: Mapping[str, Any], root: Path) -> dict[str, Any]:
    call = dict(data)
    call["path"] = os.path.normpath(root / call["path"])
    return call


# -- the schema of the JSON form (checked on every cache load) ------------------------------

_SEVERITIES = frozenset(s.value for s in Severity)
_DIAGNOSTIC_TEXT = ("path", "event", "pointer", "fix")
_DIAGNOSTIC_NUMBERS = ("line", "column", "end_line", "end_column")
_DIAGNOSTIC_KEYS = frozenset(
    ("code", "severity", "message", *_DIAGNOSTIC_TEXT, *_DIAGNOSTIC_NUMBERS)
)
_CALL_KEYS = frozenset(
    (
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "kind",
        "target",
        "event",
        "properties",
        "distinct_id",
    )
)


def _int(value: object) -> bool:
    return type(value) is int and 0 <= value < 1 << 31


def _optional_str(value: object) -> bool:
    return value is None or type(value) is str


def valid_diagnostic(data: object) -> bool:
    """Whether ``data`` is a diagnostic as :func:`_diagnostic_to_json` writes it."""
    return (
        type(data) is dict
        and data.keys() <= _DIAGNOSTIC_KEYS
        and type(data.get("code")) is str
        and type(data.get("severity")) is str
        and data["severity"] in _SEVERITIES
        and type(data.get("message")) is str
        and all(_optional_str(data.get(key)) for key in _DIAGNOSTIC_TEXT)
        and all(data.get(key) is None or _int(data.get(key)) for key in _DIAGNOSTIC_NUMBERS)
    )


def valid_call(data: object) -> bool:
    """Whether ``data`` is a tracking call as :func:`_call_to_json` writes it."""
    if type(data) is not dict or data.keys() != _CALL_KEYS:
        return False
    properties = data["properties"]
    return (
        type(data["path"]) is str
        and all(_int(data[key]) for key in ("line", "column", "end_line", "end_column"))
        and type(data["kind"]) is str
        and type(data["target"]) is str
        and _optional_str(data["event"])
        and _optional_str(data["distinct_id"])
        and (
            properties is None
            or (type(properties) is dict and all(type(v) is str for v in properties.values()))
        )
    )
