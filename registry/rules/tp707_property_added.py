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
      coupon: {type: string}
"""


class PropertyAdded(Rule):
    """A property was added to an event.

    **What it catches.** A property declared in the new plan that the old plan did not
    declare on that event (or nested inside a property).

    **Why it matters.** On an open event an old payload may already carry that key with
    any value, so adding a typed property is not backward compatible (unless `--assume-
    open-properties-unused`); a new required property breaks backward compatibility too.

    **Example.** Adding `coupon: {type: string}` to `order_created`.

    **Fix.** Use `--assume-open-properties-unused` when your apps never send undeclared
    keys, or accept the major bump.
    """

    code = "TP707"
    slug = "property-added"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a property was added to an event"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
