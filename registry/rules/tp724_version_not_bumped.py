from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_OLD_VALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      plan: {enum: [free, pro]}
"""
_NEW_VALID = """\
version: 2
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      plan: {enum: [free]}
"""
_OLD_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      plan: {enum: [free, pro]}
"""
_NEW_INVALID = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      plan: {enum: [free]}
"""


class VersionNotBumped(Rule):
    """The plan's version was not bumped as the change requires.

    **What it catches.** With `--check-version`, a new plan whose `version` is not
    bumped as much as its changes require: MAJOR for a backward-incompatible change,
    MINOR for a forward-incompatible one, PATCH for a change that alters no payload's
    validity.

    **Why it matters.** The version is how consumers of the plan (exports, schema
    registries, other teams) learn that a change may break them.

    **Example.** Removing an enum value while `version` stays `1`.

    **Fix.** Set `version` to at least the bump the diff suggests (`2` or `"2.0.0"`).
    """

    code = "TP724"
    slug = "version-not-bumped"
    default_severity = Severity.ERROR
    scopes = frozenset({"diff"})
    summary = "the plan's version was not bumped as the change requires"
    VALID = (Example("diff", _NEW_VALID, _OLD_VALID),)
    INVALID = (Example("diff", _NEW_INVALID, _OLD_INVALID),)
