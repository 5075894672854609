from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, pattern: "^#[0-9]{4,}$"}
  checkout_started:
    deprecated: use order_created
"""


class DeprecatedEvent(Rule):
    """An event the plan marks `deprecated` is still sent.

    **What it catches.** A payload or a tracking call sending an event whose plan entry has
    `deprecated: <reason>`. The reason (usually what to send instead) is part of the
    message.

    **Why it matters.** Deprecating in the plan first, then removing the calls, is how an
    event is retired without breaking dashboards overnight. Until the last call is gone
    both events are sent and analyses double-count or split; the warning shows what is
    left to migrate.

    **Example.** With `checkout_started: {deprecated: use order_created}`,
    `posthog.capture("checkout_started", distinct_id=user.id)` is reported, and the
    message carries the reason `use order_created`.

    **Fix.** Send the replacement event named in the reason and remove the old call; once
    nothing sends the old event, delete it from the plan.
    """

    code = "TP205"
    slug = "deprecated-event"
    default_severity = Severity.WARNING
    scopes = frozenset({"code", "payload"})
    summary = "event is deprecated"
    VALID = (
        Example(
            "payload",
            '{"event": "order_created", "distinct_id": "u_8f3a",'
            ' "properties": {"order_id": "#0054"}}',
            _PLAN,
        ),
        Example(
            "code",
            "import posthog\n\n"
            'posthog.capture("order_created", distinct_id=user.id,'
            ' properties={"order_id": "#0054"})\n',
            _PLAN,
        ),
    )
    INVALID = (
        Example(
            "payload",
            '{"event": "checkout_started", "distinct_id": "u_8f3a", "properties": {}}',
            _PLAN,
        ),
        Example(
            "code",
            'import posthog\n\nposthog.capture("checkout_started", distinct_id=user.id)\n',
            _PLAN,
        ),
    )
