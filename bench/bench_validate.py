"""Benchmark payload validation against baselines measured in the same run.

    python bench/bench_validate.py            # everything (1,000,000-line JSONL run)
    python bench/bench_validate.py --lines 200000 --skip-rss

Prints, for the example plan (``plans/saas``):

1. a valid 10-property ``order_created`` event (payload already a dict):
   ``Registry.validate`` vs jsonschema-rs ``is_valid`` on the same compiled schema
   (target <= 2x) and vs a prebuilt Python ``jsonschema`` validator (target >= 50x
   faster);
2. an invalid event with full violation details: ``Registry.validate`` vs
   ``list(iter_errors)`` on jsonschema-rs (target <= 3x);
3. ``trackplan validate`` on a generated JSONL file vs merely parsing the same file
   with orjson (throughput target >= 0.5x), and peak RSS at 100k vs 1M lines (flat).
   Each run also shows its CPU seconds (user + system, all processes): on a shared
   machine the wall time of the parallel run depends on how much of the other cores
   it gets, the CPU time does not;
4. an invalid-heavy stream (75% of the lines invalid, one mistake each, text
   output, one process) vs a ``json.loads``-only pass over the same file
   (target: within 2x, on CPU time).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import orjson
from trackplan.registry.loader import load_plan
from trackplan.registry.patterns import PATTERN_OPTIONS
from trackplan.registry.validation import Registry

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "plans" / "saas"

VALID_EVENT: dict[str, Any] = {
    "event": "order_created",
    "distinct_id": "user-1001",
    "properties": {
        "order_id": "#0054",
        "subtotal": 12900,
        "customer_name": "Ada Lovelace",
        "items": [{"sku": "SEAT-PRO", "quantity": 3}, {"sku": "ADDON-SSO", "quantity": 1}],
        "$lib": "posthog-python",
        "$lib_version": "7.9.1",
        "$current_url": "https://app.example.com/checkout",
        "$session_id": "0190b7e4-6d7a-7c1e-9a3f-2b8d4c6e1f00",
        "$browser": "Firefox",
        "$os": "Linux",
    },
}
INVALID_EVENT: dict[str, Any] = {
    "event": "order_created",
    "distinct_id": "undefined",
    "properties": {
        "order_id": "54",
        "subtotal": -1,
        "coupon": "SPRING",
        "items": [{"sku": "SEAT-PRO", "quantity": 0}, {"quantity": 1}],
        "$lib": "posthog-python",
    },
}


def best_per_call(func: Callable[[], object], number: int, repeat: int = 7) -> float:
    """Best mean seconds per call over ``repeat`` runs of ``number`` calls."""
    return min(timeit.repeat(func, number=number, repeat=repeat)) / number


def micro(registry: Registry) -> None:
    schema = dict(registry.schemas["order_created"])
    rs = jsonschema_rs.validator_for(schema, validate_formats=True, pattern_options=PATTERN_OPTIONS)
    py = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert registry.validate(VALID_EVENT).valid and rs.is_valid(VALID_EVENT)
    assert py.is_valid(VALID_EVENT)
    assert not registry.validate(INVALID_EVENT).valid

    ours = best_per_call(lambda: registry.validate(VALID_EVENT), 100_000)
    rs_valid = best_per_call(lambda: rs.is_valid(VALID_EVENT), 100_000)
    py_valid = best_per_call(lambda: py.is_valid(VALID_EVENT), 2_000, repeat=5)
    print("valid 10-property event (order_created), per call:")
    print(f"  Registry.validate            {ours * 1e6:8.3f} us")
    print(f"  jsonschema_rs is_valid       {rs_valid * 1e6:8.3f} us")
    print(f"  jsonschema (Python) is_valid {py_valid * 1e6:8.3f} us")
    print(f"  ratio ours / jsonschema_rs   {ours / rs_valid:8.2f}x   (target <= 2x)")
    print(f"  jsonschema / ours            {py_valid / ours:8.1f}x   (target >= 50x)")

    details = len(registry.validate(INVALID_EVENT).violations)
    ours_bad = best_per_call(lambda: registry.validate(INVALID_EVENT), 20_000)
    rs_bad = best_per_call(lambda: list(rs.iter_errors(INVALID_EVENT)), 20_000)
    print(f"invalid event with full details ({details} violations), per call:")
    print(f"  Registry.validate            {ours_bad * 1e6:8.3f} us")
    print(f"  jsonschema_rs iter_errors    {rs_bad * 1e6:8.3f} us")
    print(f"  ratio ours / iter_errors     {ours_bad / rs_bad:8.2f}x   (target <= 3x)")


def write_jsonl(path: Path, lines: int) -> None:
    """Realistic traffic: valid events of the example plan, 1% invalid ones."""
    rng = random.Random(7)
    templates = [
        VALID_EVENT,
        {
            "event": "user_logged_in",
            "distinct_id": "user-1",
            "properties": {"login_method": "sso", "$lib": "web", "$current_url": "https://a.io/x"},
        },
        {
            "event": "plan_purchased",
            "distinct_id": "user-2",
            "properties": {
                "price": 4900,
                "plan_id": "PRO00012",
                "frequency": "monthly",
                "features": {"sso": True, "custom_branding": False},
            },
        },
        {
            "event": "content_viewed",
            "distinct_id": "user-3",
            "properties": {"content_id": "getting-started", "content_type": "doc"},
        },
    ]
    encoded = [orjson.dumps(t) + b"\n" for t in templates]
    bad = orjson.dumps(INVALID_EVENT) + b"\n"
    with path.open("wb") as out:
        chunk: list[bytes] = []
        for i in range(lines):
            chunk.append(bad if rng.random() < 0.01 else encoded[i % len(encoded)])
            if len(chunk) == 10_000:
                out.write(b"".join(chunk))
                chunk.clear()
        out.write(b"".join(chunk))


_PARSE_ONLY = """
import sys, orjson
loads = orjson.loads
with open(sys.argv[1], "rb", buffering=1 << 20) as f:
    for line in f:
        loads(line)
