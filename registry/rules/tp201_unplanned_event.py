from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
events:
  user_signed_up:
    properties:
      signup_method: {type: string, enum: [email, google, github]}
  project_created: {}
"""


class UnplannedEvent(Rule):
    """An event is sent that the plan does not declare.

    **What it catches.** A payload, or a tracking call whose event name resolves
    statically, naming an event that is not in the plan. PostHog's own `$` events
    (`$pageview`, `$set`, `$identify`, `$exception`, ...) and its survey events
    (`survey sent`, `survey shown`, `survey dismissed`) are accepted without being
    declared. When the name is close to a planned one, TP206 adds a suggestion.

    **Why it matters.** The plan is the contract between the code and everyone reading
    the data. An event outside it has no owner, no description and no property contract;
    it is usually a typo of a planned event (whose metric then undercounts) or a new event
    shipped without review.

    **Example.** With a plan declaring `user_signed_up` and `project_created`,
    `posthog.capture("report_exported", distinct_id=user.id)` is reported.

    **Fix.** Add the event to the plan (with a description, an owner and its properties)
    in the same change that sends it, or correct the name to the planned one.
    """

    code = "TP201"
    slug = "unplanned-event"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = "event is not in the plan"
    VALID = (
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "u_8f3a",'
            ' "properties": {"signup_method": "email"}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "$pageview", "distinct_id": "u_8f3a",'
            ' "properties": {"$current_url": "https://example.com/"}}',
            _PLAN,
        ),
        Example(
            "code",
            'import posthog\n\nposthog.capture("project_created", distinct_id=user.id)\n',
            _PLAN,
        ),
    )
    INVALID = (
        Example(
            "payload",
            '{"event": "report_exported", "distinct_id": "u_8f3a", "properties": {}}',
            _PLAN,
        ),
        Example(
            "code",
            'import posthog\n\nposthog.capture("report_exported", distinct_id=user.id)\n',
            _PLAN,
        ),
    )
