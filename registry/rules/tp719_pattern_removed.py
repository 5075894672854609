from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      email: {type: string, format: email}
"""
_NEW_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      email: {type: string, format: email}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      email: {type: string, format: email}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      email: {type: string}
"""


class PatternRemoved(Rule):
    """A pattern or format was removed.

    **What it catches.** A string property that lost its `pattern` or `format`.

    **Why it matters.** Old payloads stay valid; new payloads may carry strings the old
    plan refuses: not forward compatible.

    **Example.** `email: {type: string, format: email}` becoming `email: {type:
    string}`.

    **Fix.** Nothing when forward compatibility is not required.
    """

    code = "TP719"
    slug = "pattern-removed"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a pattern or format was removed"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
