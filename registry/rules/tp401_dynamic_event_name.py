from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class DynamicEventName(Rule):
    """Event name cannot be resolved statically.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP401"
    slug = "dynamic-event-name"
    default_severity = Severity.WARNING
    scopes = frozenset({"code"})
    summary = "event name cannot be resolved statically"
