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
    additional_properties: false
"""
_NEW_INVALID = """\
version: 1
events:
  order_created: {}
"""


class EventOpened(Rule):
    """A closed event now allows undeclared properties.

    **What it catches.** An event whose effective `additional_properties` went from
    false to true (on the event or plan-wide).

    **Why it matters.** Payloads with undeclared keys were refused by the old plan
    (TP203) and are accepted now: backward compatible, not forward compatible.

    **Example.** Removing `additional_properties: false` from `order_created`.

    **Fix.** Nothing when forward compatibility is not required.
    """

    code = "TP705"
    slug = "event-opened"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a closed event now allows undeclared properties"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
