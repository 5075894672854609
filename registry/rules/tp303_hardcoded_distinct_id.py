from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class HardcodedDistinctId(Rule):
    """Distinct id is a hard-coded literal.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP303"
    slug = "hardcoded-distinct-id"
    default_severity = Severity.WARNING
    scopes = frozenset({"code"})
    summary = "distinct id is a hard-coded literal"
