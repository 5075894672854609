from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      quantity: {type: integer, minimum: 1}
"""
_NEW_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      quantity: {type: integer, minimum: 1}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      quantity: {type: integer, minimum: 1}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      quantity: {type: integer, minimum: 0}
"""


class BoundsLoosened(Rule):
    """Bounds or lengths were loosened.

    **What it catches.** A numeric bound, length, item count, key count or `multipleOf`
    that allows more values than before.

    **Why it matters.** Old payloads stay valid; new payloads may use the new room,
    which the old plan refuses: not forward compatible.

    **Example.** `quantity: {type: integer, minimum: 1}` becoming `minimum: 0`.

    **Fix.** Nothing when forward compatibility is not required.
    """

    code = "TP717"
    slug = "bounds-loosened"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "bounds or lengths were loosened"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
