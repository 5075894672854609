from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class UnplannedEvent(Rule):
    """Event is not in the plan.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP201"
    slug = "unplanned-event"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = "event is not in the plan"
