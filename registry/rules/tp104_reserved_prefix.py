from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule


class ReservedPrefix(Rule):
    """A custom event or property name starts with PostHog's reserved `$`.

    **What it catches.** An event or property name starting with `$`, in the plan or at a
    call site, that is not one of PostHog's own: events such as `$pageview`, `$identify`,
    `$set`, `$exception`, `$feature_flag_called`, `$ai_generation`, and properties such as
    `$set`, `$current_url`, `$session_id`, `$groups`, `$process_person_profile`, `$lib`.

    **Why it matters.** PostHog gives `$` names meaning: its ingestion, toolbar and
    product features read them (`$set` updates the person, `$process_person_profile: false`
    turns person processing off, `$groups` attaches groups). A custom `$` name either
    collides with behaviour PostHog adds later or is shown as a PostHog-defined name in
    the UI, and is almost always a typo or a misunderstanding.

    **Example.** `posthog.capture("$purchase", ...)` is reported: PostHog defines no
    `$purchase` event.

    **Fix.** Drop the `$` (`order_created`, `plan_purchased`). To use a PostHog feature,
    use the exact PostHog name (`$pageview`, `$current_url`); to set person properties,
    use `posthog.set(...)` or `$set`.
    """

    code = "TP104"
    slug = "reserved-prefix"
    default_severity = Severity.WARNING
    scopes = frozenset({"plan", "code"})
    summary = "custom event or property name uses PostHog's reserved `$` prefix"
    VALID = (
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  $pageview:\n"
            "    properties:\n"
            "      $current_url: {type: string, required: true}\n"
            "  order_created:\n"
            "    properties:\n"
            "      order_id: {type: string}\n",
        ),
        Example(
            "code",
            "import posthog\n\n"
            'posthog.capture("$pageview", distinct_id=user.id, properties={"$current_url": url})\n',
        ),
    )
    INVALID = (
        Example("plan", "version: 1\nevents:\n  $order_created: {}\n"),
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  order_created:\n"
            "    properties:\n"
            "      $order_id: {type: string}\n",
        ),
        Example("code", 'import posthog\n\nposthog.capture("$purchase", distinct_id=user.id)\n'),
    )
