from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class EventNameGrammar(Rule):
    """Event name breaks the configured grammar (object-verb, tense, verb list).

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP102"
    slug = "event-name-grammar"
    default_severity = Severity.ERROR
    scopes = frozenset({"plan", "code"})
    summary = "event name breaks the configured grammar (object-verb, tense, verb list)"
