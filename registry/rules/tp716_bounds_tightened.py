from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      quantity: {type: integer, minimum: 0}
"""
_NEW_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      quantity: {type: integer, minimum: 0}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      quantity: {type: integer, minimum: 0}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      quantity: {type: integer, minimum: 1}
"""


class BoundsTightened(Rule):
    """Bounds or lengths were tightened.

    **What it catches.** A numeric bound, length, item count, key count, `multipleOf` or
    `uniqueItems` that allows fewer values than before. The same bounds written another
    way (`exclusiveMinimum: 0` and `minimum: 1` on an integer) are no change.

    **Why it matters.** Old payloads outside the new bounds are refused: not backward
    compatible.

    **Example.** `quantity: {type: integer, minimum: 0}` becoming `minimum: 1`.

    **Fix.** Tighten only once senders comply, with a major bump.
    """

    code = "TP716"
    slug = "bounds-tightened"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "bounds or lengths were tightened"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
