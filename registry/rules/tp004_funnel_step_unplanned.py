from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule


class FunnelStepUnplanned(Rule):
    """A funnel step names an event that is not in the plan.

    **What it catches.** A step of a `funnels:` entry that is neither a planned event
    nor one of PostHog's own events (`$pageview`, ...). Reported at the step.

    **Why it matters.** A funnel is only as good as its steps: a misspelt or removed
    event makes the funnel convert at 0% from that step on, and nobody notices until
    the dashboard is read.

    **Example.** `activation: [trial_started, content_view, trial_completed]` while the
    plan defines `content_viewed`.

    **Fix.** Name a planned event (check the spelling), or plan the event first.
    """

    code = "TP004"
    slug = "funnel-step-unplanned"
    default_severity = Severity.ERROR
    scopes = frozenset({"plan"})
    summary = "funnel step is not a planned event"
    VALID = (
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  trial_started: {}\n"
            "  trial_completed: {}\n"
            "funnels:\n"
            "  activation: [trial_started, $pageview, trial_completed]\n",
        ),
    )
    INVALID = (
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  trial_started: {}\n"
            "  content_viewed: {}\n"
            "funnels:\n"
            "  activation: [trial_started, content_view]\n",
        ),
    )
