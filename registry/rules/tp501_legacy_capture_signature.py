from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule


class LegacyCaptureSignature(Rule):
    """A `capture` call uses the positional signature posthog 6 removed.

    **What it catches.** `capture(distinct_id, event, properties)` with the distinct id
    and the event passed positionally, on the module (`posthog.capture`) or on a client
    (`Posthog(...)`, `Client(...)`), in a project whose declared posthog version (or the
    installed one, or the latest when neither is known) is 6.0 or newer. The version
    decides: the same call is correct on posthog 5.x.

    **Why it matters.** posthog 6.0.0 (June 2025) changed `capture` to
    `capture(event, **kwargs)`. The old positional call now breaks in two different ways:
    at module level it raises `TypeError` (capture takes 1 positional argument); on a
    client instance it raised the same error in 6.0 - 6.7.5, and since 6.7.6 client
    methods swallow exceptions, log them and return `None`, so the event is **silently
    dropped**: no error in the app, no event in PostHog. An upgrade from 5.x can lose
    every event sent through a client without anyone noticing.

    **Example.** `posthog.capture(user.id, "user_signed_up", {"signup_method": "email"})`
    is reported on posthog >= 6.

    **Fix.** Pass the event first and everything else by keyword:
    `posthog.capture("user_signed_up", distinct_id=user.id,
    properties={"signup_method": "email"})`. The all-keyword form
    `capture(distinct_id=..., event=..., properties=...)` works on every version from 1.x
    to 7.x, if the code must run on both sides of the upgrade.
    """

    code = "TP501"
    slug = "legacy-capture-signature"
    default_severity = Severity.ERROR
    scopes = frozenset({"code"})
    summary = "legacy positional `capture(distinct_id, event, ...)` in a project on posthog >= 6"
    VALID = (
        Example(
            "code",
            "import posthog\n\n"
            "posthog.capture(\n"
            '    "user_signed_up",\n'
            "    distinct_id=str(user.id),\n"
            '    properties={"signup_method": "email"},\n'
            ")\n",
        ),
        Example(
            "code",
            'import posthog\n\nposthog.capture(distinct_id=str(user.id), event="user_signed_up")\n',
        ),
        Example(
            "code",
            "from posthog import Posthog\n\n"
            'client = Posthog("phc_project_key", host="https://eu.i.posthog.com")\n'
            'client.capture("user_signed_up", distinct_id=str(user.id))\n',
        ),
    )
    INVALID = (
        Example(
            "code",
            "import posthog\n\n"
            'posthog.capture(str(user.id), "user_signed_up", {"signup_method": "email"})\n',
        ),
        Example(
            "code",
            "from posthog import Posthog\n\n"
            'client = Posthog("phc_project_key", host="https://eu.i.posthog.com")\n'
            'client.capture(str(user.id), "user_signed_up")\n',
        ),
    )
