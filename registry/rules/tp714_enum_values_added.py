from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      plan: {enum: [free, pro]}
"""
_NEW_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      plan: {enum: [free, pro]}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      plan: {enum: [free, pro]}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      plan: {enum: [free, pro, team]}
"""


class EnumValuesAdded(Rule):
    """Enum values were added.

    **What it catches.** An `enum` (or `const`) that allows values it did not allow
    before, or that was dropped.

    **Why it matters.** Old payloads stay valid; new payloads may carry the new values,
    which the old plan refuses: not forward compatible.

    **Example.** `plan: {enum: [free, pro]}` becoming `plan: {enum: [free, pro, team]}`.

    **Fix.** Nothing when forward compatibility is not required.
    """

    code = "TP714"
    slug = "enum-values-added"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "enum values were added"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