"""

_PROBE = """
import resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, usage.ru_maxrss, proc.returncode, usage.ru_utime + usage.ru_stime)
"""


def run_probe(argv: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds of one child process (and its children)."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]), float(out[3])


def throughput(lines: int, skip_rss: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "events.jsonl"
        started = time.perf_counter()
        write_jsonl(big, lines)
        size_mb = big.stat().st_size / 1e6
        print(
            f"JSONL file: {lines:,} lines, {size_mb:.0f} MB (written in "
            f"{time.perf_counter() - started:.1f} s)"
        )
        parse_s, parse_rss, parse_cpu = min(
            run_probe([sys.executable, "-c", _PARSE_ONLY, str(big)]) for _ in range(2)
        )
        validate = ["trackplan", "validate", "--plan", str(PLAN), str(big)]
        print(
            f"  orjson parse only            {parse_s:7.2f} s  {lines / parse_s:>10,.0f} lines/s"
            f"  cpu {parse_cpu:.2f} s"
        )
        # The default run picks its worker count itself: one per CPU (up to 4) for an
        # input over 8 MiB, so on this machine it is what a user gets without flags.
        runs: dict[str, tuple[float, int, float]] = {}
        for label, extra in (
            ("text, 1 process", ["--jobs", "1"]),
            ("json, 1 process", ["--format", "json", "--jobs", "1"]),
            ("text, default", []),
        ):
            runs[label] = min(run_probe([*validate, *extra]) for _ in range(2))
            secs, rss, cpu = runs[label]
            print(
                f"  trackplan validate {label:16s}{secs:7.2f} s  {lines / secs:>10,.0f} lines/s"
                f"  ratio {parse_s / secs:.2f}x (target >= 0.5x)  peak RSS {rss / 1024:.0f} MiB"
                f"  cpu {cpu:.2f} s"
            )
        text_rss = runs["text, 1 process"][1]
        print(f"  peak RSS of the parse-only loop {parse_rss / 1024:.0f} MiB")
        if skip_rss:
            return
        small = Path(tmp) / "small.jsonl"
        write_jsonl(small, lines // 10)
        _, small_rss, _ = run_probe(
            ["trackplan", "validate", "--plan", str(PLAN), str(small), "--jobs", "1"]
        )
        print(
            f"  peak RSS at {lines // 10:,} lines {small_rss / 1024:.0f} MiB vs "
            f"{lines:,} lines {text_rss / 1024:.0f} MiB (flat = constant memory)"
        )


# Invalid events as they show up in real traffic, one mistake each: a wrong type, a
# missing required property, an unplanned (misspelt) event, a bad enum value, a
# generic distinct id. (The many-violation INVALID_EVENT is measured above.)
INVALID_MIX: list[dict[str, Any]] = [
    {
        "event": "order_created",
        "distinct_id": "user-7",
        "properties": {
            "order_id": "#0054",
            "subtotal": "129.00",
            "items": [{"sku": "A", "quantity": 1}],
        },
    },
    {"event": "user_logged_in", "distinct_id": "user-1", "properties": {"$lib": "web"}},
    {"event": "checkout_startd", "distinct_id": "user-2", "properties": {"cart_value": 5}},
    {"event": "user_logged_in", "distinct_id": "user-3", "properties": {"login_method": "pin"}},
    {"event": "content_viewed", "distinct_id": "undefined", "properties": {"content_id": "a"}},
]

_JSON_ONLY = """
import sys, json
loads = json.loads
with open(sys.argv[1], "rb", buffering=1 << 20) as f:
    for line in f:
        loads(line)
