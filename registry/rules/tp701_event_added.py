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
      order_id: {type: string, required: true}
  checkout_started: {}
"""


class EventAdded(Rule):
    """An event was added to the plan.

    **What it catches.** A planned event that the old plan did not have.

    **Why it matters.** Payloads of the new event were refused by the old plan as
    unplanned (TP201 is an error by default), so consumers still on the old plan reject
    what new code sends: adding an event is backward compatible and not forward
    compatible.

    **Example.** Adding `checkout_started` to a plan that only had `order_created`.

    **Fix.** Nothing to fix when forward compatibility is not required; otherwise roll
    the plan out to consumers before shipping code that sends the event.
    """

    code = "TP701"
    slug = "event-added"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "an event was added to the plan"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
