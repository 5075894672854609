"""Registry verdicts: every payload code, its pointer, severity policy, never raising."""

from __future__ import annotations

import datetime
import math
from typing import Any

import pytest
from trackplan.registry.diagnostics import Severity
from trackplan.registry.policy import RulePolicy
from trackplan.registry.validation import Registry, ValidationResult
from validation_helpers import contract_plan, event


def codes(result: ValidationResult) -> list[tuple[str, str | None]]:
    return [(d.code, d.pointer) for d in result.violations]


VALID_ORDER = event("order_created", {"order_id": "#0054", "items": [{"sku": "A", "quantity": 2}]})

CASES: list[tuple[str, Any, list[tuple[str, str | None]]]] = [
    ("valid order", VALID_ORDER, []),
    (
        "required missing at top",
        event("order_created", {"items": [{"sku": "A", "quantity": 1}]}),
        [("TP202", "/properties/order_id")],
    ),
    (
        "required missing when properties absent",
        event("order_created"),
        [("TP202", "/properties/order_id")],
    ),
    (
        "required missing at depth",
        event("order_created", {"order_id": "#0054", "items": [{"quantity": 1}]}),
        [("TP202", "/properties/items/0/sku")],
    ),
    (
        "value breaks pattern and minimum",
        event("order_created", {"order_id": "54", "items": [{"sku": "A", "quantity": 0}]}),
        [("TP204", "/properties/order_id"), ("TP204", "/properties/items/0/quantity")],
    ),
    (
        "undeclared on closed event",
        event(
            "plan_purchased",
            {
                "price": 900,
                "plan_id": "PRO00001",
                "frequency": "monthly",
                "coupon": "X",
                "$lib": "web",
            },
        ),
        [("TP203", "/properties/coupon")],
    ),
    (
        "undeclared on open event is fine",
        event("user_signed_up", {"signup_method": "email", "anything": [1, 2]}),
        [],
    ),
    (
        "nested additionalProperties spec is a value problem",
        event(
            "plan_purchased",
            {"price": 1, "plan_id": "PRO00001", "frequency": "yearly", "features": {"sso": "yes"}},
        ),
        [("TP204", "/properties/features/sso")],
    ),
    ("unknown event", event("signup"), [("TP201", "/event")]),
    (
        "unknown event close to a planned one",
        event("user_signed_upp"),
        [("TP201", "/event"), ("TP206", "/event")],
    ),
    (
        "other casing is close too",
        event("User Signed Up"),
        [("TP201", "/event"), ("TP206", "/event")],
    ),
    ("deprecated", event("checkout_started"), [("TP205", "/event")]),
    (
        "posthog event needs no declaration",
        event("$pageview", {"$current_url": "https://x.io"}),
        [],
    ),
    ("survey event needs no declaration", event("survey sent", {"$survey_id": "s"}), []),
    (
        "distinct id missing",
        {"event": "checkout_started"},
        [("TP205", "/event"), ("TP301", "/distinct_id")],
    ),
    ("distinct id null", event("$pageview", distinct_id=None), [("TP301", "/distinct_id")]),
    ("distinct id empty", event("$pageview", distinct_id=""), [("TP301", "/distinct_id")]),
    ("distinct id blank", event("$pageview", distinct_id=" \t\u00a0"), [("TP301", "/distinct_id")]),
    ("distinct id object", event("$pageview", distinct_id={"id": 1}), [("TP301", "/distinct_id")]),
    ("distinct id number is fine", event("$pageview", distinct_id=12345), []),
    ("distinct id in properties", {"event": "$pageview", "properties": {"distinct_id": "u1"}}, []),
    (
        "null top-level id falls back to properties",
        {"event": "$pageview", "distinct_id": None, "properties": {"distinct_id": "u1"}},
        [],
    ),
    (
        "generic id in properties",
        {"event": "$pageview", "properties": {"distinct_id": "undefined"}},
        [("TP302", "/properties/distinct_id")],
    ),
    (
        "generic id case-insensitive",
        event("$pageview", distinct_id="AnonYmous"),
        [("TP302", "/distinct_id")],
    ),
    ("generic id quoted", event("$pageview", distinct_id='"guest"'), [("TP302", "/distinct_id")]),
    (
        "generic id exact",
        event("$pageview", distinct_id="[object Object]"),
        [("TP302", "/distinct_id")],
    ),
    ("exact list is exact", event("$pageview", distinct_id="NULL"), []),
    ("zero id", event("$pageview", distinct_id=0), [("TP302", "/distinct_id")]),
    (
        "distinct_id allowed on closed event properties",
        event(
            "plan_purchased",
            {"price": 1, "plan_id": "PRO00001", "frequency": "yearly", "distinct_id": "u1"},
        ),
        [],
    ),
    (
        "person properties top level",
        event(
            "$set",
            **{"$set": {"email": "not-an-email", "plan": "gold"}, "$set_once": {"email": "a@b.io"}},
        ),
        [("TP304", "/$set/email"), ("TP304", "/$set/plan")],
    ),
    (
        "person properties inside properties",
        event("$identify", {"$set": {"email": 5}, "$set_once": {"plan": "pro"}}),
        [("TP304", "/properties/$set/email")],
    ),
    (
        "person properties on planned event",
        event("user_signed_up", {"signup_method": "email", "$set_once": {"plan": "platinum"}}),
        [("TP304", "/properties/$set_once/plan")],
    ),
    (
        "undeclared person property on open plan is fine",
        event("$set", **{"$set": {"nickname": "x"}}),
        [],
    ),
    ("not an object", ["event"], [("TP902", "")]),
    ("no event name", {"distinct_id": "u"}, [("TP902", "/event")]),
    ("event name not a string", {"event": 5, "distinct_id": "u"}, [("TP902", "/event")]),
    ("event name blank", {"event": "  ", "distinct_id": "u"}, [("TP902", "/event")]),
    ("properties not an object", event("order_created", [1]), [("TP902", "/properties")]),
    (
        "properties null",
        event("order_created", None) | {"properties": None},
        [("TP902", "/properties")],
    ),
]


