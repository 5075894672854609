from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class PropertyNameCase(Rule):
    """Property name breaks the configured case.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP103"
    slug = "property-name-case"
    default_severity = Severity.WARNING
    scopes = frozenset({"plan", "code"})
    summary = "property name breaks the configured case"
