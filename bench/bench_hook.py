"""Overhead of the trackplan ``before_send`` hook per ``capture`` of a valid event.

Same real posthog SDK, same process, same event. Three clients capture in alternating
rounds (ABC, then CBA, so load from other processes hits every variant alike): no
``before_send``; an identity ``before_send`` (what the SDK itself charges for having
any hook: it runs ``clean()`` over the returned message a second time); and the
trackplan ``ValidationHook`` (warn mode). The clients use ``send=False``:
``capture`` does all of its work on the caller's thread (properties, context, uuid,
timestamp, ``before_send``) and skips the network, which the SDK does on its consumer
thread (with a real network the relative overhead is smaller; that figure is too noisy
on a shared machine to be a useful target).

Printed: the median and best per-call time of each variant, the median of the
per-round ratios hook/none, and the ratio of the best rounds (the least disturbed by
other processes on a shared machine). Target: at most +25%.

    python bench/bench_hook.py [--plan plans/saas] [--calls 500] [--rounds 31]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from posthog import Posthog
from trackplan.registry.runtime import ValidationHook
from trackplan.registry.validation import Registry

ROOT = Path(__file__).resolve().parent.parent
EVENT = "order_created"
PROPERTIES: dict[str, Any] = {
    "order_id": "#0054",
    "subtotal": 4200,
    "items": [{"sku": "tee-m", "quantity": 2}, {"sku": "mug", "quantity": 1}],
}


def _identity(msg: dict[str, Any]) -> dict[str, Any]:
    return msg


def _per_call(client: Posthog, calls: int) -> float:
    capture = client.capture
    start = time.perf_counter()
    for n in range(calls):
        capture(EVENT, distinct_id=f"user-{n}", properties=PROPERTIES)
    return (time.perf_counter() - start) / calls


def _run(clients: dict[str, Posthog], calls: int, rounds: int) -> None:
    for client in clients.values():  # warm up caches, lazy imports, the validator
        _per_call(client, 200)
    times: dict[str, list[float]] = {variant: [] for variant in clients}
    ratios: list[float] = []
    for round_no in range(rounds):
        order = list(clients) if round_no % 2 == 0 else list(reversed(clients))
        measured = {variant: _per_call(clients[variant], calls) for variant in order}
        for variant, value in measured.items():
            times[variant].append(value)
        ratios.append(measured["trackplan hook"] / measured["no before_send"])
    print(f"{rounds} rounds x {calls} captures per variant (send=False)")
    print(f"  {'':<24} {'median':>8} {'best':>8}  us/call")
    for variant, values in times.items():
        print(f"  {variant:<24} {statistics.median(values) * 1e6:8.2f} {min(values) * 1e6:8.2f}")
    paired = statistics.median(ratios)
    best = min(times["trackplan hook"]) / min(times["no before_send"])
    print(f"  hook / no hook, median of paired rounds: {paired:.3f} ({100 * (paired - 1):+.1f}%)")
    print(f"  hook / no hook, best round of each:      {best:.3f} ({100 * (best - 1):+.1f}%)")
    print("  target: at most +25%")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--plan", default=str(ROOT / "plans" / "saas"))
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=31)
    args = parser.parse_args()

    registry = Registry.load(args.plan)
    hook = ValidationHook(registry)
    probe = {"event": EVENT, "distinct_id": "u", "properties": dict(PROPERTIES)}
    if registry.validate(probe).violations:
        raise SystemExit(f"the benchmark event is not valid against {args.plan}")
    hooks: dict[str, Any] = {
        "no before_send": None,
        "identity before_send": _identity,
        "trackplan hook": hook,
    }

    # One API key per variant: the SDK warns about several clients sharing one.
    # One API key per variant: the SDK warns about several clients sharing one.
    clients = {
        v: Posthog(f"phc_{n}", send=False, before_send=h) for n, (v, h) in enumerate(hooks.items())
    }
    _run(clients, args.calls, args.rounds)

    start = time.perf_counter()
    for _ in range(20_000):
        hook(probe)
    print(f"trackplan hook alone: {(time.perf_counter() - start) / 20_000 * 1e6:.2f} us/call")
    stats = hook.stats
    assert stats.invalid_events == 0 and stats.errors == 0, stats.to_dict()


if __name__ == "__main__":
    main()
