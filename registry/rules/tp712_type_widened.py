from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      amount: {type: integer}
"""
_NEW_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      amount: {type: integer}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      amount: {type: integer}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      amount: {type: number}
"""


class TypeWidened(Rule):
    """A property's type was widened.

    **What it catches.** A property whose `type` allows more JSON types than before
    (integer to number, string to [string, null]).

    **Why it matters.** Every old payload stays valid (backward compatible), but new
    payloads may use the new type, which the old plan refuses: not forward compatible.

    **Example.** `amount: {type: integer}` becoming `amount: {type: number}`.

    **Fix.** Nothing when forward compatibility is not required.
    """

    code = "TP712"
    slug = "type-widened"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a property's type was widened"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
