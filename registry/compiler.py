"""Compile a :class:`Plan` into one JSON Schema per event, and build fast validators.

Each event becomes one standalone JSON Schema 2020-12 document over the *whole*
payload (``event``, ``distinct_id``, ``properties``, ``$set``, ``$set_once``), so a
single jsonschema-rs ``is_valid`` call answers "is this payload fine?" and other
systems can reuse the exported document unchanged.

The layout is a contract with :mod:`trackplan.registry.validation`, which maps an
engine error back to a catalogue code by its schema path:

- ``/properties/properties/...``: the event's properties (TP202 missing, TP203
  undeclared on a closed event, TP204 bad value, TP304 under ``$set``/``$set_once``);
- ``/properties/$set``, ``/properties/$set_once``: person properties (TP304);
- ``/then`` and ``/else``: the distinct id (``distinct_id``, or
  ``properties.distinct_id`` when the top-level one is absent or null): TP301 when
  missing, empty, blank or not a string/number, TP302 (``not``) when generic.

Unplanned events and PostHog's own ``$`` events are checked against the *fallback*
schema: the same document without event properties (distinct id and person
properties only).

Every plan ``pattern`` is wrapped in a length guard (:func:`guard_patterns`):
``{"if": {"maxLength": N}, "then": {"pattern": P}, "else": {"maxLength": N}}`` inside
``allOf``, so a string longer than ``N`` (:data:`MAX_PATTERN_INPUT` by default) is a
``maxLength`` failure ("too long to check", TP204) instead of a regex run; an object
with ``patternProperties`` gets ``propertyNames: {maxLength: N}`` the same way. The
guard is plain JSON Schema, so exported documents behave the same elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema_rs
from trackplan.registry.patterns import MAX_PATTERN_INPUT, PATTERN_OPTIONS
from trackplan.registry.plan import EventSpec, Plan, PropertySpec
from trackplan.registry.posthog_names import generic_distinct_id_patterns

__all__ = [
    "DIALECT",
    "NON_BLANK_PATTERN",
    "PERSON_KEYS",
    "build_validator",
    "compile_event_schema",
    "compile_fallback_schema",
    "compile_plan",
    "event_is_closed",
    "guard_patterns",
    "is_length_guard",
    "thaw",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Keys that carry person properties, at the top level or inside ``properties``.
PERSON_KEYS: tuple[str, ...] = ("$set", "$set_once")

# Unicode White_Space, the set Rust's ``str::trim`` (PostHog capture) strips. Written as
# literal characters so every regex engine reads the class the same way.
_WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: Matches a string holding at least one non-blank character.
NON_BLANK_PATTERN = f"[^{_WHITE_SPACE}]"

# Keys PostHog itself reads from ``properties``; allowed on closed events.
_POSTHOG_PROPERTY_KEYS = ("distinct_id", "token")


def thaw(value: Any) -> Any:
    """A plain ``dict``/``list`` copy of a (possibly read-only) JSON-like value."""
    if isinstance(value, Mapping):
        return {str(k): thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(v) for v in value]
    return value


# Where JSON Schema 2020-12 nests subschemas (one schema, a list of them, a map of them).
_ONE = frozenset(
    {
        "items",
        "contains",
        "additionalProperties",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "not",
        "if",
        "then",
        "else",
        "contentSchema",
    }
)
_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_MAP = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})


def _guard(limit: int, checked: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"maxLength": limit}, "then": checked, "else": {"maxLength": limit}}


def guard_patterns(schema: Any, limit: int = MAX_PATTERN_INPUT) -> Any:
    """``schema`` with every ``pattern`` run only on strings of at most ``limit`` chars.

    Returns a new value (the input is not changed); see the module docstring for the
    shape. Keys under ``patternProperties`` are guarded by ``propertyNames``.
    """
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    guards: list[dict[str, Any]] = []
    for key, value in schema.items():
        if key == "pattern" and isinstance(value, str):
            guards.append(_guard(limit, {"pattern": value}))
            continue
        if key in _ONE:
            out[key] = guard_patterns(value, limit)
        elif key in _LIST and isinstance(value, list):
            out[key] = [guard_patterns(item, limit) for item in value]
        elif key in _MAP and isinstance(value, dict):
            out[key] = {name: guard_patterns(item, limit) for name, item in value.items()}
        else:
            out[key] = value
        if key == "patternProperties" and value:
            guards.append({"propertyNames": {"maxLength": limit}})
    if guards:
        out["allOf"] = [*out.get("allOf", []), *guards]
    return out


def is_length_guard(schema: Any, schema_path: list[Any]) -> bool:
    """True when ``schema_path`` (an engine error's) ends in a :func:`guard_patterns` guard."""
    if len(schema_path) < 2 or schema_path[-1] != "maxLength":
        return False
    node: Any = schema
    try:
        for token in schema_path[:-2]:
            node = node[token]
    except (KeyError, IndexError, TypeError):
        return False
    if schema_path[-2] == "else":
        return isinstance(node, dict) and "then" in node and set(node["then"]) == {"pattern"}
    return (
        schema_path[-2] == "propertyNames"
        and len(schema_path) >= 4
        and schema_path[-4] == "allOf"
        and node == {"propertyNames": node.get("propertyNames")}
    )


def _distinct_id_schema() -> dict[str, Any]:
    return {
        "type": ["string", "number"],
        "pattern": NON_BLANK_PATTERN,
        "not": {
            "anyOf": [
                *(
                    {"type": "string", "pattern": pattern}
                    for pattern in generic_distinct_id_patterns()
                ),
                {"const": 0},
            ]
        },
    }


def _plain(spec: PropertySpec, limit: int | None) -> Any:
    """A property's schema as a plain JSON value, pattern-guarded unless ``limit`` is None."""
    schema = thaw(spec.schema)
    return schema if limit is None else guard_patterns(schema, limit)


def _person_schema(plan: Plan, limit: int | None) -> dict[str, Any]:
    """What ``$set``/``$set_once`` may carry (empty when the plan declares nothing)."""
    if not plan.person_properties:
        return {}
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {name: _plain(p, limit) for name, p in plan.person_properties.items()},
    }
    if not plan.additional_properties:
        schema["patternProperties"] = {"^\\$": True}
        schema["additionalProperties"] = False
    return schema


