from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class LegacyCaptureSignature(Rule):
    """Legacy positional `capture(distinct_id, event, ...)` in a project on posthog >= 6.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP501"
    slug = "legacy-capture-signature"
    default_severity = Severity.ERROR
    scopes = frozenset({"code"})
    summary = "legacy positional `capture(distinct_id, event, ...)` in a project on posthog >= 6"
