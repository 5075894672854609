"""A Registry compiles each event on its first use: construction is cheap for a huge
plan, and lazily compiled verdicts are exactly what compiling everything would give."""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

from trackplan.registry.compiler import compile_event_schema
from trackplan.registry.loader import load_plan
from trackplan.registry.plan import EventSpec, Plan, PropertySpec
from trackplan.registry.validation import Registry
from validation_helpers import contract_plan, event

ROOT = Path(__file__).resolve().parents[2]


def _big_plan(events: int) -> Plan:
    shared = PropertySpec("plan_id", {"type": "string", "pattern": "^[A-Z]{3}[0-9]{5}$"})
    return Plan(
        events={
            f"thing{i}_happened": EventSpec(
                f"thing{i}_happened",
                {"plan_id": shared, "count": PropertySpec("count", {"type": "integer"})},
                deprecated="use another" if i % 100 == 0 else None,
            )
            for i in range(events)
        }
    )


def test_constructing_a_registry_compiles_nothing() -> None:
    plan = _big_plan(20_000)
    tracemalloc.start()
    try:
        started = time.perf_counter()
        registry = Registry(plan)
        elapsed = time.perf_counter() - started
        grown = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert grown / 20_000 < 200, f"{grown / 20_000:.0f} bytes per idle event"
    assert elapsed < 2.0  # compiling 20,000 validators eagerly takes minutes
    assert registry.validate(event("thing7_happened", {"count": "x"})).valid is False


def test_clean_checks_table_is_filled_in_place_on_first_use() -> None:
    registry = Registry(_big_plan(300))
    table = registry.clean_checks()
    assert "thing0_happened" not in table  # deprecated: TP205 on every payload
    assert len(table) == 297
    stand_in = table["thing5_happened"]
    good = event("thing5_happened", {"plan_id": "ABC12345", "count": 2})
    assert stand_in(good) is True
    compiled = table["thing5_happened"]
    assert compiled is not stand_in and compiled(good) is True
    assert compiled(event("thing5_happened", {"count": 1.5})) is False
    assert registry.clean_checks() is table


def test_lazy_verdicts_match_a_registry_that_compiled_everything_first() -> None:
    plan = load_plan(ROOT / "plans" / "saas")
    samples = []
    for line in (ROOT / "plans" / "saas-samples.jsonl").read_text().splitlines():
        try:
            samples.append(json.loads(line))
        except ValueError:  # the sample file holds deliberately broken lines too
            continue
    assert len(samples) > 10
    eager = Registry(plan)
    for name in plan.events:  # compile every event before any payload
        eager.validate({"event": name})
    lazy = Registry(plan)
    for payload in reversed(samples):
        assert lazy.validate(payload) == eager.validate(payload), payload
    assert set(lazy.schemas) == set(plan.events)
    for name, spec in plan.events.items():
        assert lazy.schemas[name] == compile_event_schema(plan, spec)


def test_deprecated_event_compiled_lazily_still_reports_tp205() -> None:
    registry = Registry(_big_plan(200))
    result = registry.validate(event("thing100_happened", {"count": 1}))
    assert [d.code for d in result.violations] == ["TP205"]
    assert result.valid


def test_fallback_and_unknown_names_need_no_planned_event_compiled() -> None:
    registry = Registry(contract_plan())
    result = registry.validate(event("plan_purchasd", {}))
    assert [d.code for d in result.violations] == ["TP201", "TP206"]
    assert registry.validate(event("$pageview", {})).valid
