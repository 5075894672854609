"""What the runtime hook does with a violation: the modes and how one is chosen.

A mode is picked per violation: a per-code override wins, then a per-severity
setting, then the hook's default mode. The modes of an event's violations combine:
``drop`` beats ``tag`` and ``warn`` (a dropped event is not sent, so it is not tagged).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from trackplan.registry.diagnostics import Diagnostic, Severity

__all__ = ["Mode", "ModePolicy"]


class Mode(str, enum.Enum):
    """The action taken for one violation.

    ``ignore``: counted only. ``warn``: one log line (event, code, path; never
    values), event sent unchanged. ``tag``: event sent with a
    ``$trackplan_violations`` property. ``drop``: event not sent, one log line.
    ``strict``: recorded for the pytest plugin, event sent unchanged.
    """

    IGNORE = "ignore"
    WARN = "warn"
    TAG = "tag"
    DROP = "drop"
    STRICT = "strict"

    @classmethod
    def parse(cls, value: Mode | str) -> Mode:
        """A mode from its name; ``ValueError`` naming the choices otherwise."""
        if isinstance(value, Mode):
            return value
        try:
            return cls(value.strip().lower())
        except ValueError:
            choices = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown trackplan mode {value!r} (choose: {choices})") from None


def _parse_severity(value: Severity | str) -> Severity:
    if isinstance(value, Severity):
        return value
    try:
        return Severity(value.strip().lower())
    except ValueError:
        choices = ", ".join(s.value for s in Severity)
        raise ValueError(f"unknown severity {value!r} (choose: {choices})") from None


@dataclass(frozen=True)
class ModePolicy:
    """The mode of each violation: per code, then per severity, then ``default``.

    By default ``info`` findings (such as TP206 "did you mean") are ignored, so
    they never add log lines next to the TP201 they explain.
    """

    default: Mode = Mode.WARN
    by_severity: Mapping[Severity, Mode] = field(
        default_factory=lambda: {Severity.INFO: Mode.IGNORE}
    )
    by_code: Mapping[str, Mode] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        mode: Mode | str = Mode.WARN,
        severity_modes: Mapping[Severity | str, Mode | str] | None = None,
        code_modes: Mapping[str, Mode | str] | None = None,
    ) -> ModePolicy:
        """A policy from plain strings (config files, CLI flags); ``ValueError`` on typos."""
        by_severity: dict[Severity, Mode] = {Severity.INFO: Mode.IGNORE}
        for severity, chosen in (severity_modes or {}).items():
            by_severity[_parse_severity(severity)] = Mode.parse(chosen)
        by_code = {code.strip().upper(): Mode.parse(m) for code, m in (code_modes or {}).items()}
        return cls(Mode.parse(mode), by_severity, by_code)

    def mode_for(self, diagnostic: Diagnostic) -> Mode:
        """The mode for one violation."""
        chosen = self.by_code.get(diagnostic.code)
        if chosen is not None:
            return chosen
        return self.by_severity.get(diagnostic.severity, self.default)
