from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
events:
  user_signed_up: {}
"""


class DistinctIdMissing(Rule):
    """An event has no usable distinct id.

    **What it catches.** In a payload: no `distinct_id` (neither at the top level nor in
    `properties.distinct_id`), `null`, an empty string or whitespace only. At a call site:
    a literal `distinct_id=""` or `"   "`; and, as a warning, a server-side
    `capture(...)` without a distinct id that is not inside an `identify_context` (on
    posthog >= 6, where the distinct id became optional).

    **Why it matters.** PostHog's capture endpoint rejects an event with a missing, null
    or blank distinct id (HTTP 400): the event is lost. The Python SDK turns an empty
    string, or a missing id outside a context, into a random UUID with
    `$process_person_profile: false`: the event is kept but belongs to nobody, so it
    never joins the user's funnels, retention or person profile.

    **Example.** `posthog.capture("user_signed_up", distinct_id="")` is reported; so is a
    bare `posthog.capture("user_signed_up")` in a request handler that never called
    `posthog.identify_context(...)`.

    **Fix.** Pass the user's stable id (`distinct_id=str(user.id)`), or set it once per
    request with `with posthog.new_context(): posthog.identify_context(user_id)`. If an
    event is anonymous on purpose, pass a per-visitor id (a session UUID) and
    `"$process_person_profile": False` in its properties.
    """

    code = "TP301"
    slug = "distinct-id-missing"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = "distinct id missing, empty or blank"
    VALID = (
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "u_8f3a", "properties": {}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "user_signed_up", "properties": {"distinct_id": "u_8f3a"}}',
            _PLAN,
        ),
        Example(
            "code",
            'import posthog\n\nposthog.capture("user_signed_up", distinct_id=str(user.id))\n',
        ),
        Example(
            "code",
            "import posthog\n\n\n"
            "def on_signup(user):\n"
            "    with posthog.new_context():\n"
            "        posthog.identify_context(str(user.id))\n"
            '        posthog.capture("user_signed_up")\n',
        ),
    )
    INVALID = (
        Example("payload", '{"event": "user_signed_up", "properties": {}}', _PLAN),
        Example(
            "payload", '{"event": "user_signed_up", "distinct_id": "", "properties": {}}', _PLAN
        ),
        Example(
            "payload", '{"event": "user_signed_up", "distinct_id": "   ", "properties": {}}', _PLAN
        ),
        Example(
            "payload", '{"event": "user_signed_up", "distinct_id": null, "properties": {}}', _PLAN
        ),
        Example("code", 'import posthog\n\nposthog.capture("user_signed_up", distinct_id="")\n'),
        Example("code", 'import posthog\n\nposthog.capture("user_signed_up", distinct_id="  ")\n'),
        Example(
            "code",
            'import posthog\n\n\ndef on_signup(user):\n    posthog.capture("user_signed_up")\n',
        ),
    )
