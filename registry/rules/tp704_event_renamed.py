from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
  user_signed_up: {}
"""
_NEW_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
  user_signed_up: {}
  account_created: {}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
  user_signed_up: {}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
  account_created: {renamed_from: user_signed_up}
"""


class EventRenamed(Rule):
    """An event was renamed (`renamed_from:`).

    **What it catches.** A new event whose `renamed_from:` names an event of the old
    plan that the new plan no longer has.

    **Why it matters.** A rename is still a removal plus an addition for validity:
    deployed apps send the old name, which the new plan refuses, and new code sends the
    new name, which the old plan refuses. Listing it as a rename keeps the history
    readable.

    **Example.** `account_created: {renamed_from: user_signed_up}` replacing
    `signed_up`.

    **Fix.** Keep both events during the migration (deprecate the old one) when
    compatibility matters.
    """

    code = "TP704"
    slug = "event-renamed"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "an event was renamed (`renamed_from:`)"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
