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
"""


class PropertyRemoved(Rule):
    """A property was removed from an event.

    **What it catches.** A property the old plan declared on an event and the new plan
    does not.

    **Why it matters.** On an open event the key becomes undeclared and any value passes
    (backward compatible); on a closed event payloads that carry it are refused (TP203),
    which breaks backward compatibility.

    **Example.** Removing `coupon` from a closed `order_created`.

    **Fix.** Deprecate the property first and stop sending it before removing it from a
    closed event.
    """

    code = "TP708"
    slug = "property-removed"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a property was removed from an event"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
