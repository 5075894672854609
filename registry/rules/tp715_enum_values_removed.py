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
      plan: {enum: [free, pro, team]}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      plan: {enum: [free, pro]}
"""


class EnumValuesRemoved(Rule):
    """Enum values were removed.

    **What it catches.** An `enum` (or `const`) that no longer allows some of its old
    values, or a new `enum` on a property that had none.

    **Why it matters.** Old payloads with a removed value are refused: removing an enum
    value is not backward compatible.

    **Example.** `plan: {enum: [free, pro, team]}` becoming `plan: {enum: [free, pro]}`.

    **Fix.** Keep the value (deprecate it in the description) until no sender uses it,
    or bump the major version.
    """

    code = "TP715"
    slug = "enum-values-removed"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "enum values were removed"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
