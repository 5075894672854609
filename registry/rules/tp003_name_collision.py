from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class NameCollision(Rule):
    """Two events or properties collide after normalising case and separators.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP003"
    slug = "name-collision"
    default_severity = Severity.ERROR
    scopes = frozenset({"plan"})
    summary = "two events or properties collide after normalising case and separators"
