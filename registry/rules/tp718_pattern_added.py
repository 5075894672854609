from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
"""
_NEW_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true, pattern: "^#[0-9]+$"}
"""


class PatternAdded(Rule):
    """A pattern or format was added.

    **What it catches.** A string property that gained a `pattern` or a `format`.

    **Why it matters.** Old payloads whose strings do not match are refused: not
    backward compatible.

    **Example.** `order_id: {type: string}` becoming `order_id: {type: string, pattern:
    "^#[0-9]+$"}`.

    **Fix.** Add the pattern once senders comply, with a major bump.
    """

    code = "TP718"
    slug = "pattern-added"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a pattern or format was added"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
