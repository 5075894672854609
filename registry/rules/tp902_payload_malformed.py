from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class PayloadMalformed(Rule):
    """Payload is malformed (not JSON, not an object, no event name, properties not an object).

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP902"
    slug = "payload-malformed"
    default_severity = Severity.ERROR
    scopes = frozenset({"payload"})
    summary = (
        "payload is malformed (not JSON, not an object, no event name, properties not an object)"
    )
