from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class SourceUnparseable(Rule):
    """A source file cannot be read or parsed.

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP901"
    slug = "source-unparseable"
    default_severity = Severity.ERROR
    scopes = frozenset({"code"})
    summary = "a source file cannot be read or parsed"
