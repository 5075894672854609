from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class UndeclaredProperty(Rule):
    """Property not declared on a closed event.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP203"
    slug = "undeclared-property"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = "property not declared on a closed event"
