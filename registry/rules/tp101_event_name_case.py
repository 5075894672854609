from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class EventNameCase(Rule):
    """Event name breaks the configured case.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP101"
    slug = "event-name-case"
    default_severity = Severity.ERROR
    scopes = frozenset({"plan", "code"})
    summary = "event name breaks the configured case"
