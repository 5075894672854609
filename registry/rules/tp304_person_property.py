from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
events:
  user_signed_up: {}
person_properties:
  email: {type: string, format: email}
  plan: {type: string, enum: [free, pro, enterprise]}
"""


class PersonProperty(Rule):
    """A person property being set breaks its spec in `person_properties`.

    **What it catches.** A value set on the person that breaks the plan's
    `person_properties` spec: in a top-level `$set`/`$set_once` (what `posthog.set()` and
    `posthog.set_once()` send, with event `$set`/`$set_once`), in `$set`/`$set_once`
    inside an event's `properties`, in the properties of `identify` before posthog 6,
    and, at a call site, literal values passed to `set`/`set_once` or in a literal
    `$set` dict.

    **Why it matters.** Person properties outlive the event that set them: they drive
    cohorts, feature flag targeting and every breakdown by person. One bad `$set`
    (`plan: "gold"`, an email that is not an email) quietly moves a user out of a cohort or
    a flag rollout, and stays until something sets it again.

    **Example.** With `plan: {enum: [free, pro, enterprise]}`,
    `posthog.set(distinct_id=user.id, properties={"plan": "gold"})` is reported, and so
    is a payload whose `"$set": {"plan": "gold"}` is reported at `/$set/plan`.

    **Fix.** Set values the plan allows (map internal names to the planned ones at the
    call site), or extend the spec in `person_properties` in the same change.
    """

    code = "TP304"
    slug = "person-property"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = (
        "person property (`$set`/`$set_once`, top level or in properties) breaks"
        " `person_properties`"
    )
    VALID = (
        Example(
            "payload",
            '{"event": "$set", "distinct_id": "u_8f3a", "properties": {},'
            ' "$set": {"plan": "pro", "email": "ada@example.com"}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "u_8f3a",'
            ' "properties": {"$set_once": {"plan": "free"}}}',
            _PLAN,
        ),
        Example(
            "code",
            'import posthog\n\nposthog.set(distinct_id=str(user.id), properties={"plan": "pro"})\n',
            _PLAN,
        ),
    )
    INVALID = (
        Example(
            "payload",
            '{"event": "$set", "distinct_id": "u_8f3a", "properties": {},'
            ' "$set": {"plan": "gold"}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "u_8f3a",'
            ' "properties": {"$set": {"email": "not an email"}}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "$set_once", "distinct_id": "u_8f3a", "properties": {},'
            ' "$set_once": {"plan": 3}}',
            _PLAN,
        ),
        Example(
            "code",
            "import posthog\n\n"
            'posthog.set(distinct_id=str(user.id), properties={"plan": "gold"})\n',
            _PLAN,
        ),
    )
