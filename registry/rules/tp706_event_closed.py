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
  order_created: {}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    additional_properties: false
"""


class EventClosed(Rule):
    """An open event now refuses undeclared properties.

    **What it catches.** An event whose effective `additional_properties` went from true
    to false (on the event or plan-wide).

    **Why it matters.** Deployed apps may send keys the plan never declared; the new
    plan refuses them (TP203), so closing an event breaks backward compatibility.

    **Example.** Adding `additional_properties: false` to `order_created`.

    **Fix.** Declare every property the apps send before closing the event, and bump the
    major version.
    """

    code = "TP706"
    slug = "event-closed"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "an open event now refuses undeclared properties"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