"""


def _invalid_line(rng: random.Random, user: int) -> bytes:
    """One invalid event: a mistake from INVALID_MIX, with this line's own values.

    The varying parts (distinct ids, the wrong-typed price, the bad enum value) keep
    the stream honest: a cache of whole lines would not help it.
    """
    event = dict(rng.choice(INVALID_MIX))
    props = dict(event["properties"])
    if event["distinct_id"] != "undefined":
        event["distinct_id"] = f"user-{user}"
    else:
        event["distinct_id"] = rng.choice(["undefined", "null", "anonymous", "guest"])
    if "subtotal" in props:
        props["subtotal"] = f"{rng.randrange(100, 100_000) / 100:.2f}"
        props["order_id"] = f"#{user:04d}"
    if props.get("login_method") == "pin":
        props["login_method"] = rng.choice(["pin", "magic_link", "PASSWORD", "saml", "otp"])
    event["properties"] = props
    return orjson.dumps(event) + b"\n"


def invalid_heavy(lines: int) -> None:
    """A 75%-invalid stream: ``trackplan validate`` vs a ``json.loads``-only pass."""
    rng = random.Random(11)
    valid = orjson.dumps(VALID_EVENT)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "invalid.jsonl"
        path.write_bytes(
            b"".join(
                _invalid_line(rng, i)
                if rng.random() < 0.75
                else valid.replace(b"user-1001", f"user-{i}".encode()) + b"\n"
                for i in range(lines)
            )
        )
        base_s, _, base_cpu = min(
            run_probe([sys.executable, "-c", _JSON_ONLY, str(path)]) for _ in range(3)
        )
        validate = ["trackplan", "validate", "--plan", str(PLAN), str(path), "--jobs", "1"]
        ours_s, _, ours_cpu = min(run_probe(validate) for _ in range(3))
        empty = Path(tmp) / "empty.jsonl"
        empty.write_bytes(b"")
        start_cpu = min(run_probe([*validate[:-3], str(empty)])[2] for _ in range(3))
    print(f"invalid-heavy stream: {lines:,} lines, 75% invalid, text output, one process:")
    print(f"  json.loads only              {base_s:7.2f} s  cpu {base_cpu:.2f} s")
    print(
        f"  trackplan validate           {ours_s:7.2f} s  cpu {ours_cpu:.2f} s  "
        f"ratio {ours_cpu / base_cpu:.2f}x on cpu, {ours_s / base_s:.2f}x wall (target <= 2x)"
    )
    print(
        f"  per line, without start-up ({start_cpu:.2f} s cpu: imports, plan load) "
        f"{(ours_cpu - start_cpu) / base_cpu:.2f}x on cpu"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--skip-rss", action="store_true", help="skip the 10x-smaller RSS run")
    parser.add_argument("--skip-cli", action="store_true", help="only the library benchmarks")
    parser.add_argument("--invalid-lines", type=int, default=500_000)
    parser.add_argument(
        "--invalid-only", action="store_true", help="only the invalid-heavy stream case"
    )
    args = parser.parse_args()
    if args.invalid_only:
        invalid_heavy(args.invalid_lines)
        return
    print(
        f"python {sys.version.split()[0]}, jsonschema-rs, orjson {orjson.__version__}, "
        f"cpus {os.cpu_count()}, load {os.getloadavg()[0]:.2f}"
    )
    registry = Registry.from_plan(load_plan(PLAN))
    micro(registry)
    if not args.skip_cli:
        throughput(args.lines, args.skip_rss)
        invalid_heavy(args.invalid_lines)


if __name__ == "__main__":
    main()
