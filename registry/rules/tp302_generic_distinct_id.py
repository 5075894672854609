from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class GenericDistinctId(Rule):
    """Distinct id is one of the generic ids PostHog refuses.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP302"
    slug = "generic-distinct-id"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = "distinct id is one of the generic ids PostHog refuses"
