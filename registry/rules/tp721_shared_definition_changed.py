from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
properties:
  plan: {type: string, enum: [free, pro, team]}
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
"""
_NEW_VALID = """\
version: 1
properties:
  plan: {type: string, enum: [free, pro, team]}
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
"""
_OLD_INVALID = """\
version: 1
properties:
  plan: {type: string, enum: [free, pro, team]}
events:
  order_created:
    properties:
      plan: {}
"""
_NEW_INVALID = """\
version: 1
properties:
  plan: {type: string, enum: [free, pro]}
events:
  order_created:
    properties:
      plan: {}
"""


class SharedDefinitionChanged(Rule):
    """A shared property definition changed.

    **What it catches.** A definition under the plan's top-level `properties:` that was
    added, removed or changed. It is merged into every event that declares a property of
    that name, so the message lists those events and each one's own changes are listed
    too.

    **Why it matters.** One edit changes every event that inherits the definition, which
    is easy to miss in review.

    **Example.** `properties: {plan: {enum: [free, pro, team]}}` losing `team`.

    **Fix.** Check each inheriting event's verdict in the diff.
    """

    code = "TP721"
    slug = "shared-definition-changed"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a shared property definition changed"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
