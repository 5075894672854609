from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      coupon: {type: string}
"""
_NEW_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      coupon: {type: string}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      coupon: {type: string}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      coupon: {type: string, required: true}
"""


class RequiredAdded(Rule):
    """A property became required.

    **What it catches.** A property (or nested property) that is required in the new
    plan and was not in the old one.

    **Why it matters.** Payloads without it were valid and are now refused (TP202): not
    backward compatible.

    **Example.** `coupon: {type: string}` becoming `coupon: {type: string, required:
    true}`.

    **Fix.** Make it required only once every sender sets it, with a major bump.
    """

    code = "TP709"
    slug = "required-added"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a property became required"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
