from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class PlanFormat(Rule):
    """Plan does not follow the plan format (unknown key, wrong type, bad JSON Schema fragment, invalid regex, unknown `format`).

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP002"
    slug = "plan-format"
    default_severity = Severity.ERROR
    scopes = frozenset({"plan"})
    summary = "plan does not follow the plan format (unknown key, wrong type, bad JSON Schema fragment, invalid regex, unknown `format`)"
