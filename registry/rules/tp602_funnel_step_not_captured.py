from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class FunnelStepNotCaptured(Rule):
    """A funnel step is never captured anywhere in the code.

    **What it catches.** ``trackplan coverage`` found a funnel in the plan (``funnels:
    {activation: [trial_started, content_viewed, trial_completed]}``) one of whose steps no
    tracking call sends. Reported at the funnel's definition in the plan.

    **Why it matters.** A funnel with a step nobody sends converts at 0% from that step on;
    the journey it stands for cannot be measured at all.

    **Example.** ``activation: [trial_started, content_viewed, trial_completed]`` while no
    code sends ``content_viewed``.

    **Fix.** Capture the step where the user reaches it, or change the funnel.
    """

    code = "TP602"
    slug = "funnel-step-not-captured"
    default_severity = Severity.ERROR
    scopes = frozenset({"code"})
    NO_EXAMPLES_REASON = "a coverage check comparing the plan's funnels with every file of the code"
    summary = "funnel step is never captured in the code"
