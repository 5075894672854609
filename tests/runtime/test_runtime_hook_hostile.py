"""Hostile messages through the hook: never an exception, and a counted drop is never sent."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from posthog import Posthog
from runtime_capture_server import CaptureServer
from trackplan.registry.runtime import ValidationHook, Verdict
from trackplan.registry.validation import Registry

VALID = {"order_id": "o-1", "amount": 1, "currency": "EUR"}


@pytest.fixture
def client_and_hook(
    shop_registry: Registry, capture_server: CaptureServer
) -> Iterator[tuple[Posthog, ValidationHook]]:
    hook = ValidationHook(shop_registry, mode="drop")
    client = Posthog("phc_test", host=capture_server.url, sync_mode=True, before_send=hook)
    yield client, hook
    client.shutdown()


def test_drop_mode_sends_exactly_the_events_it_did_not_count_as_dropped(
    client_and_hook: tuple[Posthog, ValidationHook], capture_server: CaptureServer
) -> None:
    client, hook = client_and_hook
    sends: list[tuple[str, dict[str, Any]]] = [
        ("order_created", VALID),
        ("order_created", {**VALID, "note": math.nan}),  # NaN under an undeclared key
        ("order_created", {**VALID, "deep": {"x": [math.inf]}}),
        ("order_created", {**VALID, "huge": 10**5000}),
        ("order_created", {"order_id": "o-2"}),  # missing required amount
        ("user_signed_up", {"signup_method": "email"}),
        ("user_signed_up", {"signup_method": "email", "\ud800": 1}),
    ]
    for name, properties in sends:
        client.capture(name, distinct_id="u1", properties=properties)
    stats = hook.stats
    received = capture_server.events
    assert stats.events == len(sends)
    assert stats.dropped == 5
    assert len(received) == len(sends) - stats.dropped
    assert [(e["event"], e["properties"]["order_id"]) for e in received[:1]] == [
        ("order_created", "o-1")
    ]
    assert received[1]["event"] == "user_signed_up"


class _BrokenBookkeeping(ValidationHook):
    def _log_violations(self, *args: Any) -> None:
        raise RuntimeError("log sink exploded")


def test_a_failure_after_a_drop_is_decided_still_drops(shop_registry: Registry) -> None:
    hook = _BrokenBookkeeping(shop_registry, mode="drop")
    message = {"event": "order_created", "distinct_id": "u1", "properties": {"order_id": "o"}}
    assert hook(message) is None
    assert hook.stats.dropped == 1
    assert hook.stats.errors == 1


class _RaisingGet(dict):  # type: ignore[type-arg]
    def get(self, *args: Any) -> Any:
        raise RuntimeError("get refused")

    def __getitem__(self, key: Any) -> Any:
        raise RuntimeError("__getitem__ refused")


def test_a_message_whose_accessors_raise_gets_a_verdict(shop_registry: Registry) -> None:
    seen: list[Verdict] = []
    hook = ValidationHook(shop_registry, mode="drop", observer=lambda _m, v: seen.append(v))
    message = _RaisingGet(event="order_created", distinct_id="u1", properties={"order_id": "o"})
    assert hook(message) is None
    (verdict,) = seen
    assert (verdict.event, verdict.distinct_id, verdict.outcome) == (
        "order_created",
        "u1",
        "dropped",
    )
    assert [d.code for d in verdict.violations] == ["TP202"]


hostile = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=6),
        st.sampled_from([b"x", "\udc80", frozenset()]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    event=st.sampled_from(["order_created", "user_signed_up", "unplanned", None, 3]),
    distinct_id=hostile,
    properties=hostile,
)
def test_the_hook_never_raises_and_returns_none_exactly_for_drops(
    shop_registry: Registry, event: Any, distinct_id: Any, properties: Any
) -> None:
    hook = ValidationHook(shop_registry, mode="drop")
    message = {"event": event, "distinct_id": distinct_id, "properties": properties}
    returned = hook(message)
    stats = hook.stats
    assert (returned is None) == (stats.dropped == 1)
    if returned is not None:
        assert shop_registry.validate(message).valid
