"""The one finding type shared by plan checks, code analysis and runtime validation.

Every enforcement point reports :class:`Diagnostic` values. Rules only *report*;
selection, suppression, severity overrides and ordering are decided by one engine
(:mod:`trackplan.registry.policy`), never by the rule that found the problem.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any

__all__ = ["Diagnostic", "Severity"]


class Severity(str, enum.Enum):
    """How bad a finding is. Only ``error`` makes a command exit non-zero."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Sort rank: errors first."""
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding.

    ``path``/``line``/``column`` locate it in a file (1-based line and column) when
    there is one: a plan file, a source file, a JSONL input. ``pointer`` is a JSON
    Pointer (RFC 6901) into the offending payload or plan document, e.g.
    ``/properties/items/0/quantity``. ``event`` names the event when known.
    """

    code: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    event: str | None = None
    pointer: str | None = None
    fix: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def with_location(self, **fields: Any) -> Diagnostic:
        return replace(self, **fields)

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        """Deterministic output order: file, position, code, pointer, message."""
        return (
            self.path or "",
            self.line or 0,
            self.column or 0,
            self.code,
            self.pointer or "",
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with only the fields that are set."""
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }
        for key in ("path", "line", "column", "end_line", "end_column", "event", "pointer", "fix"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out