@pytest.mark.parametrize(("payload", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_payload_codes_and_pointers(registry: Registry, payload: Any, expected: list[Any]) -> None:
    result = registry.validate(payload)
    assert sorted(codes(result)) == sorted(expected)
    assert result.valid == (not any(d.severity is Severity.ERROR for d in result.violations))
    assert registry.is_valid(payload) == result.valid
    assert sorted((d.code, d.pointer) for d in registry.iter_violations(payload)) == sorted(
        expected
    )


def test_violation_carries_event_severity_and_readable_message(registry: Registry) -> None:
    result = registry.validate(event("order_created", {"items": []}))
    by_code = {d.code: d for d in result.violations}
    assert set(by_code) == {"TP202", "TP204"}
    assert by_code["TP202"].message == "required property `order_id` is missing"
    assert by_code["TP204"].message == "property `items` must have at least 1 items"
    assert all(
        d.event == "order_created" and d.severity is Severity.ERROR for d in result.violations
    )
    assert result.event == "order_created" and not result.valid


def test_deprecation_message_quotes_the_plan(registry: Registry) -> None:
    (diag,) = registry.validate(event("checkout_started")).violations
    assert diag.message == "event `checkout_started` is deprecated: use order_created"
    assert diag.severity is Severity.WARNING


def test_did_you_mean_names_the_planned_event(registry: Registry) -> None:
    result = registry.validate(event("order_creatd"))
    assert [d.message for d in result.violations] == [
        "event `order_creatd` is not in the plan",
        "unknown event `order_creatd`: did you mean `order_created`?",
    ]
    assert [d.severity for d in result.violations] == [Severity.ERROR, Severity.INFO]


def test_messages_never_quote_property_values(registry: Registry) -> None:
    secret = "Jane Secret-Name"
    result = registry.validate(event("order_created", {"order_id": secret, "customer_name": 7}))
    assert result.violations and all(secret not in d.message for d in result.violations)


def test_valid_result_is_shared_and_empty(registry: Registry) -> None:
    first = registry.validate(VALID_ORDER)
    second = registry.validate(dict(VALID_ORDER))
    assert first is second
    assert first.valid and first.violations == () and first.event == "order_created"


def test_closed_plan_closes_person_properties() -> None:
    strict = Registry.from_plan(contract_plan(closed_plan=True))
    result = strict.validate(event("$set", **{"$set": {"nickname": "x", "$geoip": 1}}))
    assert codes(result) == [("TP304", "/$set/nickname")]
    open_event = strict.validate(event("user_signed_up", {"signup_method": "email", "extra": 1}))
    assert codes(open_event) == [("TP203", "/properties/extra")]


def test_policy_changes_severity_and_selection() -> None:
    policy = RulePolicy(
        ignore=("TP201", "TP206"), severity={"TP205": Severity.ERROR, "TP302": Severity.WARNING}
    )
    reg = Registry.from_plan(contract_plan(), policy)
    assert reg.validate(event("not_planned")).valid
    assert reg.validate(event("not_planned")).violations == ()
    deprecated = reg.validate(event("checkout_started"))
    assert not deprecated.valid and deprecated.violations[0].severity is Severity.ERROR
    generic = reg.validate(event("$pageview", distinct_id="guest"))
    assert generic.valid and generic.violations[0].severity is Severity.WARNING


def _deep(depth: int) -> dict[str, Any]:
    root: dict[str, Any] = {}
    node = root
    for _ in range(depth):
        node["a"] = {}
        node = node["a"]
    return root


class _Weird:
    pass


def _cycle() -> dict[str, Any]:
    d: dict[str, Any] = {
        "event": "order_created",
        "distinct_id": "u",
        "properties": {"order_id": "#0001"},
    }
    d["properties"]["items"] = [d]
    return d


HOSTILE: list[tuple[str, Any]] = [
    ("none", None),
    ("bytes", b"\xff\xfe"),
    ("int keys", {1: 2, "event": "order_created"}),
    ("nan id", event("order_created", {"order_id": "#0001"}, distinct_id=math.nan)),
    (
        "nan property",
        event(
            "order_created", {"order_id": "#0001", "items": [{"sku": "a", "quantity": math.inf}]}
        ),
    ),
    (
        "datetime in declared property",
        event("order_created", {"order_id": datetime.datetime(2024, 1, 1)}),
    ),
    ("object in declared property", event("order_created", {"order_id": _Weird()})),
    (
        "deeply nested properties",
        event("order_created", {"order_id": "#0001", "items": _deep(50_000)}),
    ),
    ("deeply nested undeclared", event("order_created", {"order_id": "#0001", "x": _deep(50_000)})),
    ("huge string", event("order_created", {"order_id": "#" + "1" * 5_000_000})),
    ("huge bad string", event("order_created", {"order_id": "x" * 5_000_000})),
    ("lone surrogate", event("order_created", {"order_id": "\ud800"})),
    ("cycle", _cycle()),
]


@pytest.mark.parametrize("payload", [h[1] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_payloads_never_raise(registry: Registry, payload: Any) -> None:
    result = registry.validate(payload)
    assert isinstance(result, ValidationResult)
    list(registry.iter_violations(payload))
    registry.validate_body([payload])


def test_hostile_payload_verdicts(registry: Registry) -> None:
    nan = registry.validate(HOSTILE[3][1])
    assert codes(nan) == [("TP902", "/distinct_id")]
    inf = registry.validate(HOSTILE[4][1])
    assert codes(inf) == [("TP902", "/properties/items/0/quantity")]
    dt = registry.validate(HOSTILE[5][1])
    assert codes(dt) == [("TP902", "/properties/order_id")]
    assert codes(registry.validate(HOSTILE[2][1])) == [("TP902", "")]
    huge = registry.validate(HOSTILE[9][1])  # over the pattern input cap: not run
    assert codes(huge) == [("TP204", "/properties/order_id")]
    assert "too long to check against its pattern" in huge.violations[0].message
    assert codes(registry.validate(HOSTILE[10][1])) == [("TP204", "/properties/order_id")]
    assert not registry.validate(HOSTILE[12][1]).valid


def test_validate_body_shapes(registry: Registry) -> None:
    batch = {"api_key": "phc_x", "batch": [VALID_ORDER, event("nope"), "junk"]}
    results = registry.validate_body(batch)
    assert [r.valid for r in results] == [True, False, False]
    assert [r.violations[0].code for r in results[1:]] == ["TP201", "TP902"]
    assert [r.valid for r in registry.validate_body([VALID_ORDER, VALID_ORDER])] == [True, True]
    assert [r.valid for r in registry.validate_body(VALID_ORDER)] == [True]
    for bad in ({"api_key": "k", "batch": []}, {"api_key": "k", "batch": {}}, []):
        (only,) = registry.validate_body(bad)
        assert [d.code for d in only.violations] == ["TP902"]
