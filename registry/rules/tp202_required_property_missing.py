from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
events:
  order_created:
    properties:
      order_id: {type: string, required: true}
      items:
        type: array
        items:
          type: object
          properties:
            sku: {type: string, required: true}
"""


class RequiredPropertyMissing(Rule):
    """A property the plan marks `required: true` is absent.

    **What it catches.** An event, or an object nested anywhere inside its properties
    (an item of an array, a nested object), that lacks a property declared with
    `required: true`. Found in live payloads, in test suites, and at call sites whose
    properties are a literal dict. A required property inherited from the shared
    `properties:` definitions counts the same.

    **Why it matters.** Dashboards and funnels built on a property silently lose every
    event that lacks it: a breakdown puts them under "none", a filter drops them, and
    nobody notices until a number looks wrong.

    **Example.** With `order_id` required, `{"event": "order_created",
    "properties": {"items": []}}` is reported at `/properties/order_id`, and with
    `sku` required on each item, `{"qty": 1}` in `items` at `/properties/items/0/sku`.

    **Fix.** Send the property, or make it optional in the plan (`required: false`) if
    the event really can lack it.
    """

    code = "TP202"
    slug = "required-property-missing"
    default_severity = Severity.ERROR
    scopes = frozenset({"code", "payload"})
    summary = "required property missing (at any depth)"
    VALID = (
        Example(
            "payload",
            '{"event": "order_created", "distinct_id": "u1", "properties": {"order_id": "#0054"}}',
            _PLAN,
        ),
        Example(
            "code",
            "import posthog\n\n"
            'posthog.capture("order_created", distinct_id=uid, properties={"order_id": oid})\n',
            _PLAN,
        ),
    )
    INVALID = (
        Example(
            "payload", '{"event": "order_created", "distinct_id": "u1", "properties": {}}', _PLAN
        ),
        Example(
            "payload",
            '{"event": "order_created", "distinct_id": "u1",'
            ' "properties": {"order_id": "#0054", "items": [{"qty": 1}]}}',
            _PLAN,
        ),
        Example(
            "code",
            'import posthog\n\nposthog.capture("order_created", distinct_id=uid, properties={})\n',
            _PLAN,
        ),
    )
