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
  checkout_started: {deprecated: use order_created}
"""


class EventDeprecated(Rule):
    """An event was deprecated.

    **What it catches.** An event that gained `deprecated:` in the new plan.

    **Why it matters.** Deprecation is a warning (TP205) by default, so payloads stay
    valid; when `[tool.trackplan.severity]` makes TP205 an error, deprecating an event
    breaks backward compatibility and the diff says so.

    **Example.** `checkout_started: {deprecated: use order_created}`.

    **Fix.** Nothing, unless TP205 is an error in your policy; then treat it like a
    removal.
    """

    code = "TP703"
    slug = "event-deprecated"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "an event was deprecated"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
