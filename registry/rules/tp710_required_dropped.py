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
      order_id: {type: string}
"""


class RequiredDropped(Rule):
    """A property is no longer required.

    **What it catches.** A property (or nested property) that was required in the old
    plan and is optional in the new one.

    **Why it matters.** New payloads may leave it out, which the old plan refuses: not
    forward compatible.

    **Example.** `order_id: {type: string, required: true}` becoming `order_id: {type:
    string}`.

    **Fix.** Nothing when forward compatibility is not required.
    """

    code = "TP710"
    slug = "required-dropped"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a property is no longer required"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
