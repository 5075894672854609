from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
person_properties:
  email: {type: string, format: email}
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
"""
_NEW_VALID = """\
version: 1
person_properties:
  email: {type: string, format: email}
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
person_properties:
  email: {type: string, format: email}
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
"""


class PersonPropertyChanged(Rule):
    """A person property changed.

    **What it catches.** A change to `person_properties` (added, removed or changed
    property, or the section added or removed). Person properties are what
    `$set`/`$set_once` may carry on every event, `$identify` and `$set` included.

    **Why it matters.** Adding the section where there was none, or narrowing a person
    property, refuses `$set` payloads that were valid: not backward compatible.

    **Example.** Adding `person_properties: {email: {type: string, format: email}}`.

    **Fix.** Check the `$set` verdicts in the diff and bump accordingly.
    """

    code = "TP722"
    slug = "person-property-changed"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a person property changed"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
