from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
events:
  user_signed_up: {}
"""


class EventNameCase(Rule):
    """An event name is not written in the configured case.

    **What it catches.** An event name, declared in the plan or sent by a tracking call
    whose name resolves statically, that is not in the case set by `naming.events.case`:
    `snake_case` (the default), `lower_space`, `kebab-case`, `camelCase`, `PascalCase` or
    `Title Case`. Checked with or without a plan. PostHog's own `$` events are exempt, and
    so is an event marked `naming: legacy` in the plan.

    **Why it matters.** Event names are case-sensitive in PostHog: `User Signed Up` and
    `user_signed_up` are two events, and whoever builds an insight has to guess which one
    is real. One enforced case keeps names predictable and searchable.

    **Example.** Under the default `snake_case`,
    `posthog.capture("userSignedUp", distinct_id=user.id)` is reported with the
    suggestion `user_signed_up`.

    **Fix.** Rename the event to the configured case. If the old name already has history
    you must keep, mark it `naming: legacy` in the plan instead, or change `naming:` if the
    whole team has agreed on another case.
    """

    code = "TP101"
    slug = "event-name-case"
    default_severity = Severity.ERROR
    scopes = frozenset({"plan", "code"})
    summary = "event name breaks the configured case"
    VALID = (
        Example("plan", _PLAN),
        Example(
            "plan",
            "version: 1\n"
            "naming:\n"
            "  events: {case: lower_space}\n"
            "events:\n"
            "  user signed up: {}\n"
            "  project created: {}\n",
        ),
        Example(
            "code", 'import posthog\n\nposthog.capture("user_signed_up", distinct_id=user.id)\n'
        ),
        Example(
            "code",
            'import posthog\n\nposthog.capture("user_signed_up", distinct_id=user.id)\n',
            _PLAN,
        ),
    )
    INVALID = (
        Example("plan", "version: 1\nevents:\n  User Signed Up: {}\n"),
        Example("plan", "version: 1\nevents:\n  userSignedUp: {}\n"),
        Example("code", 'import posthog\n\nposthog.capture("userSignedUp", distinct_id=user.id)\n'),
        Example(
            "code",
            'import posthog\n\nposthog.capture("User Signed Up", distinct_id=user.id)\n',
            _PLAN,
        ),
    )
