from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      tags: {type: array}
"""
_NEW_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      tags: {type: array}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      tags: {type: array}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      tags: {type: array, contains: {const: vip}}
"""


class SchemaChanged(Rule):
    """Another part of a property's schema changed.

    **What it catches.** A change to keywords that the other TP7xx codes do not name
    (`anyOf`, `not`, `contains`, `dependentRequired`, ...), bounds tightened in one
    place and loosened in another, or a validity change found without a more specific
    change.

    **Why it matters.** It may or may not break compatibility; the diff decides by set
    inclusion and says "cannot prove" when it cannot decide.

    **Example.** `tags: {type: array, items: {type: string}}` gaining `contains: {const:
    vip}`.

    **Fix.** Read the verdict and the witness payload in the diff.
    """

    code = "TP723"
    slug = "schema-changed"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "another part of a property's schema changed"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
