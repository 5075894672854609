"""Hostile payload objects through the library API: always a verdict, never an exception.

The oracle is ``json.dumps``: a payload the standard library cannot serialize as strict
JSON (NaN, Infinity, cycles, sets, bytes, objects, integers past the digit limit, lone
surrogates) or that nests deeper than ``MAX_PAYLOAD_DEPTH`` must get a TP902; one it can
serialize must get exactly the verdict of its plain JSON round trip (enum members,
tuples and dict subclasses are what the SDK sends as plain JSON).
"""

from __future__ import annotations

import enum
import json
import math
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trackplan.registry.payloads import (
    MAX_PAYLOAD_CONTAINERS,
    MAX_PAYLOAD_DEPTH,
    first_non_json_value,
    is_plain_json,
)
from trackplan.registry.validation import Registry, ValidationResult

PLAN = Path(__file__).parents[1] / "runtime" / "plans" / "shop.yaml"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(PLAN)


class Colour(str, enum.Enum):
    RED = "EUR"


class Count(enum.IntEnum):
    ONE = 1


class RaisingEq(str):
    """A str key whose comparison raises (met on a hash collision inside dict lookups)."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("__eq__ refused")

    __hash__ = str.__hash__


class RaisingGet(dict):  # type: ignore[type-arg]
    """A dict whose accessors raise: the registry must read it through ``dict``."""

    def get(self, *args: Any) -> Any:
        raise RuntimeError("get refused")

    def __getitem__(self, key: Any) -> Any:
        raise RuntimeError("__getitem__ refused")

    def items(self) -> Any:
        raise RuntimeError("items refused")

    def __iter__(self) -> Any:
        raise RuntimeError("__iter__ refused")


class Opaque:
    def __repr__(self) -> str:
        raise RuntimeError("repr refused")


def _strict_json(value: object) -> str | None:
    """``json.dumps`` as the SDK would need it to succeed, or None when it cannot."""
    try:
        text = json.dumps(value, allow_nan=False, ensure_ascii=False)
        text.encode("utf-8")
    except (TypeError, ValueError, RecursionError, UnicodeEncodeError):
        return None
    return text


def _depth(value: object, level: int = 0) -> int:
    if isinstance(value, dict):
        return max([_depth(v, level + 1) for v in value.values()], default=level + 1)
    if isinstance(value, (list, tuple)):
        return max([_depth(v, level + 1) for v in value], default=level + 1)
    return level


def _has_non_str_key(value: object) -> bool:
    if isinstance(value, dict):
        return any(not isinstance(k, str) or _has_non_str_key(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_non_str_key(v) for v in value)
    return False


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.builds(Opaque),
    st.sampled_from([5000, -4400]).map(
        lambda digits: (10 ** abs(digits)) * (digits // abs(digits))
    ),
    st.sampled_from(
        [
            2**64,
            "\ud800",
            "ok\udfffok",
            b"bytes",
            frozenset({1}),
            {1, 2},
            Colour.RED,
            Count.ONE,
            math.nan,
        ]
    ),
)
keys = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["order_id", "amount", "currency", "$set", "\ud800", "a/b~c"]),
    st.integers(min_value=0, max_value=3),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(keys, children, max_size=4),
        st.dictionaries(st.text(max_size=5), children, max_size=3).map(OrderedDict),
    ),
    max_leaves=20,
)
events = st.sampled_from(["order_created", "user_signed_up", "report_exported", "nope", ""])
payloads = st.one_of(
    st.fixed_dictionaries(
        {"event": events, "distinct_id": values, "properties": st.dictionaries(keys, values)}
    ),
    st.fixed_dictionaries({"event": events, "properties": values}),
    values,
)


def _verdict(result: ValidationResult) -> tuple[bool, list[tuple[str, str | None]]]:
    return result.valid, sorted((d.code, d.pointer) for d in result.violations)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=payloads)
def test_any_payload_gets_the_verdict_of_its_strict_json_form(
    registry: Registry, payload: Any
) -> None:
    result = registry.validate(payload)
    assert isinstance(result, ValidationResult)
    assert registry.is_valid(payload) == result.valid
    assert all(isinstance(d.message, str) for d in registry.iter_violations(payload))
    assert len(registry.validate_body([payload, payload])) == 2
    text = _strict_json(payload)
    if not isinstance(payload, dict):
        assert not result.valid
        return
    if text is None or _depth(payload) > MAX_PAYLOAD_DEPTH or _has_non_str_key(payload):
        # Not something PostHog could receive: refused as malformed, with a pointer.
        assert not result.valid
        assert "TP902" in {d.code for d in result.violations}
        return
    assert _verdict(result) == _verdict(registry.validate(json.loads(text)))


def _cyclic(where: str) -> dict[str, Any]:
    payload: dict[str, Any] = {"event": "order_created", "distinct_id": "u1"}
    props: dict[str, Any] = {"order_id": "o", "amount": 1}
    payload["properties"] = props
    if where == "undeclared":
        props["loop"] = [props]
    elif where == "declared":
        props["amount"] = [payload]
    else:
        payload["extra"] = payload
    return payload


@pytest.mark.parametrize("where", ["undeclared", "declared", "top"])
def test_a_reference_cycle_anywhere_is_tp902_with_its_pointer(
    registry: Registry, where: str
) -> None:
    result = registry.validate(_cyclic(where))
    (only,) = result.violations
    assert (only.code, only.message) == ("TP902", "payload contains a reference cycle")
    assert (
        only.pointer
        == {
            "undeclared": "/properties/loop/0",
            "declared": "/properties/amount/0",
            "top": "/extra",
        }[where]
    )


def test_a_shared_sub_object_is_not_a_cycle(registry: Registry) -> None:
    shared = {"sku": "a"}
    payload = {
        "event": "order_created",
        "distinct_id": "u1",
        "properties": {"order_id": "o", "amount": 1, "a": shared, "b": [shared, shared]},
    }
    assert is_plain_json(payload)
    assert first_non_json_value(payload) is None
    assert registry.validate(payload).violations == ()


def test_exponentially_shared_sub_objects_are_refused_in_bounded_time(registry: Registry) -> None:
    node: list[Any] = []
    for _ in range(150):  # 2**150 values once serialized
        node = [node, node]
    payload = {"event": "order_created", "distinct_id": "u1", "properties": {"x": node}}
    assert not is_plain_json(payload)
    (only,) = registry.validate(payload).violations
    assert only.code == "TP902"
    assert only.message.startswith(f"payload holds more than {MAX_PAYLOAD_CONTAINERS:,}")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (math.nan, "nan is not a JSON number (JSON has no NaN or Infinity)"),
        (-math.inf, "-inf is not a JSON number (JSON has no NaN or Infinity)"),
        ({1, 2}, "a set value is not JSON"),
        (b"x", "a bytes value is not JSON"),
        (Opaque(), "a Opaque value is not JSON"),
        ("\ud800", "a string holding a lone surrogate is not valid UTF-8 JSON"),
        (10**5000, "an integer of more than 4,300 digits cannot be serialized as JSON"),
    ],
    ids=["nan", "-inf", "set", "bytes", "object", "surrogate", "huge-int"],
)
def test_undeclared_non_json_values_are_tp902_naming_the_real_type(
    registry: Registry, value: object, message: str
) -> None:
    payload = {
        "event": "order_created",
        "distinct_id": "u1",
        "properties": {"order_id": "o", "amount": 1, "extra": {"deep": [value]}},
    }
    (only,) = registry.validate(payload).violations
    assert (only.code, only.pointer, only.message) == ("TP902", "/properties/extra/deep/0", message)


def test_huge_integer_distinct_id_names_the_integer_not_a_placeholder(registry: Registry) -> None:
    payload = {"event": "order_created", "distinct_id": 10**5000, "properties": {}}
    (only,) = registry.validate(payload).violations
    assert only.code == "TP902"
    assert only.pointer == "/distinct_id"
    assert "integer" in only.message and "None" not in only.message
    big = {"event": "order_created", "distinct_id": 10**40, "properties": {"order_id": "o"}}
    big["properties"]["amount"] = 1
    assert registry.validate(big).violations == ()  # a JSON number, however large


def test_nesting_past_the_limit_is_tp902_and_at_the_limit_is_fine(registry: Registry) -> None:
    def nested(depth: int) -> dict[str, Any]:
        root: dict[str, Any] = {}
        node = root
        for _ in range(depth):
            node["a"] = {}
            node = node["a"]
        return root

    base = {"event": "order_created", "distinct_id": "u1"}
    # the payload itself and ``properties`` are two levels; ``x`` holds the rest
    ok = {**base, "properties": {"order_id": "o", "amount": 1, "x": nested(MAX_PAYLOAD_DEPTH - 3)}}
    assert registry.validate(ok).violations == ()
    deep = {**base, "properties": {"order_id": "o", "amount": 1, "x": nested(50_000)}}
    (only,) = registry.validate(deep).violations
    assert only.code == "TP902"
    assert only.message == f"payload is nested deeper than {MAX_PAYLOAD_DEPTH} levels"


def test_dict_subclasses_with_raising_accessors_get_a_verdict(registry: Registry) -> None:
    payload = RaisingGet(event="order_created", distinct_id="u1", properties={"order_id": "o"})
    result = registry.validate(payload)
    assert [(d.code, d.pointer) for d in result.violations] == [("TP202", "/properties/amount")]
    props = RaisingGet(order_id="o", amount=1)
    ok = registry.validate({"event": "order_created", "distinct_id": "u1", "properties": props})
    assert ok.valid
    assert registry.validate_body(RaisingGet(batch=[1]))[0].violations[0].code == "TP902"


def test_str_and_int_enum_members_are_checked_by_their_values(registry: Registry) -> None:
    payload = {
        "event": "order_created",
        "distinct_id": Count.ONE,
        "properties": {"order_id": "o", "amount": Count.ONE, "currency": Colour.RED},
    }
    assert registry.validate(payload).violations == ()
    payload["properties"]["currency"] = Count.ONE
    found = registry.validate(payload).violations
    assert {(d.code, d.pointer) for d in found} == {("TP204", "/properties/currency")}
    assert any(d.message.endswith("got integer") for d in found)


def test_raising_key_equality_is_a_verdict(registry: Registry) -> None:
    payload = {
        "event": "order_created",
        "distinct_id": "u1",
        "properties": {RaisingEq("order_id"): "o", "amount": 1},
    }
    assert registry.validate(payload).violations == ()
    named = {"event": RaisingEq("order_created"), "distinct_id": "u1", "properties": {}}
    result = registry.validate(named)
    assert result.event == "order_created"
    assert {d.code for d in result.violations} == {"TP202"}
