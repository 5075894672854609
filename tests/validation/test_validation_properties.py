"""Property-based: the Registry's verdict equals the Python jsonschema library's.

For generated plans (property schemas of many shapes) and generated payloads (valid
ones from hypothesis-jsonschema, mutated ones, arbitrary JSON), the Registry's
``valid`` must equal ``jsonschema.Draft202012Validator(schema,
format_checker=FORMAT_CHECKER).is_valid`` on the same compiled schema.

The reference evaluates ``pattern`` with trackplan's documented semantics (JSON
Schema / ECMA-262: ``$`` only at the very end, ASCII ``\\d``); Python ``re`` differs
there and the difference is tested separately in test_validation_patterns.py.
``email`` and ``hostname`` are left out of the generated formats: jsonschema's own
``email`` check only looks for an ``@`` and its hostname check accepts ``-a.com``;
their strict behaviour is pinned by table tests in test_validation_formats.py.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator
from trackplan.registry.plan import EventSpec, Plan, PropertySpec
from trackplan.registry.validation import Registry

PATTERNS = [
    "^[A-Z]{3}[0-9]{5}$",
    "^#[0-9]{4,}$",
    "^[a-z_]+$",
    "ab",
    "^(foo|bar)",
    "[0-9]$",
    "^\\d{2}-\\d{2}$",
]
FORMATS = ["date-time", "date", "time", "uri", "uuid", "ipv4", "ipv6"]


def _ecma_to_python(pattern: str) -> str:
    """The same regex for Python `re`: `$` -> end of string only, `\\d` -> ASCII digits."""
    return pattern.replace("\\d", "[0-9]").replace("$", r"\Z")


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    if validator.is_type(instance, "string") and not re.search(_ecma_to_python(pattern), instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


Reference = jsonschema.validators.extend(Draft202012Validator, {"pattern": _pattern})

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _json_key(value: object) -> tuple[bool, object]:
    return (type(value) is bool, value)


def _leaf_schemas() -> st.SearchStrategy[dict[str, Any]]:
    string = st.fixed_dictionaries(
        {"type": st.just("string")},
        optional={
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(3, 10),
            "pattern": st.sampled_from(PATTERNS),
            "format": st.sampled_from(FORMATS),
        },
    )
    integer = st.fixed_dictionaries(
        {"type": st.just("integer")},
        optional={
            "minimum": st.integers(-5, 5),
            "maximum": st.integers(5, 100),
            "multipleOf": st.sampled_from([1, 2, 5]),
        },
    )
    number = st.fixed_dictionaries(
        {"type": st.just("number")},
        optional={"exclusiveMinimum": st.integers(-5, 0), "maximum": st.floats(1, 100)},
    )
    # Enum values are distinct under JSON equality (1 == 1.0, True != 1): duplicates make
    # hypothesis-jsonschema fail an internal assertion on `uniqueItems` arrays.
    enum = st.lists(json_scalars, min_size=1, max_size=4, unique_by=_json_key).map(
        lambda options: {"enum": options}
    )
    simple = st.sampled_from(
        [{"type": "boolean"}, {"type": "null"}, {"type": ["string", "null"]}, {}]
    )
    return (
        string | integer | number | enum | simple | st.builds(lambda v: {"const": v}, json_scalars)
    )


def _schemas() -> st.SearchStrategy[dict[str, Any]]:
    def extend(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        array = st.builds(
            lambda items, lo, unique: {
                "type": "array",
                "items": items,
                "minItems": lo,
                "uniqueItems": unique,
            },
            inner,
            st.integers(0, 2),
            st.booleans(),
        )
        obj = st.builds(
            lambda props, req, extra: {
                "type": "object",
                "properties": props,
                "required": sorted(k for k in props if k in req),
                "additionalProperties": extra,
            },
            st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
            st.sets(st.sampled_from(["a", "b", "c"])),
            st.booleans() | inner,
        )
        return array | obj

    return st.recursive(_leaf_schemas(), extend, max_leaves=4)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    names = draw(
        st.lists(
            st.sampled_from(["price", "plan_id", "items", "note", "$custom"]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    props = {n: PropertySpec(n, draw(_schemas()), required=draw(st.booleans())) for n in names}
    person = {}
    if draw(st.booleans()):
        person = {
            n: PropertySpec(n, draw(_leaf_schemas()))
            for n in draw(st.sets(st.sampled_from(["email", "plan"]), min_size=1))
        }
    return Plan(
        events={
            "thing_happened": EventSpec(
                "thing_happened", props, additional_properties=draw(st.booleans())
            )
        },
        person_properties=person,
        additional_properties=draw(st.booleans()),
    )


# Generated payloads are large; shrinking them takes minutes and the assertion message
# already prints the schema, payload and violations of the failing example.
_NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target)
_SLOW = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]

IDS = st.sampled_from(
    [
        "u1",
        "",
        "  ",
        "guest",
        "GUEST",
        "'null'",
        "null",
        "None",
        "0",
        0,
        17,
        1.5,
        None,
        True,
        {"a": 1},
        "id\n",
    ]
)


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    payload = {**base, "properties": dict(base.get("properties") or {})}
    props = payload["properties"]
    for _ in range(draw(st.integers(1, 3))):
        action = draw(
            st.sampled_from(
                [
                    *("replace", "drop", "replace", "add", "id"),
                    *("replace", "person", "drop_id", "id_in_props", "replace"),
                ]
            )
        )
        keys = sorted(props)
        if action == "drop" and keys:
            del props[draw(st.sampled_from(keys))]
        elif action == "replace" and keys:
            props[draw(st.sampled_from(keys))] = draw(json_values)
        elif action == "add":
            props[draw(st.sampled_from(["extra", "$lib", "distinct_id", "token"]))] = draw(
                json_values
            )
        elif action == "id":
            payload["distinct_id"] = draw(IDS)
        elif action == "drop_id":
            payload.pop("distinct_id", None)
        elif action == "id_in_props":
            props["distinct_id"] = draw(IDS)
        else:
            where = payload if draw(st.booleans()) else props
            where[draw(st.sampled_from(["$set", "$set_once"]))] = draw(
                st.dictionaries(
                    st.sampled_from(["email", "plan", "other", "$x"]), json_values, max_size=2
                )
                | json_values
            )
    return payload


def _property_values(plan: Plan) -> st.SearchStrategy[dict[str, Any]]:
    """Valid values for every declared property (mutations then drop or break some)."""
    spec = plan.events["thing_happened"]
    return st.fixed_dictionaries(
        {name: from_schema(dict(p.schema)) for name, p in spec.properties.items()}
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Plan, Any]:
    plan = draw(plans())
    base = {
        "event": "thing_happened",
        "distinct_id": draw(st.just("u1") | IDS),
        "properties": draw(_property_values(plan)),
    }
    payload = draw(
        st.one_of(
            st.just(base),
            mutated(base),
            json_values.map(
                lambda v: {"event": "thing_happened", "distinct_id": "u", "properties": v}
            ),
        )
    )
    return plan, payload


@settings(
    max_examples=400,
    deadline=None,
    # Generated payloads are large: shrinking them can take minutes, and the assertion
    # message already shows the schema, payload and violations of a failing example.
    phases=_NO_SHRINK,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
@given(cases())
def test_registry_verdict_equals_jsonschema(case: tuple[Plan, Any]) -> None:
    plan, payload = case
    registry = Registry.from_plan(plan)
    schema = registry.schemas["thing_happened"]
    reference = Reference(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    result = registry.validate(payload)
    assert result.valid == reference.is_valid(payload), (schema, payload, result.violations)
    assert registry.is_valid(payload) == result.valid
    assert bool(result.violations) == (not result.valid)
