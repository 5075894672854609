from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
  checkout_started: {}
"""
_NEW_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
  checkout_started: {}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
  checkout_started: {}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
"""


class EventRemoved(Rule):
    """An event was removed from the plan.

    **What it catches.** A planned event that the new plan no longer has (and that no
    event lists in `renamed_from`).

    **Why it matters.** Apps already deployed keep sending it; under the new plan those
    payloads are unplanned (TP201), so removing an event breaks backward compatibility.

    **Example.** Deleting `checkout_started` from the plan.

    **Fix.** Deprecate the event first (`deprecated: use order_created`), remove the
    calls, and remove it from the plan with a major version bump.
    """

    code = "TP702"
    slug = "event-removed"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "an event was removed from the plan"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
