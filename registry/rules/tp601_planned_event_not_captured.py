from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class PlannedEventNotCaptured(Rule):
    """A planned event is never captured anywhere in the code.

    **What it catches.** ``trackplan coverage`` found no tracking call (raw SDK call or
    declared wrapper) that sends an event the plan declares and does not mark
    ``deprecated``. Reported at the event's definition in the plan.

    **Why it matters.** A dashboard, funnel or alert built on that event shows zero and
    looks like a product problem rather than a missing call. It is the ``ampli status`` /
    ``avo status`` question: is everything we planned actually implemented?

    **Example.** The plan declares ``trial_completed`` but no code calls
    ``posthog.capture("trial_completed", ...)`` or a wrapper with that name.

    **Fix.** Add the call, mark the event ``deprecated`` in the plan if it is being
    retired, or remove it from the plan. Pass ``--allow-uncaptured`` to report without
    failing while an implementation is in progress.
    """

    code = "TP601"
    slug = "planned-event-not-captured"
    default_severity = Severity.ERROR
    scopes = frozenset({"code"})
    NO_EXAMPLES_REASON = "a coverage check comparing the whole plan with every file of the code"
    summary = "planned event is never captured in the code"
