from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class DeprecatedEvent(Rule):
    """Event is deprecated.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP205"
    slug = "deprecated-event"
    default_severity = Severity.WARNING
    scopes = frozenset({"code", "payload"})
    summary = "event is deprecated"
