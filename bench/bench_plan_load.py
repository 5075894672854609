"""Benchmark: load a generated plan of 500 events x 10 properties; scale to 100k events.

Prints the best-of-N wall time of ``load_plan`` (read, plan-format check, merge,
compile, naming checks) and its ratio to a plain safe load (``CSafeLoader``) of
the same file. The issue's budget is under 1 s.

    python bench/bench_plan_load.py [--events 500] [--properties 10] [--repeat 5]
    python bench/bench_plan_load.py --scale [--scale-properties 2]

``--scale`` loads plans of 1k, 10k and 100k events (``--scale-events`` to change),
each in a fresh interpreter, and prints per size: file size, ``Registry.load`` time,
its ratio to a safe load (``CSafeLoader``) of the file, the time of the first ``validate`` of
one event (it compiles that event only), and memory: the resident-set growth from
before the load to after it, per event, and the slope between sizes (the cost of one
more idle event, which excludes fixed costs). Targets: time and memory linear in
the number of events, under 5 KB per idle event.
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


# One size of the --scale run, in a fresh interpreter: RSS (from /proc) before and
# after ``Registry.load``, its time, the first validate's time, and a safe load's time.
_SCALE = """
import gc, sys, time
import yaml
from trackplan.registry.validation import Registry
import trackplan.registry.loader, trackplan.registry.plan_format, trackplan.registry.compiler
from trackplan.registry.naming.lexicon import builtin_lexicon

def rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0

builtin_lexicon()
gc.collect()
before = rss()
t = time.perf_counter(); registry = Registry.load(sys.argv[1]); load = time.perf_counter() - t
gc.collect()
after = rss()
name = next(iter(registry.plan.events))
payload = {"event": name, "distinct_id": "u1", "properties": {}}
t = time.perf_counter(); registry.validate(payload); first = time.perf_counter() - t
gc.collect()
compiled = rss()
text = open(sys.argv[1], encoding="utf-8").read()
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
t = time.perf_counter(); doc = loader(text); doc.get_single_data(); doc.dispose()
plain = time.perf_counter() - t
print(load, after - before, first, compiled - after, plain)
"""


def scale(sizes: list[int], properties: int) -> None:
    """The --scale report (see the module docstring)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for events in sizes:
            path = Path(tmp) / f"plan{events}.yaml"
            path.write_text(generate_plan(events, properties), encoding="utf-8")
            out = subprocess.run(
                [sys.executable, "-c", _SCALE, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            load, grown, first, first_grown, plain = map(float, out.stdout.split())
            rows.append((events, path.stat().st_size, load, grown, first, first_grown, plain))
    print(f"plans of N events x {properties} properties, each loaded in a fresh process")
    print(
        f"{'events':>8} {'file':>8} {'Registry.load':>14} {'/safe load':>10} "
        f"{'RSS growth':>11} {'per event':>10} {'slope':>9} {'1st validate':>13}"
    )
    previous: tuple[int, float] | None = None
    for events, size, load, grown, first, first_grown, plain in rows:
        slope = ""
        if previous is not None:
            slope = f"{(grown - previous[1]) / (events - previous[0]):.0f} B"
        print(
            f"{events:>8} {size / 1e6:>6.1f}MB {load:>12.2f} s {load / plain:>9.1f}x "
            f"{grown / 1e6:>9.1f}MB {grown / events:>8.0f} B {slope:>9} "
            f"{first * 1000:>10.1f} ms (+{first_grown / 1e3:.0f} KB)"
        )
        previous = (events, grown)
    first_row, last_row = rows[0], rows[-1]
    per_event = [r[2] / r[0] for r in rows]
    print(
        f"time per event: {per_event[0] * 1e6:.0f} us at {first_row[0]}, "
        f"{per_event[-1] * 1e6:.0f} us at {last_row[0]} "
        f"(ratio {per_event[-1] / per_event[0]:.2f}; 1.0 is linear)"
    )
    if len(rows) > 1:
        idle = (last_row[3] - rows[-2][3]) / (last_row[0] - rows[-2][0])
        print(f"memory per idle event (slope): {idle:.0f} B: {'ok' if idle < 5000 else 'OVER'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--properties", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--scale", action="store_true", help="the 1k/10k/100k memory run")
    parser.add_argument("--scale-events", default="1000,10000,100000")
    parser.add_argument("--scale-properties", type=int, default=2)
    args = parser.parse_args()
    if args.scale:
        scale([int(n) for n in args.scale_events.split(",")], args.scale_properties)
        return
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
    print(f"safe load ({loader.__name__}): {plain * 1000:8.1f} ms")
    print(f"trackplan load_plan:        {ours * 1000:8.1f} ms  ({ours / plain:.2f}x the safe load)")
    print(f"fresh process, first load_plan:            {cold_load * 1000:8.1f} ms")
    print(f"fresh process, first Registry.load (+compile): {cold_registry * 1000:8.1f} ms")
    worst = max(ours, cold_load)
    print(f"budget 1000 ms for loading: {'ok' if worst < 1.0 else 'OVER'}")


if __name__ == "__main__":
    main()
