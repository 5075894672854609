"""What arrives on the wire in each mode, with the real posthog SDK and a local server.

Every test points a real ``Posthog`` client (``sync_mode=True``, so each call is one
HTTP request) at a capture server on 127.0.0.1 and asserts on the parsed ``/batch/``
bodies the server received.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import posthog
import pytest
from posthog import Posthog
from runtime_capture_server import CaptureServer
from trackplan.registry.runtime import TAG_PROPERTY, ValidationHook
from trackplan.registry.validation import Registry

SECRET = "4111-1111-1111-1111"  # a value that must never reach a log line

VALID_ORDER = {"order_id": "o-1", "amount": 12.5, "currency": "EUR"}
BAD_ORDER = {"order_id": "o-2", "amount": -3, "currency": SECRET}


@pytest.fixture
def make_client(capture_server: CaptureServer) -> Iterator[Any]:
    clients: list[Posthog] = []

    def make(hook: Any) -> Posthog:
        client = Posthog("phc_test", host=capture_server.url, sync_mode=True, before_send=hook)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.shutdown()


def _violations(event: dict[str, Any]) -> list[dict[str, str]]:
    return list(event["properties"].get(TAG_PROPERTY, []))


def test_warn_sends_invalid_event_unchanged_and_logs_code_and_path_without_values(
    shop_registry: Registry, make_client: Any, capture_server: CaptureServer, caplog: Any
) -> None:
    hook = ValidationHook(shop_registry)  # warn is the default
    client = make_client(hook)
    with caplog.at_level(logging.WARNING, logger="trackplan.runtime"):
        client.capture("order_created", distinct_id="u1", properties=BAD_ORDER)
        client.capture("order_created", distinct_id="u1", properties=VALID_ORDER)
        assert hook.drain_logs()
    sent = capture_server.named("order_created")
    assert [e["properties"]["currency"] for e in sent] == [SECRET, "EUR"]
    assert all(TAG_PROPERTY not in e["properties"] for e in sent)
    lines = [r.getMessage() for r in caplog.records if r.name == "trackplan.runtime"]
    assert sorted(lines) == [
        "trackplan: event 'order_created': TP204 at /properties/amount (property-value)",
        "trackplan: event 'order_created': TP204 at /properties/currency (property-value)",
    ]
    assert not any(SECRET in line or "-3" in line for line in lines)
    stats = hook.stats
    assert (stats.events, stats.invalid_events, stats.dropped) == (2, 1, 0)
    assert dict(stats.violations) == {("order_created", "TP204"): 2}


def test_tag_adds_code_and_path_per_violation_and_leaves_valid_events_alone(
    shop_registry: Registry, make_client: Any, capture_server: CaptureServer
) -> None:
    client = make_client(ValidationHook(shop_registry, mode="tag"))
    client.capture("order_created", distinct_id="u1", properties={"order_id": "o-3"})
    client.capture("order_created", distinct_id="u1", properties=VALID_ORDER)
    client.capture("order_typo", distinct_id="u1", properties={"x": 1})
    missing, valid, unplanned = capture_server.events
    assert _violations(missing) == [{"code": "TP202", "path": "/properties/amount"}]
    assert TAG_PROPERTY not in valid["properties"]
    assert [v["code"] for v in _violations(unplanned)] == ["TP201"]


def test_drop_keeps_invalid_events_off_the_wire(
    shop_registry: Registry, make_client: Any, capture_server: CaptureServer, caplog: Any
) -> None:
    hook = ValidationHook(shop_registry, mode="drop")
    client = make_client(hook)
    with caplog.at_level(logging.WARNING, logger="trackplan.runtime"):
        assert client.capture("order_created", distinct_id="u1", properties=BAD_ORDER) is None
        assert client.capture("order_created", distinct_id="u1", properties=VALID_ORDER)
        assert hook.drain_logs()
    assert [e["properties"]["order_id"] for e in capture_server.events] == ["o-1"]
    assert hook.stats.dropped == 1
    assert any("dropped event 'order_created': TP204" in r.getMessage() for r in caplog.records)


def test_strict_records_the_verdict_and_still_sends(
    shop_registry: Registry, make_client: Any, capture_server: CaptureServer
) -> None:
    hook = ValidationHook(shop_registry, mode="strict")
    client = make_client(hook)
    client.capture("order_created", distinct_id="u1", properties={"order_id": "o-4"})
    assert len(capture_server.events) == 1
    (verdict,) = hook.take_strict()
    assert (verdict.event, verdict.valid, verdict.outcome) == ("order_created", False, "sent")
    assert [(d.code, d.pointer) for d in verdict.violations] == [("TP202", "/properties/amount")]
    assert hook.take_strict() == []


def test_modes_per_code_and_per_severity(
    shop_registry: Registry, make_client: Any, capture_server: CaptureServer
) -> None:
    hook = ValidationHook(
        shop_registry, mode="drop", severity_modes={"warning": "tag"}, code_modes={"TP202": "tag"}
    )
    client = make_client(hook)
    client.capture("order_created", distinct_id="u1", properties={"order_id": "o-5"})  # TP202
    client.capture("report_exported", distinct_id="u1")  # TP205, a warning
    client.capture("order_created", distinct_id="u1", properties=BAD_ORDER)  # TP204: dropped
    events = capture_server.events
    assert [(e["event"], [v["code"] for v in _violations(e)]) for e in events] == [
        ("order_created", ["TP202"]),
        ("report_exported", ["TP205"]),
    ]


def test_set_and_set_once_person_properties_are_validated(
    shop_registry: Registry, make_client: Any, capture_server: CaptureServer
) -> None:
    client = make_client(ValidationHook(shop_registry, mode="tag"))
    client.set(distinct_id="u1", properties={"plan": "enterprise"})
    client.set_once(distinct_id="u1", properties={"email": "a@example.com"})
    set_event, set_once_event = capture_server.events
    assert set_event["$set"] == {"plan": "enterprise"}
    assert [v["code"] for v in _violations(set_event)] == ["TP304"]
    assert set_once_event["$set_once"] == {"email": "a@example.com"}
    assert TAG_PROPERTY not in set_once_event["properties"]


def test_alias_group_identify_and_exceptions_pass_through_validated(
    shop_registry: Registry, make_client: Any, capture_server: CaptureServer
) -> None:
    hook = ValidationHook(shop_registry, mode="tag")
    client = make_client(hook)
    client.alias(previous_id="anon-1", distinct_id="u1")
    client.group_identify("company", "acme", {"name": "Acme"}, distinct_id="u1")
    try:
        raise ValueError("boom")
    except ValueError as exc:
        client.capture_exception(exc, distinct_id="u1")
    names = [e["event"] for e in capture_server.events]
    assert names == ["$create_alias", "$groupidentify", "$exception"]
    assert all(TAG_PROPERTY not in e["properties"] for e in capture_server.events)
    assert hook.stats.events == 3


def test_generic_distinct_id_in_alias_is_tagged(
    shop_registry: Registry, make_client: Any, capture_server: CaptureServer
) -> None:
    client = make_client(ValidationHook(shop_registry, mode="tag"))
    client.alias(previous_id="undefined", distinct_id="u1")
    (alias,) = capture_server.events
    assert [v["code"] for v in _violations(alias)] == ["TP302"]


def test_context_identity_and_tags_are_what_gets_validated(
    shop_registry: Registry, make_client: Any, capture_server: CaptureServer
) -> None:
    client = make_client(ValidationHook(shop_registry, mode="tag"))
    with posthog.new_context():
        posthog.identify_context("ctx-user")
        posthog.tag("signup_method", "email")
        client.capture("user_signed_up")
    with posthog.new_context():
        posthog.identify_context("ctx-user")
        client.capture("user_signed_up", properties={"signup_method": "fax"})
    good, bad = capture_server.events
    assert (good["distinct_id"], TAG_PROPERTY in good["properties"]) == ("ctx-user", False)
    assert bad["distinct_id"] == "ctx-user"
    assert _violations(bad) == [{"code": "TP204", "path": "/properties/signup_method"}]


def test_module_level_before_send_reaches_the_default_client(
    shop_registry: Registry, capture_server: CaptureServer
) -> None:
    hook = ValidationHook(shop_registry, mode="tag")
    saved = {k: getattr(posthog, k) for k in ("api_key", "host", "sync_mode", "before_send")}
    posthog.default_client = None
    try:
        posthog.api_key, posthog.host, posthog.sync_mode = "phc_test", capture_server.url, True
        posthog.before_send = hook
        posthog.capture("order_created", distinct_id="u1", properties={"order_id": "o-6"})
    finally:
        if posthog.default_client is not None:
            posthog.default_client.shutdown()
        posthog.default_client = None
        for key, value in saved.items():
            setattr(posthog, key, value)
    (event,) = capture_server.events
    assert [v["code"] for v in _violations(event)] == ["TP202"]


def test_background_consumer_thread_delivers_tagged_events(
    shop_registry: Registry, capture_server: CaptureServer
) -> None:
    hook = ValidationHook(shop_registry, mode="tag")
    client = Posthog("phc_test", host=capture_server.url, before_send=hook, gzip=True)
    try:
        for n in range(20):
            client.capture("order_created", distinct_id=f"u{n}", properties={"order_id": str(n)})
        client.flush()
    finally:
        client.shutdown()
    events = capture_server.wait_for(20)
    assert len(events) == 20
    assert {v["code"] for e in events for v in _violations(e)} == {"TP202"}
