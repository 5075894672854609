"""The invalid-payload result cache never changes a verdict: every payload's result,
however many similar payloads came before, equals what a fresh registry says."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from trackplan.registry.loader import load_plan
from trackplan.registry.plan import Plan
from trackplan.registry.validation import Registry
from validation_helpers import contract_plan

ROOT = Path(__file__).resolve().parents[2]
SAAS = load_plan(ROOT / "plans" / "saas")
CONTRACT = contract_plan(closed_plan=True)

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["", " ", "undefined", "null", "PRO00012", "abc", "x" * 20, "monthly"])
    | st.text(max_size=12)
)
_values = _scalars | st.lists(_scalars, max_size=3) | st.dictionaries(st.text(max_size=4), _scalars)


def _payloads(plan: Plan) -> st.SearchStrategy[dict[str, Any]]:
    names = [*sorted(plan.events), "not_planned_event", "$pageview"]
    prop_names = sorted({p for e in plan.events.values() for p in e.properties})
    prop_names += ["$lib", "distinct_id", "undeclared", "$set"]
    props = st.dictionaries(st.sampled_from(prop_names), _values, max_size=6)
    return st.builds(
        lambda name, properties, did, with_did: (
            {"event": name, "properties": properties, "distinct_id": did}
            if with_did
            else {"event": name, "properties": properties}
        ),
        st.sampled_from(names),
        props,
        _scalars,
        st.booleans(),
    )


def _same(a: Any, b: Any) -> bool:
    return (a.event, a.valid, a.violations) == (b.event, b.valid, b.violations)


def _check(plan: Plan, payloads: list[dict[str, Any]]) -> None:
    warm = Registry(plan)
    for payload in payloads:  # the cache fills as it goes
        warm.validate(payload)
        warm.explain(payload)
    for payload in payloads:
        cold = Registry(plan)
        assert _same(warm.validate(payload), cold.validate(payload)), payload
        assert _same(warm.explain(payload), cold.validate(payload)), payload


@settings(max_examples=60, deadline=None)
@given(st.lists(_payloads(SAAS), min_size=1, max_size=12))
def test_cached_results_equal_fresh_results_saas(payloads: list[dict[str, Any]]) -> None:
    _check(SAAS, payloads)


@settings(max_examples=60, deadline=None)
@given(st.lists(_payloads(CONTRACT), min_size=1, max_size=12))
def test_cached_results_equal_fresh_results_closed_plan(payloads: list[dict[str, Any]]) -> None:
    _check(CONTRACT, payloads)


def test_repeated_mistake_with_new_values_shares_one_result() -> None:
    registry = Registry(SAAS)
    first = registry.validate(
        {"event": "order_created", "distinct_id": "u1", "properties": {"subtotal": "1.00"}}
    )
    second = registry.validate(
        {"event": "order_created", "distinct_id": "u2", "properties": {"subtotal": "9.99"}}
    )
    assert not first.valid and second is first


def test_values_that_read_differently_are_not_confused() -> None:
    registry = Registry(SAAS)
    for did in (0, 0.0, -0.0, False, "0", math.nan, math.inf, -math.inf):
        payload = {"event": "user_logged_in", "distinct_id": did, "properties": {}}
        assert _same(registry.validate(payload), Registry(SAAS).validate(payload)), did
