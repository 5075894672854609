from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule


class DynamicEventName(Rule):
    """A tracking call's event name cannot be worked out from the code.

    **What it catches.** A tracking call whose event name is not a string literal, a
    module-level constant (in the same file or imported from another module of the
    project), a member of a `str`/`Enum` class, or a conditional expression of those.
    f-strings, concatenation, `%`/`.format()`, function results and parameters are
    reported.

    **Why it matters.** The linter can only check the plan, naming, properties and
    deprecations of an event it can name. A name built at run time escapes every check,
    and it is also how event names multiply: `f"{feature}_used"` creates one event per
    feature, which nobody can put in a funnel. It is a warning because some dynamic names
    are deliberate; the runtime validation still sees them.

    **Example.** `posthog.capture(f"{report.kind}_exported", distinct_id=user.id)` is
    reported.

    **Fix.** Use one planned event and move the variable part into a property
    (`capture("report_exported", properties={"report_kind": report.kind})`), or name the
    events as constants or enum members and pass those.
    """

    code = "TP401"
    slug = "dynamic-event-name"
    default_severity = Severity.WARNING
    scopes = frozenset({"code"})
    summary = "event name cannot be resolved statically"
    VALID = (
        Example(
            "code",
            "import posthog\n\n"
            'REPORT_EXPORTED = "report_exported"\n\n'
            "posthog.capture(REPORT_EXPORTED, distinct_id=str(user.id))\n",
        ),
        Example(
            "code",
            "import enum\n\n"
            "import posthog\n\n\n"
            "class Event(str, enum.Enum):\n"
            '    TRIAL_STARTED = "trial_started"\n'
            '    TRIAL_COMPLETED = "trial_completed"\n\n\n'
            "posthog.capture(Event.TRIAL_STARTED, distinct_id=str(user.id))\n",
        ),
        Example(
            "code",
            "import posthog\n\n"
            "posthog.capture(\n"
            '    "trial_completed" if converted else "trial_started", distinct_id=str(user.id)\n'
            ")\n",
        ),
    )
    INVALID = (
        Example(
            "code",
            "import posthog\n\n"
            'posthog.capture(f"{report.kind}_exported", distinct_id=str(user.id))\n',
        ),
        Example(
            "code",
            'import posthog\n\nposthog.capture("report_" + action, distinct_id=str(user.id))\n',
        ),
        Example(
            "code",
            "import posthog\n\nposthog.capture(event_name(), distinct_id=str(user.id))\n",
        ),
    )
