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
      order_id: {type: integer, required: true}
"""


class TypeChanged(Rule):
    """A property's type was changed.

    **What it catches.** A property whose `type` is neither a subset nor a superset of
    the old one (string to integer).

    **Why it matters.** Old payloads are refused by the new plan and new payloads by the
    old one: neither backward nor forward compatible.

    **Example.** `order_id: {type: string}` becoming `order_id: {type: integer}`.

    **Fix.** Add a new property with the new type and deprecate the old one.
    """

    code = "TP713"
    slug = "type-changed"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a property's type was changed"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
