from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
properties:
  price: {type: integer, minimum: 0, description: Price in cents}
  plan_id: {type: string, pattern: "^[A-Z]{3}[0-9]{5}$"}
events:
  plan_purchased:
    properties:
      price: {required: true}
      plan_id: {required: true}
      frequency: {type: string, enum: [monthly, yearly], required: true}
      features: {type: object, additionalProperties: {type: boolean}}
  trial_started:
    properties:
      trial_ends_at: {type: string, format: date-time}
      contact_email: {type: string, format: email, pii: true}
  order_created:
    properties:
      items:
        type: array
        minItems: 1
        items:
          type: object
          properties:
            quantity: {type: integer, minimum: 1, required: true}
"""


class PropertyValue(Rule):
    """A property value breaks the spec the plan gives it.

    **What it catches.** A property whose value does not satisfy its JSON Schema in the
    plan: wrong `type` (`"4900"` for an integer), not in `enum`, not matching `pattern`,
    outside `minimum`/`maximum`, too short or long, an array with too few items or a bad
    item, a nested object breaking its own spec, or a string that is not a real `email`,
    `date-time`, `date`, `uri`, `uuid` or `ipv4` (formats are really checked, not skipped).
    At a call site only literal values are checked. The JSON Pointer names the value
    (`/properties/items/0/quantity`).

    **Why it matters.** PostHog stores whatever arrives. A price sent once as `"49.00"`
    and once as `4900` makes a property PostHog cannot sum, an unexpected enum value
    becomes an extra slice nobody filters for, and a malformed date breaks every cohort
    that compares it.

    **Example.** With `frequency: {enum: [monthly, yearly]}`, `"frequency": "weekly"` is
    reported at `/properties/frequency`; `"price": "49.00"` at `/properties/price`.

    **Fix.** Send the value the plan describes (convert at the call site: cents as an
    integer, ISO 8601 for dates), or, if the plan is what is wrong, widen the spec in the
    plan in the same change.
    """

    code = "TP204"
    slug = "property-value"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = "property value breaks its spec (type, enum, pattern, range, format, items, ...)"
    VALID = (
        Example(
            "payload",
            '{"event": "plan_purchased", "distinct_id": "u_8f3a", "properties": {"price": 4900,'
            ' "plan_id": "PRO00001", "frequency": "yearly",'
            ' "features": {"sso": true, "custom_branding": false}}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "trial_started", "distinct_id": "u_8f3a", "properties":'
            ' {"trial_ends_at": "2026-12-10T12:00:00Z", "contact_email": "ada@example.com"}}',
            _PLAN,
        ),
        Example(
            "code",
            "import posthog\n\n"
            "posthog.capture(\n"
            '    "plan_purchased",\n'
            "    distinct_id=user.id,\n"
            '    properties={"price": 4900, "plan_id": "PRO00001", "frequency": "monthly"},\n'
            ")\n",
            _PLAN,
        ),
    )
    INVALID = (
        Example(
            "payload",
            '{"event": "plan_purchased", "distinct_id": "u_8f3a",'
            ' "properties": {"price": 4900, "plan_id": "PRO00001", "frequency": "weekly"}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "plan_purchased", "distinct_id": "u_8f3a",'
            ' "properties": {"price": "49.00", "plan_id": "PRO00001", "frequency": "yearly"}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "plan_purchased", "distinct_id": "u_8f3a",'
            ' "properties": {"price": 4900, "plan_id": "pro-1", "frequency": "yearly"}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "plan_purchased", "distinct_id": "u_8f3a", "properties": {"price": 4900,'
            ' "plan_id": "PRO00001", "frequency": "yearly", "features": {"sso": "yes"}}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "trial_started", "distinct_id": "u_8f3a",'
            ' "properties": {"trial_ends_at": "next tuesday"}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "trial_started", "distinct_id": "u_8f3a",'
            ' "properties": {"contact_email": "ada at example"}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "order_created", "distinct_id": "u_8f3a",'
            ' "properties": {"items": [{"quantity": 0}]}}',
            _PLAN,
        ),
        Example(
            "code",
            "import posthog\n\n"
            "posthog.capture(\n"
            '    "plan_purchased",\n'
            "    distinct_id=user.id,\n"
            '    properties={"price": "49.00", "plan_id": "PRO00001", "frequency": "monthly"},\n'
            ")\n",
            _PLAN,
        ),
    )
