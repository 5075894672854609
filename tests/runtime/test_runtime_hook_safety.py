"""Chaining, never raising, thread safety and the client patch, with the real SDK."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from posthog import Posthog
from posthog.client import Client
from runtime_capture_server import CaptureServer
from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.runtime import TAG_PROPERTY, Mode, ModePolicy, ValidationHook, install
from trackplan.registry.validation import Registry, ValidationResult

PLAN = Path(__file__).parent / "plans" / "shop.yaml"


def _client(server: CaptureServer, hook: Any) -> Posthog:
    return Posthog("phc_test", host=server.url, sync_mode=True, before_send=hook)


def test_chained_before_send_runs_first_and_its_result_is_validated(
    shop_registry: Registry, capture_server: CaptureServer
) -> None:
    def add_amount(msg: dict[str, Any]) -> dict[str, Any]:
        msg["properties"]["amount"] = 1
        return msg

    hook = ValidationHook(shop_registry, mode="tag", chain=add_amount)
    client = _client(capture_server, hook)
    client.capture("order_created", distinct_id="u1", properties={"order_id": "o-1"})
    client.shutdown()
    (event,) = capture_server.events
    assert event["properties"]["amount"] == 1
    assert TAG_PROPERTY not in event["properties"]
    assert hook.stats.invalid_events == 0


def test_chained_hook_that_drops_wins_and_is_counted(
    shop_registry: Registry, capture_server: CaptureServer
) -> None:
    hook = ValidationHook(shop_registry, mode="tag", chain=lambda msg: None)
    client = _client(capture_server, hook)
    client.capture("order_created", distinct_id="u1", properties={"order_id": "o-1"})
    client.shutdown()
    assert capture_server.events == []
    assert (hook.stats.chain_dropped, hook.stats.events) == (1, 0)


def test_a_raising_chained_hook_never_reaches_the_caller(shop_registry: Registry) -> None:
    def broken(msg: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("app bug")

    hook = ValidationHook(shop_registry, chain=broken)
    assert hook({"event": "order_created", "distinct_id": "u1", "properties": {}}) is None
    assert hook.stats.errors == 1


class _ExplodingRegistry(Registry):
    """A real registry whose validation fails: the hook must send the event unchecked."""

    def validate(self, payload: object) -> ValidationResult:
        raise MemoryError("simulated failure inside validation")


def test_a_failure_inside_validation_sends_the_event_unchecked(
    capture_server: CaptureServer, caplog: Any
) -> None:

    hook = ValidationHook(_ExplodingRegistry.load(PLAN), mode="drop")
    client = _client(capture_server, hook)
    with caplog.at_level(logging.ERROR, logger="trackplan.runtime"):
        client.capture("order_created", distinct_id="u1", properties={})
        assert hook.drain_logs()
    client.shutdown()
    assert [e["event"] for e in capture_server.events] == ["order_created"]
    assert hook.stats.errors == 1
    assert "validation failed with MemoryError" in caplog.text


@pytest.mark.parametrize("payload", [{}, {"event": None}, {"event": 3, "properties": []}])
def test_malformed_messages_never_raise(shop_registry: Registry, payload: dict[str, Any]) -> None:
    hook = ValidationHook(shop_registry, mode="tag")
    result = hook(payload)
    assert result is not None
    assert hook.stats.events == 1


def test_counters_are_exact_under_concurrent_captures(shop_registry: Registry) -> None:
    hook = ValidationHook(shop_registry, mode="ignore")
    client = Posthog("phc_test", host="http://127.0.0.1:9", send=False, before_send=hook)
    per_thread, threads = 300, 8

    def work(n: int) -> None:
        for i in range(per_thread):
            props = {"order_id": str(i)} if i % 3 == 0 else {"order_id": str(i), "amount": 1}
            client.capture("order_created", distinct_id=f"t{n}", properties=props)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stats = hook.stats
    assert stats.events == per_thread * threads
    assert stats.invalid_events == 100 * threads
    assert dict(stats.violations) == {("order_created", "TP202"): 100 * threads}
    assert stats.by_code() == {"TP202": 800}


def test_full_log_queue_loses_lines_instead_of_blocking(shop_registry: Registry) -> None:
    hook = ValidationHook(shop_registry, log_capacity=1, logger=logging.getLogger("tp.slow"))
    logging.getLogger("tp.slow").setLevel(logging.WARNING)
    block = threading.Event()

    class Slow(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            block.wait(5)

    handler = Slow()
    logging.getLogger("tp.slow").addHandler(handler)
    try:
        for _ in range(50):
            hook({"event": "order_created", "distinct_id": "u1", "properties": {}})
        assert hook.stats.log_lines_lost > 0
    finally:
        block.set()
        hook.drain_logs()
        logging.getLogger("tp.slow").removeHandler(handler)


def test_mode_policy_picks_code_then_severity_then_default() -> None:
    policy = ModePolicy.build("warn", {"warning": "tag"}, {"tp205": "drop"})
    error = Diagnostic("TP204", Severity.ERROR, "m")
    warning = Diagnostic("TP999", Severity.WARNING, "m")
    deprecated = Diagnostic("TP205", Severity.WARNING, "m")
    info = Diagnostic("TP206", Severity.INFO, "m")
    assert [policy.mode_for(d) for d in (error, warning, deprecated, info)] == [
        Mode.WARN,
        Mode.TAG,
        Mode.DROP,
        Mode.IGNORE,
    ]
    with pytest.raises(ValueError, match="unknown trackplan mode 'loud'"):
        ModePolicy.build("loud")


def test_install_covers_existing_new_and_module_clients_and_uninstall_restores(
    shop_registry: Registry, capture_server: CaptureServer
) -> None:
    seen: list[str] = []

    def app_hook(msg: dict[str, Any]) -> dict[str, Any]:
        seen.append(msg["event"])
        return msg

    before = _client(capture_server, app_hook)
    hook = ValidationHook(shop_registry, mode="tag")
    installation = install(hook)
    try:
        after = _client(capture_server, None)
        before.capture("order_created", distinct_id="u1", properties={"order_id": "a"})
        after.capture("order_created", distinct_id="u1", properties={"order_id": "b"})
        assert Client in installation.classes
    finally:
        installation.uninstall()
    before.capture("order_created", distinct_id="u1", properties={"order_id": "c"})
    before.shutdown()
    after.shutdown()
    tagged = [TAG_PROPERTY in e["properties"] for e in capture_server.events]
    assert tagged == [True, True, False]
    assert seen == ["order_created", "order_created"]  # the app's hook ran, then trackplan
    assert before.before_send is app_hook
    assert "before_send" not in Client.__dict__


def test_periodic_summary_line_sums_up_violations(shop_registry: Registry, caplog: Any) -> None:
    hook = ValidationHook(shop_registry, mode="ignore", summary_interval=0.05)
    with caplog.at_level(logging.INFO, logger="trackplan.runtime"):
        hook({"event": "order_created", "distinct_id": "u1", "properties": {"order_id": "o"}})
        hook({"event": "order_created", "distinct_id": "u1", "properties": {"order_id": "o"}})
        deadline = time.monotonic() + 5
        while "trackplan: 2 of 2" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.02)
    assert "trackplan: 2 of 2 events broke the plan (0 dropped, 0 tagged): TP202=2" in caplog.text


def test_install_replaces_an_app_installed_trackplan_hook_but_keeps_its_chain(
    shop_registry: Registry, capture_server: CaptureServer
) -> None:
    def add_amount(msg: dict[str, Any]) -> dict[str, Any]:
        msg["properties"].setdefault("amount", 1)
        return msg

    production = ValidationHook(shop_registry, mode="drop", chain=add_amount)
    client = _client(capture_server, production)
    installation = install(ValidationHook(shop_registry, mode="tag"))
    try:
        client.capture("order_created", distinct_id="u1", properties={"order_id": "a"})
        client.capture("order_created", distinct_id="u1", properties={"amount": 2})
    finally:
        installation.uninstall()
    client.shutdown()
    first, second = capture_server.events
    assert first["properties"]["amount"] == 1 and TAG_PROPERTY not in first["properties"]
    assert [v["code"] for v in second["properties"][TAG_PROPERTY]] == ["TP202"]
    assert production.stats.events == 0
