from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class PropertyValue(Rule):
    """Property value breaks its spec (type, enum, pattern, range, format, items, ...).

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP204"
    slug = "property-value"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = "property value breaks its spec (type, enum, pattern, range, format, items, ...)"
