from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
events:
  plan_purchased:
    additional_properties: false
    properties:
      price: {type: integer, minimum: 0, required: true}
      plan_id: {type: string, required: true}
      frequency: {type: string, enum: [monthly, yearly], required: true}
  project_created:
    properties:
      project_id: {type: string}
"""


class UndeclaredProperty(Rule):
    """A closed event carries a property the plan does not declare.

    **What it catches.** A property that is not declared on an event the plan closes with
    `additional_properties: false` (on the event, or for every event at the top level of
    the plan). PostHog's own `$` properties (`$current_url`, `$lib`, `$groups`,
    `$session_id`, ...) and the SDK's additions are always allowed. Events are open by
    default, and an open event accepts any extra property.

    **Why it matters.** A closed event is a promise that its properties are exactly the
    declared ones, typically because they feed revenue reporting or leave the company
    (a warehouse export, an ad platform). An undeclared property there is a typo of a
    declared one (`plan_Id`), or data, often personal data, that nobody reviewed.

    **Example.** `plan_purchased` is closed; sending it with `"coupon": "SPRING"` is
    reported at `/properties/coupon`.

    **Fix.** Declare the property on the event (with its type, and `pii: true` when it is
    personal data), correct its name, or stop sending it.
    """

    code = "TP203"
    slug = "undeclared-property"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = "property not declared on a closed event"
    VALID = (
        Example(
            "payload",
            '{"event": "plan_purchased", "distinct_id": "u_8f3a", "properties": {"price": 4900,'
            ' "plan_id": "PRO00001", "frequency": "monthly", "$lib": "posthog-python",'
            ' "$current_url": "https://example.com/pricing"}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "project_created", "distinct_id": "u_8f3a",'
            ' "properties": {"project_id": "p1", "template": "blank"}}',
            _PLAN,
        ),
        Example(
            "code",
            "import posthog\n\n"
            "posthog.capture(\n"
            '    "plan_purchased",\n'
            "    distinct_id=user.id,\n"
            '    properties={"price": 4900, "plan_id": plan.id, "frequency": "monthly"},\n'
            ")\n",
            _PLAN,
        ),
    )
    INVALID = (
        Example(
            "payload",
            '{"event": "plan_purchased", "distinct_id": "u_8f3a", "properties": {"price": 4900,'
            ' "plan_id": "PRO00001", "frequency": "monthly", "coupon": "SPRING"}}',
            _PLAN,
        ),
        Example(
            "code",
            "import posthog\n\n"
            "posthog.capture(\n"
            '    "plan_purchased",\n'
            "    distinct_id=user.id,\n"
            "    properties={\n"
            '        "price": 4900,\n'
            '        "plan_id": plan.id,\n'
            '        "frequency": "monthly",\n'
            '        "coupon": "SPRING",\n'
            "    },\n"
            ")\n",
            _PLAN,
        ),
    )
