"""Benchmark: load a generated plan of 500 events x 10 properties.

Prints the best-of-N wall time of ``load_plan`` (read, plan-format check, merge,
compile, naming checks) and its ratio to a plain safe load (``CSafeLoader``) of
the same file. The issue's budget is under 1 s.

    python bench/bench_plan_load.py [--events 500] [--properties 10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from trackplan.registry.loader import load_plan

_OBJECTS = ["user", "plan", "order", "project", "invite", "report", "trial", "payment"]
_VERBS = ["created", "updated", "deleted", "viewed", "exported", "started", "sent", "shared"]
_SPECS = [
    "{type: string, required: true}",
    "{type: integer, minimum: 0}",
    "{type: string, enum: [monthly, yearly]}",
    '{type: string, pattern: "^[A-Z]{3}[0-9]{5}$"}',
    "{type: [string, 'null']}",
    "{type: boolean, required: true}",
    "{type: string, format: email, pii: true}",
    "{type: number, exclusiveMinimum: 0, description: An amount.}",
    "{type: array, items: {type: string}, minItems: 1}",
    "{type: object, properties: {sku: {type: string, required: true}, qty: {type: integer}}}",
]


def generate_plan(events: int, properties: int) -> str:
    """YAML text of a plan with ``events`` events of ``properties`` properties each."""
    lines = ["version: 1", "properties:", "  price: {type: integer, minimum: 0}", "events:"]
    for i in range(events):
        obj = _OBJECTS[i % len(_OBJECTS)]
        verb = _VERBS[(i // len(_OBJECTS)) % len(_VERBS)]
        lines.append(f"  {obj}_item{i}_{verb}:")
        lines.append(f"    description: Generated event number {i}.")
        lines.append("    properties:")
        lines.append("      price: {required: true}")
        for j in range(properties - 1):
            lines.append(f"      field_{chr(97 + j)}: {_SPECS[j % len(_SPECS)]}")
    return "\n".join(lines) + "\n"


def best_of(repeat: int, *runs: Callable[[], object]) -> list[float]:
    """Best wall time of each run, the runs interleaved so machine load hits both alike."""
    best = [float("inf")] * len(runs)
    for _ in range(repeat):
        for index, run in enumerate(runs):
            start = time.perf_counter()
            run()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


# Timed inside a new interpreter, so nothing is cached: imports are excluded (they are
# paid once per process whatever the plan), the first load's cache filling is not.
_COLD_LOAD = """
import sys, time
from trackplan.registry.loader import load_plan
t = time.perf_counter(); load_plan(sys.argv[1]); print(time.perf_counter() - t)
"""
_COLD_REGISTRY = """
import sys, time
from trackplan.registry.validation import Registry
t = time.perf_counter(); Registry.load(sys.argv[1]); print(time.perf_counter() - t)
"""


def _safe_load(text: str, loader_class: Any) -> Any:
    """The baseline: what ``yaml.safe_load`` does, with the fast C safe loader."""
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _fresh_process(code: str, path: Path, repeat: int) -> float:
    """Best of ``repeat`` timings of ``code`` in a new interpreter each time."""
    times = []
    for _ in range(max(1, repeat // 2)):
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
        )
        times.append(float(out.stdout.strip()))
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--properties", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.yaml"
        path.write_text(generate_plan(args.events, args.properties), encoding="utf-8")
        plan = load_plan(path)  # also warms caches the first load fills (schemas, lexicon)
        assert len(plan.events) == args.events
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        plain, ours = best_of(
            args.repeat,
            lambda: _safe_load(path.read_text(), loader),
            lambda: load_plan(path),
        )
        size = path.stat().st_size
        cold_load = _fresh_process(_COLD_LOAD, path, args.repeat)
        cold_registry = _fresh_process(_COLD_REGISTRY, path, args.repeat)
    print(f"plan: {args.events} events x {args.properties} properties, {size / 1024:.0f} KiB")
    print(f"yaml.load ({loader.__name__}): {plain * 1000:8.1f} ms")
    print(f"trackplan load_plan:        {ours * 1000:8.1f} ms  ({ours / plain:.2f}x yaml.load)")
    print(f"fresh process, first load_plan:            {cold_load * 1000:8.1f} ms")
    print(f"fresh process, first Registry.load (+compile): {cold_registry * 1000:8.1f} ms")
    worst = max(ours, cold_load)
    print(f"budget 1000 ms for loading: {'ok' if worst < 1.0 else 'OVER'}")


if __name__ == "__main__":
    main()
