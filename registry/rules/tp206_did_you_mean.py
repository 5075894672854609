from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class DidYouMean(Rule):
    """Unknown event closely matches a planned one ("did you mean `user_signed_up`?").

    TODO(catalogue): What / Why / Example / Fix, and VALID/INVALID examples.
    """

    code = "TP206"
    slug = "did-you-mean"
    default_severity = Severity.INFO
    scopes = frozenset({"code", "payload"})
    summary = 'unknown event closely matches a planned one ("did you mean `user_signed_up`?")'
