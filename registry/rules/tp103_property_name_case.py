from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
events:
  user_signed_up:
    properties:
      signup_method: {type: string}
"""


class PropertyNameCase(Rule):
    """A property name is not written in the configured case.

    **What it catches.** A property name declared in the plan (on an event, in the shared
    `properties:` or in `person_properties:`) or written as a key of a literal properties
    dict at a call site, that is not in the case set by `naming.properties.case`
    (`snake_case` by default). PostHog's own `$` properties are exempt.

    **Why it matters.** Property names are case-sensitive too: a breakdown by
    `signup_method` silently misses every event that sent `signupMethod`. It is a warning
    because renaming a property that already carries data has a cost of its own.

    **Example.** `properties={"signupMethod": "email"}` is reported with the suggestion
    `signup_method`.

    **Fix.** Rename the property to the configured case in the plan and in the code, or
    change `naming.properties.case` if the team uses another convention.
    """

    code = "TP103"
    slug = "property-name-case"
    default_severity = Severity.WARNING
    scopes = frozenset({"plan", "code"})
    summary = "property name breaks the configured case"
    VALID = (
        Example("plan", _PLAN),
        Example(
            "code",
            "import posthog\n\n"
            "posthog.capture(\n"
            '    "user_signed_up", distinct_id=user.id, properties={"signup_method": "email"}\n'
            ")\n",
            _PLAN,
        ),
    )
    INVALID = (
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  user_signed_up:\n"
            "    properties:\n"
            "      signupMethod: {type: string}\n",
        ),
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  user_signed_up: {}\n"
            "person_properties:\n"
            "  Email Address: {type: string}\n",
        ),
        Example(
            "code",
            "import posthog\n\n"
            "posthog.capture(\n"
            '    "user_signed_up", distinct_id=user.id, properties={"signupMethod": "email"}\n'
            ")\n",
            _PLAN,
        ),
    )