def _properties_schema(
    props: Mapping[str, PropertySpec], closed: bool, person: Mapping[str, Any], limit: int | None
) -> dict[str, Any]:
    declared: dict[str, Any] = {name: _plain(p, limit) for name, p in props.items()}
    for key in PERSON_KEYS:
        if person and key not in declared:
            declared[key] = person
    schema: dict[str, Any] = {"type": "object", "properties": declared}
    required = [name for name, p in props.items() if p.required]
    if required:
        schema["required"] = required
    if closed:
        for key in _POSTHOG_PROPERTY_KEYS:
            declared.setdefault(key, True)
        schema["patternProperties"] = {"^\\$": True}
        schema["additionalProperties"] = False
    return schema


def _payload_schema(
    plan: Plan,
    *,
    title: str | None,
    event: Mapping[str, Any],
    props: Mapping[str, PropertySpec],
    closed: bool,
    limit: int | None,
    description: str | None = None,
) -> dict[str, Any]:
    person = _person_schema(plan, limit)
    distinct_id = _distinct_id_schema()
    top_props: dict[str, Any] = {
        "event": event,
        "properties": _properties_schema(props, closed, person, limit),
    }
    if person:
        for key in PERSON_KEYS:
            top_props[key] = person
    schema: dict[str, Any] = {"$schema": DIALECT}
    if title is not None:
        schema["title"] = title
    if description:
        schema["description"] = description
    schema.update(
        {
            "type": "object",
            "required": ["event", "properties"]
            if any(p.required for p in props.values())
            else ["event"],
            "properties": top_props,
            "if": {
                "required": ["distinct_id"],
                "properties": {"distinct_id": {"not": {"type": "null"}}},
            },
            "then": {"properties": {"distinct_id": distinct_id}},
            "else": {
                "required": ["properties"],
                "properties": {
                    "properties": {
                        "required": ["distinct_id"],
                        "properties": {"distinct_id": distinct_id},
                    }
                },
            },
        }
    )
    return schema


def event_is_closed(plan: Plan, event: EventSpec) -> bool:
    """True when undeclared properties are violations (TP203) on this event.

    The event's own ``additional_properties`` decides; the loader fills it from the
    plan-level default when the event does not say, so ``additional_properties: true``
    on an event opens it under a plan-level ``false``.
    """
    del plan  # the plan-level default is already resolved into the event
    return not event.additional_properties


def compile_event_schema(
    plan: Plan, event: EventSpec, *, max_pattern_input: int | None = MAX_PATTERN_INPUT
) -> dict[str, Any]:
    """The JSON Schema of one planned event's whole payload.

    ``max_pattern_input``: longest string a plan ``pattern`` is run on (see
    :func:`guard_patterns`); None leaves patterns unguarded (plan comparison, where both
    sides would carry the same guard).
    """
    closed = event_is_closed(plan, event)
    return _payload_schema(
        plan,
        title=event.name,
        event={"const": event.name},
        props=event.properties,
        closed=closed,
        limit=max_pattern_input,
        description=event.description,
    )


def compile_fallback_schema(
    plan: Plan, *, max_pattern_input: int | None = MAX_PATTERN_INPUT
) -> dict[str, Any]:
    """The schema for events the plan does not declare (distinct id and persons only)."""
    return _payload_schema(
        plan,
        title=None,
        event={"type": "string"},
        props={},
        closed=False,
        limit=max_pattern_input,
    )


def compile_plan(
    plan: Plan, *, max_pattern_input: int | None = MAX_PATTERN_INPUT
) -> dict[str, dict[str, Any]]:
    """Every planned event's schema, keyed by event name, in plan order."""
    return {
        name: compile_event_schema(plan, spec, max_pattern_input=max_pattern_input)
        for name, spec in plan.events.items()
    }


def build_validator(schema: dict[str, Any]) -> jsonschema_rs.Validator:
    """A jsonschema-rs validator with formats enforced and the linear-time regex engine."""
    return jsonschema_rs.validator_for(
        schema, validate_formats=True, pattern_options=PATTERN_OPTIONS
    )
