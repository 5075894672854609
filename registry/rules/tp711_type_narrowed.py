from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      amount: {type: number}
"""
_NEW_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      amount: {type: number}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      amount: {type: number}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      amount: {type: integer}
"""


class TypeNarrowed(Rule):
    """A property's type was narrowed.

    **What it catches.** A property whose `type` allows fewer JSON types than before
    (number to integer, [string, null] to string).

    **Why it matters.** Old payloads with the dropped type are refused: not backward
    compatible.

    **Example.** `amount: {type: number}` becoming `amount: {type: integer}`.

    **Fix.** Keep the wider type, or bump the major version once senders are fixed.
    """

    code = "TP711"
    slug = "type-narrowed"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a property's type was narrowed"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
