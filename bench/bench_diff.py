"""Benchmark: ``trackplan diff`` semantics on two generated plans of 500 events.

OLD is the plan ``bench_plan_load`` generates (500 events x 10 properties); NEW edits
it the way a busy sprint does: a tenth of the events get a widened type, a removed
enum value, a new optional property and a tightened bound, 20 events are renamed and
20 added, so both directions have many incompatibilities whose witnesses are
checked with real registries. Prints the best-of-N wall time of

- ``load x2``: ``load_plan`` of OLD and NEW (the baseline the ratio is against);
- ``diff (edited)``: ``diff_plans(old, new)`` on the loaded plans, both directions;
- ``diff (identical)``: ``diff_plans(old, old)``.

The issue's budget: a 500-event diff in under a second.

    python bench/bench_diff.py [--events 500] [--properties 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_plan_load import best_of, generate_plan
from trackplan.registry.evolution.diff import diff_plans
from trackplan.registry.loader import load_plan


def edit_plan(text: str) -> str:
    """NEW: the generated plan with widened, narrowed, added and removed parts."""
    out: list[str] = []
    event = 0
    for line in text.splitlines():
        if line.startswith("  ") and not line.startswith("   ") and line.endswith(":"):
            event += 1
            if event % 25 == 0:
                line = line[:-1] + "_v2:"  # one event removed, another added
        edited = event > 0 and event % 10 == 0
        if edited and "type: integer, minimum: 0" in line:
            line = line.replace("minimum: 0", "minimum: 1")
        if edited and "enum: [monthly, yearly]" in line:
            line = line.replace("[monthly, yearly]", "[monthly]")
        if edited and "{type: boolean, required: true}" in line:
            line = line.replace("type: boolean", "type: [boolean, string]")
        out.append(line)
        if edited and line == "    properties:":
            out.append("      coupon_code: {type: string}")
    for i in range(20):
        out.append(f"  report_extra{i}_exported:")
        out.append("    properties:")
        out.append("      format_name: {type: string, enum: [csv, pdf], required: true}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--properties", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as raw:
        old_path, new_path = Path(raw) / "old.yaml", Path(raw) / "new.yaml"
        text = generate_plan(args.events, args.properties)
        old_path.write_text(text, encoding="utf-8")
        new_path.write_text(edit_plan(text), encoding="utf-8")
        old, new = load_plan(old_path), load_plan(new_path)
        diff = diff_plans(old, new)
        load, edited, same = best_of(
            args.repeat,
            lambda: (load_plan(old_path), load_plan(new_path)),
            lambda: diff_plans(old, new),
            lambda: diff_plans(old, old),
        )
    proven = sum(1 for i in diff.incompatibilities if i.proven)
    print(
        f"plans: {len(old.events)} -> {len(new.events)} events; {len(diff.changes)} changes, "
        f"{len(diff.incompatibilities)} incompatibilities ({proven} with a checked witness)"
    )
    print(f"load x2           {load * 1000:8.1f} ms  (baseline)")
    print(f"diff (edited)     {edited * 1000:8.1f} ms  ratio {edited / load:5.2f}")
    print(f"diff (identical)  {same * 1000:8.1f} ms  ratio {same / load:5.2f}")
    budget = "within" if edited < 1.0 else "OVER"
    print(f"budget: 500-event diff under 1 s: {budget}")
    return 0 if edited < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
