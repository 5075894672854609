from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class RemovedApi(Rule):
    """API removed in posthog 6 (`identify`, `page`, `screen`) used in a project on posthog >= 6.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP502"
    slug = "removed-api"
    default_severity = Severity.ERROR
    scopes = frozenset({"code"})
    summary = (
        "API removed in posthog 6 (`identify`, `page`, `screen`) used in a project on posthog >= 6"
    )
