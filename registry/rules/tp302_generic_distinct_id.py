from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
events:
  user_signed_up: {}
"""


class GenericDistinctId(Rule):
    """The distinct id is one of the generic ids PostHog refuses to merge.

    **What it catches.** A distinct id that PostHog's ingestion treats as illegal for
    merging persons (PostHog/posthog `person-utils.ts`): `anonymous`, `guest`,
    `distinctid`, `distinct_id`, `id`, `not_authenticated`, `email`, `undefined`, `true`,
    `false` (compared case-insensitively); `[object Object]`, `NaN`, `None`, `none`,
    `null`, `0` (compared exactly); and each of these in single or double quotes
    (`"null"`, `'undefined'`). At a call site it also catches an id that can fall back to
    one of them, as in `distinct_id=user.id or "anonymous"`, and `alias(...)` with a
    generic `previous_id`.

    **Why it matters.** PostHog refuses `$identify` and `$create_alias` merges involving
    these ids (ingestion warning `cannot_merge_with_illegal_distinct_id`), but it still
    ingests ordinary events with them: every user who sends `distinct_id="undefined"`
    becomes one giant person, whose events poison funnels, retention and feature flag
    rollouts, and who can never be split again. posthog-js refuses `identify()` with the
    same ids for the same reason. They usually come from serialising a missing value
    (`str(None)`, JavaScript's `String(undefined)`).

    **Example.** A payload with `"distinct_id": "None"` (what `str(user_id)` sends when
    `user_id` is `None`) is reported at `/distinct_id`; so is
    `posthog.capture("user_signed_up", distinct_id=user.id or "anonymous")` in code.

    **Fix.** Send the real user id, and for visitors without one a per-visitor random id
    (a UUID stored in the session) or no distinct id at all inside an anonymous context,
    which makes the event personless. Never substitute a constant.
    """

    code = "TP302"
    slug = "generic-distinct-id"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = "distinct id is one of the generic ids PostHog refuses"
    VALID = (
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "u_8f3a", "properties": {}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "user_signed_up",'
            ' "distinct_id": "0b6f6a4e-3c7d-4e4c-9a57-6a3b6f8e2d11", "properties": {}}',
            _PLAN,
        ),
        Example(
            "code",
            'import posthog\n\nposthog.capture("user_signed_up", distinct_id=str(user.id))\n',
        ),
    )
    INVALID = (
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "undefined", "properties": {}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "Anonymous", "properties": {}}',
            _PLAN,
        ),
        Example(
            "payload", '{"event": "user_signed_up", "distinct_id": "None", "properties": {}}', _PLAN
        ),
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "[object Object]", "properties": {}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "\\"null\\"", "properties": {}}',
            _PLAN,
        ),
        Example(
            "code", 'import posthog\n\nposthog.capture("user_signed_up", distinct_id="anonymous")\n'
        ),
        Example(
            "code",
            "import posthog\n\n"
            'posthog.capture("user_signed_up", distinct_id=user.id or "anonymous")\n',
        ),
        Example(
            "code",
            'import posthog\n\nposthog.alias(previous_id="guest", distinct_id=str(user.id))\n',
        ),
    )
