from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class ReservedPrefix(Rule):
    """Custom event or property name uses PostHog's reserved `$` prefix.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP104"
    slug = "reserved-prefix"
    default_severity = Severity.WARNING
    scopes = frozenset({"plan", "code"})
    summary = "custom event or property name uses PostHog's reserved `$` prefix"
