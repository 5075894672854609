"""Runtime validation inside the app: a PostHog ``before_send`` hook built from a plan.

``Posthog(key, host=..., before_send=ValidationHook.from_plan("plans/"))``: every
message the SDK sends is validated; violations are logged (``warn``), tagged
(``$trackplan_violations``), dropped or recorded (``strict``) per severity and code,
and counted by event and code (``hook.stats``). See ``docs/runtime.md``.
"""

from __future__ import annotations

from trackplan.registry.runtime.clients import Installation, install
from trackplan.registry.runtime.counters import HookStats
from trackplan.registry.runtime.hook import TAG_PROPERTY, ValidationHook, Verdict
from trackplan.registry.runtime.modes import Mode, ModePolicy

__all__ = [
    "TAG_PROPERTY",
    "HookStats",
    "Installation",
    "Mode",
    "ModePolicy",
    "ValidationHook",
    "Verdict",
    "install",
]
