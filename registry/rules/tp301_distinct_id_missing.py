from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class DistinctIdMissing(Rule):
    """Distinct id missing, empty or blank.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP301"
    slug = "distinct-id-missing"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = "distinct id missing, empty or blank"
