"""Benchmark: the regex budget's worst cases, against a clean check as the baseline.

    python bench/bench_patterns.py [--repeat 5]

Prints:

1. how long refusing over-budget patterns takes at plan load (the issue's
   ``^(?:[ab]*a[ab]{1000}){10}$`` among them);
2. for families of patterns known to be costly for the linear-time engine (DFA blow-up
   ``[ab]*a[ab]{n}`` repeated, nested repetitions, big alternations under ``*``, Unicode
   classes), the largest ``n`` the budget accepts, and the time of one
   ``Registry.validate`` of a payload whose property holds an adversarial string of
   exactly ``MAX_PATTERN_INPUT`` characters (the longest a pattern is run on);
3. the same worst payload through the PostHog ``before_send`` hook (what a ``capture``
   is blocked for), next to a valid 10-property event through the hook (the baseline).

Target: the worst check stays within a few milliseconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

from trackplan.registry.patterns import MAX_PATTERN_INPUT, PATTERN_SIZE_LIMIT, pattern_error
from trackplan.registry.plan import EventSpec, Plan, PropertySpec
from trackplan.registry.runtime import ValidationHook
from trackplan.registry.validation import Registry

OVER_BUDGET = [
    r"^(?:[ab]*a[ab]{1000}){10}$",
    r"(?:(?:a{1000}){1000}){1000}",
    r"[ab]*a[ab]{1000}$",
    r"\w{1000}\w{1000}",
]

FAMILIES: dict[str, Callable[[int], str]] = {
    "dfa blow-up x10": lambda n: rf"^(?:[ab]*a[ab]{{{n}}}){{10}}$",
    "dfa blow-up x3": lambda n: rf"(?:[ab]*a[ab]{{{n}}}){{3}}c",
    "dfa blow-up": lambda n: rf"[ab]*a[ab]{{{n}}}$",
    "nested repetition": lambda n: rf"(?:(?:a|b)*a(?:a|b){{{n}}})*c",
    "alternation under *": lambda n: "(?:" + "|".join("a" * i for i in range(1, n)) + ")*b",
    "unicode class": lambda n: rf"[^a]{{{n}}}x",
    "word class": lambda n: rf"\w{{{n}}}x",
}

INPUTS = {
    "ab": "ab" * (MAX_PATTERN_INPUT // 2),
    "a": "a" * MAX_PATTERN_INPUT,
    "mixed": ("aé中b" * MAX_PATTERN_INPUT)[:MAX_PATTERN_INPUT],
}


def largest_accepted(family: Callable[[int], str], cap: int = 4096) -> int | None:
    """The largest n whose pattern the budget accepts (None when none is)."""
    if pattern_error(family(1)) is not None:
        return None
    low, high = 1, 2
    while high <= cap and pattern_error(family(high)) is None:
        low, high = high, high * 2
    high = min(high, cap + 1)
    while high - low > 1:
        mid = (low + high) // 2
        if pattern_error(family(mid)) is None:
            low = mid
        else:
            high = mid
    return low


def plan_for(pattern: str) -> Plan:
    spec = PropertySpec("code", {"type": "string", "pattern": pattern})
    return Plan(events={"code_checked": EventSpec("code_checked", {"code": spec})})


def best(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def fresh(text: str, count: int) -> str:
    """``text`` with its last characters replaced by a counter (same length, new value).

    Every timed check sees a value it has not seen: the registry caches the verdict
    of a repeated invalid value, and the worst case is the uncached one.
    """
    tag = str(count)
    return text[: len(text) - len(tag)] + tag


def worst_check(pattern: str, text: str, repeat: int) -> float:
    """Fastest of ``repeat`` cold checks of a never-seen value shaped like ``text``.

    Each run builds a new registry and compiles the event (and the per-property checks
    an invalid value needs) on short values first, so the timed check pays no compile
    but meets a cold lazy-DFA cache: the engine's worst case, which a best-of timing
    of a warm validator would hide. Every run is a cold worst case; the fastest of
    them is that cost without the scheduler's noise on a shared machine.
    """
    slowest = float("inf")
    for count in range(repeat):
        registry = Registry(plan_for(pattern))
        for warm in ({}, {"code": "zz"}):  # compile the event and its per-property checks
            registry.validate({"event": "code_checked", "distinct_id": "u1", "properties": warm})
        payload = {
            "event": "code_checked",
            "distinct_id": "u1",
            "properties": {"code": fresh(text, count)},
        }
        started = time.perf_counter()
        registry.validate(payload)
        slowest = min(slowest, time.perf_counter() - started)
    return slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(
        f"python {sys.version.split()[0]}, cpus {os.cpu_count()}, load {os.getloadavg()[0]:.2f}; "
        f"budget {PATTERN_SIZE_LIMIT // 1024} KiB, strings up to {MAX_PATTERN_INPUT:,} chars"
    )
    print("refusing over-budget patterns at plan load:")
    for pattern in OVER_BUDGET:
        pattern_error.cache_clear()
        started = time.perf_counter()
        why = pattern_error(pattern)
        elapsed = time.perf_counter() - started
        print(f"  {elapsed * 1000:7.2f} ms  {'refused' if why else 'ACCEPTED'}  {pattern[:40]}")

    print(f"largest accepted pattern per family, one check of a {MAX_PATTERN_INPUT:,}-char string:")
    worst: tuple[float, str, str] = (0.0, "", "")
    for name, family in FAMILIES.items():
        n = largest_accepted(family)
        if n is None:
            print(f"  {name:22s} none accepted")
            continue
        slowest = 0.0
        for text in INPUTS.values():
            took = worst_check(family(n), text, args.repeat)
            slowest = max(slowest, took)
            if took > worst[0]:
                worst = (took, family(n), text)
        print(f"  {name:22s} n={n:<5d} worst {slowest * 1000:7.3f} ms")

    took, pattern, text = worst
    blocked = float("inf")
    for count in range(args.repeat):  # cold, as above, through the before_send hook
        hook = ValidationHook(Registry(plan_for(pattern)), mode="ignore")
        for warm in ({}, {"code": "zz"}):
            hook({"event": "code_checked", "distinct_id": "u1", "properties": warm})
        message = {"event": "code_checked", "distinct_id": "u1", "properties": {}}
        message["properties"] = {"code": fresh(text, count)}
        started = time.perf_counter()
        hook(message)
        blocked = min(blocked, time.perf_counter() - started)
    spec = {f"p{i}": PropertySpec(f"p{i}", {"type": "string"}) for i in range(10)}
    clean_hook = ValidationHook(Registry(Plan(events={"x_done": EventSpec("x_done", spec)})))
    clean = {
        "event": "x_done",
        "distinct_id": "u1",
        "properties": {f"p{i}": "v" for i in range(10)},
    }
    clean_hook(dict(clean))
    baseline = best(lambda: clean_hook(dict(clean)), args.repeat * 20)
    print(f"worst accepted pattern: {pattern[:50]}")
    print(
        f"  hook blocks a capture (cold) for {blocked * 1000:.3f} ms "
        f"({blocked / baseline:.0f}x a valid 10-property event, {baseline * 1e6:.1f} us); "
        f"{'ok' if blocked < 0.005 else 'OVER'} against a 5 ms ceiling"
    )


if __name__ == "__main__":
    main()
