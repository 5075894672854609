from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      code: {type: string, pattern: "^#[0-9]+$"}
"""
_NEW_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      code: {type: string, pattern: "^#[0-9]+$"}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      code: {type: string, pattern: "^#[0-9]+$"}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      code: {type: string, pattern: "^#[0-9]{4}$"}
"""


class PatternChanged(Rule):
    """A pattern or format was changed.

    **What it catches.** A string property whose `pattern` or `format` is different. Two
    different regexes are compared by searching for a string one accepts and the other
    refuses; when none is found the answer is "cannot prove", never compatible.

    **Why it matters.** Strings matching only one of the two patterns break one
    direction or both.

    **Example.** `pattern: "^#[0-9]+$"` becoming `pattern: "^#[0-9]{4}$"`.

    **Fix.** Keep the pattern, or accept the verdict and bump the version it asks for.
    """

    code = "TP720"
    slug = "pattern-changed"
    default_severity = Severity.INFO
    scopes = frozenset({"diff"})
    summary = "a pattern or format was changed"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
