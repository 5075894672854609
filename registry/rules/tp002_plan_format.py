from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
properties:
  plan_id: {type: string, pattern: "^[A-Z]{3}[0-9]{5}$"}
events:
  plan_purchased:
    additional_properties: false
    properties:
      plan_id: {required: true}
      price: {type: integer, minimum: 0, description: Price in cents, required: true}
      frequency: {type: string, enum: [monthly, yearly], required: true}
person_properties:
  email: {type: string, format: email}
"""


class PlanFormat(Rule):
    """A plan parses as YAML but does not follow the plan format.

    **What it catches.** Anything the plan format's JSON Schema (printed by `trackplan
    schema`) rejects: an unknown key (`propertys:`, `require: true`), a value of the wrong
    type (`required: "yes"`, `events:` as a list), a property spec that is not a valid
    JSON Schema 2020-12 fragment (`type: text`), a `pattern` that does not compile or uses
    a construct the linear-time regex engine refuses (lookarounds, backreferences), an
    unknown `format` (`format: emial`), a duplicate key in a mapping (YAML would silently
    keep the last one), YAML tags with no JSON meaning, and numbers JSON cannot carry:
    NaN and infinities (`.nan`, `-.Inf`, `1.0e+400`) and integers over 1,000 digits.

    **Why it matters.** A misspelt key is not an error in plain YAML: `require: true` would
    simply never require anything, and an unknown `format` would never be checked. Refusing
    the plan is the only way to make sure what it says is what gets enforced.

    **Example.** `frequency: {type: string, enm: [monthly, yearly]}` is reported at `enm`
    as an unknown key; `plan_id: {type: string, pattern: "^[A-Z"}` at the pattern.

    **Fix.** Use the plan format's key names (JSON Schema's own keyword names plus
    `required`, `description`, `pii`, `deprecated`, `examples`); point your editor's
    yaml-language-server at the schema from `trackplan schema` to get completion; write
    regexes without lookarounds or backreferences; use a known `format` (`email`,
    `date-time`, `date`, `uri`, `uuid`, `ipv4`, ...).
    """

    code = "TP002"
    slug = "plan-format"
    default_severity = Severity.ERROR
    scopes = frozenset({"plan"})
    summary = (
        "plan does not follow the plan format (unknown key, wrong type, bad JSON Schema"
        " fragment, invalid regex, unknown `format`)"
    )
    VALID = (Example("plan", _PLAN),)
    INVALID = (
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  plan_purchased:\n"
            "    propertys:\n"
            "      price: {type: integer}\n",
        ),
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  plan_purchased:\n"
            "    properties:\n"
            "      frequency: {type: string, enm: [monthly, yearly]}\n",
        ),
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  plan_purchased:\n"
            "    properties:\n"
            '      price: {type: integer, required: "yes"}\n',
        ),
        Example(
            "plan",
            "version: 1\nevents:\n  plan_purchased:\n    properties:\n      price: {type: money}\n",
        ),
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  plan_purchased:\n"
            "    properties:\n"
            '      plan_id: {type: string, pattern: "^[A-Z"}\n',
        ),
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  order_created:\n"
            "    properties:\n"
            '      order_id: {type: string, pattern: "^(?!#0000)#[0-9]{4}$"}\n',
        ),
        Example(
            "plan",
            "version: 1\n"
            "person_properties:\n"
            "  email: {type: string, format: emial}\n"
            "events:\n"
            "  user_signed_up: {}\n",
        ),
        Example(
            "plan",
            "version: 1\nevents:\n  user_signed_up: {}\n  user_signed_up: {description: twice}\n",
        ),
    )
