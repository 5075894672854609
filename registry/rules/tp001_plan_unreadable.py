from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class PlanUnreadable(Rule):
    """Plan file is not valid YAML / not readable.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP001"
    slug = "plan-unreadable"
    default_severity = Severity.ERROR
    scopes = frozenset({"plan"})
    summary = "plan file is not valid YAML / not readable"
