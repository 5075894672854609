"""Helpers for the payload-validation tests: a plan built directly from the model.

The plan mirrors the issue's contract plan, written as the loader would produce it
(property schemas are plain JSON Schema with ``required`` arrays), so these tests do
not depend on the YAML loader.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from trackplan.registry.plan import EventSpec, Plan, PropertySpec


def prop(name: str, schema: dict[str, Any], required: bool = False) -> PropertySpec:
    return PropertySpec(name=name, schema=schema, required=required)


def contract_plan(*, closed_plan: bool = False) -> Plan:
    events = {
        "user_signed_up": EventSpec(
            "user_signed_up",
            {
                "signup_method": prop(
                    "signup_method",
                    {"type": "string", "enum": ["email", "google", "github"]},
                    required=True,
                ),
                "referrer_code": prop("referrer_code", {"type": ["string", "null"]}),
            },
        ),
        "plan_purchased": EventSpec(
            "plan_purchased",
            {
                "price": prop("price", {"type": "integer", "minimum": 0}, required=True),
                "plan_id": prop(
                    "plan_id", {"type": "string", "pattern": "^[A-Z]{3}[0-9]{5}$"}, required=True
                ),
                "frequency": prop(
                    "frequency", {"type": "string", "enum": ["monthly", "yearly"]}, required=True
                ),
                "features": prop(
                    "features", {"type": "object", "additionalProperties": {"type": "boolean"}}
                ),
            },
            additional_properties=False,
        ),
        "order_created": EventSpec(
            "order_created",
            {
                "order_id": prop(
                    "order_id", {"type": "string", "pattern": "^#[0-9]{4,}$"}, required=True
                ),
                "items": prop(
                    "items",
                    {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "properties": {
                                "sku": {"type": "string"},
                                "quantity": {"type": "integer", "minimum": 1},
                            },
                            "required": ["sku", "quantity"],
                        },
                    },
                ),
                "customer_name": prop("customer_name", {"type": "string"}),
            },
        ),
        "checkout_started": EventSpec("checkout_started", deprecated="use order_created"),
    }
    person = {
        "email": prop("email", {"type": "string", "format": "email"}),
        "plan": prop("plan", {"type": "string", "enum": ["free", "pro", "enterprise"]}),
    }
    if closed_plan:  # as the loader does: the plan-level default resolved into each event
        events = {name: replace(spec, additional_properties=False) for name, spec in events.items()}
    return Plan(events=events, person_properties=person, additional_properties=not closed_plan)


def single_property_plan(schema: dict[str, Any], required: bool = False) -> Plan:
    """A plan with one event ``thing_happened`` whose property ``value`` has ``schema``."""
    return Plan(
        events={
            "thing_happened": EventSpec(
                "thing_happened", {"value": prop("value", schema, required=required)}
            )
        }
    )


def event(name: str, properties: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"event": name, "distinct_id": "user-42"}
    if properties is not None:
        payload["properties"] = properties
    payload.update(top)
    return payload
