"""The hook's valid fast path: same verdicts as ``validate``, exact lock-free counts."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from posthog import Posthog
from trackplan.registry.diagnostics import Severity
from trackplan.registry.policy import RulePolicy
from trackplan.registry.runtime import ValidationHook, Verdict
from trackplan.registry.runtime.counters import HookCounters
from trackplan.registry.validation import Registry

PLAN = Path(__file__).parent / "plans" / "shop.yaml"
VALID: dict[str, Any] = {
    "event": "order_created",
    "distinct_id": "u1",
    "properties": {"order_id": "o", "amount": 1},
}

PAYLOADS: list[Any] = [
    VALID,
    OrderedDict(VALID),
    {**VALID, "properties": {"order_id": "o"}},
    {**VALID, "properties": {"order_id": "o", "amount": -1}},
    {**VALID, "properties": {"order_id": "o", "amount": float("nan")}},
    {**VALID, "properties": {"order_id": "o", "amount": 1, "when": object()}},
    {**VALID, "distinct_id": "anonymous"},
    {"event": "report_exported", "distinct_id": "u1", "properties": {}},
    {"event": "user_signed_up", "distinct_id": "u1", "properties": {"signup_method": "sso"}},
    {"event": "order_craeted", "distinct_id": "u1", "properties": {}},
    {"event": ["order_created"], "properties": {}},
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_clean_check_saying_true_means_validate_reports_nothing(
    shop_registry: Registry, payload: Any
) -> None:
    checks = shop_registry.clean_checks()
    assert "report_exported" not in checks  # deprecated: every payload carries TP205
    name = payload.get("event")
    check = checks.get(name) if isinstance(name, str) else None
    try:
        clean = check is not None and check(payload)
    except Exception:
        clean = False
    result = shop_registry.validate(payload)
    assert clean == (result.violations == ()), result.violations
    assert shop_registry.is_valid(payload) == result.valid


@pytest.mark.parametrize("payload", PAYLOADS)
def test_fast_path_and_full_path_give_the_same_outcome_and_counts(
    shop_registry: Registry, payload: Any
) -> None:
    fast = ValidationHook(shop_registry, mode="tag")
    seen: list[Verdict] = []
    full = ValidationHook(shop_registry, mode="tag", observer=lambda _m, v: seen.append(v))
    assert fast(payload) == full(payload)
    assert fast.stats == full.stats
    assert fast.stats.events == 1
    fast.drain_logs()
    full.drain_logs()


def test_is_valid_follows_the_policy_for_notes_on_valid_payloads() -> None:
    old = {"event": "report_exported", "distinct_id": "u1", "properties": {}}
    assert Registry.load(PLAN).is_valid(old)  # TP205 is a warning
    raised = Registry.load(PLAN, RulePolicy(severity={"TP205": Severity.ERROR}))
    assert not raised.is_valid(old)
    assert not raised.validate(old).valid


def test_observer_chain_and_registry_set_later_take_effect(shop_registry: Registry) -> None:
    hook = ValidationHook(shop_registry)
    assert hook(dict(VALID)) == VALID
    seen: list[Verdict] = []
    hook.observer = lambda _msg, verdict: seen.append(verdict)
    hook(dict(VALID))
    assert [(v.event, v.valid, v.outcome) for v in seen] == [("order_created", True, "sent")]
    hook.observer = None
    hook(dict(VALID))
    assert len(seen) == 1

    hook.chain = lambda msg: None
    assert hook(dict(VALID)) is None
    assert hook.stats.chain_dropped == 1
    hook.chain = None

    hook.registry = Registry.load(PLAN, RulePolicy(severity={"TP205": Severity.ERROR}))
    assert hook.registry is not shop_registry
    hook({"event": "report_exported", "distinct_id": "u1", "properties": {}})
    stats = hook.stats
    assert (stats.events, stats.invalid_events) == (4, 1)
    assert dict(stats.violations) == {("report_exported", "TP205"): 1}
    hook.drain_logs()


def test_valid_events_from_threads_are_counted_exactly_while_stats_are_read(
    shop_registry: Registry,
) -> None:
    hook = ValidationHook(shop_registry, mode="ignore")
    client = Posthog("phc_test", host="http://127.0.0.1:9", send=False, before_send=hook)
    per_thread, threads = 400, 6
    done = threading.Event()
    reads: list[int] = []

    def work(n: int) -> None:
        for i in range(per_thread):
            props = {"order_id": str(i), "amount": i} if i % 4 else {"order_id": str(i)}
            client.capture("order_created", distinct_id=f"t{n}", properties=props)

    def read() -> None:
        while not done.is_set():
            reads.append(hook.stats.events)

    reader = threading.Thread(target=read)
    reader.start()
    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    reader.join()
    assert reads == sorted(reads)  # reads consume count steps, never show them
    stats = hook.stats
    assert stats.events == per_thread * threads
    assert stats.invalid_events == per_thread // 4 * threads

    hook.reset_stats()
    assert hook.stats.events == 0
    for _ in range(5):
        hook(dict(VALID))
    assert (hook.stats.events, hook.stats.invalid_events) == (5, 0)


@pytest.mark.parametrize("lock_free", [True, False])
def test_counters_are_exact_in_both_counting_modes(lock_free: bool) -> None:
    counters = HookCounters(lock_free=lock_free)
    per_thread, threads = 5_000, 4

    def work() -> None:
        for i in range(per_thread):
            if i % 10:
                counters.seen_valid()
            else:
                counters.seen_with_violations(
                    "e", ["TP204"], invalid=True, dropped=False, tagged=False
                )
            if i % 500 == 0:
                counters.snapshot()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stats = counters.snapshot()
    assert (stats.events, stats.invalid_events) == (per_thread * threads, 500 * threads)
    counters.reset()
    counters.seen_valid()
    assert counters.snapshot().events == 1
    assert counters.snapshot().events == 1
