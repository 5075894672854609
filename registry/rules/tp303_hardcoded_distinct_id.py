from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule


class HardcodedDistinctId(Rule):
    """A tracking call passes a hard-coded literal as the distinct id.

    **What it catches.** A string (or number) literal passed as the distinct id of a
    tracking call (`capture`, `set`, `alias`, Segment's `user_id`, Mixpanel's
    `distinct_id`, declared wrappers) that is not one of PostHog's generic ids (those are
    TP302) and not empty (TP301).

    **Why it matters.** A constant distinct id attributes every event from that line to
    one person: a test user left in production code, a service name used as a user, an
    email typed in while debugging. The data looks plausible and is wrong. It is a
    warning because a deliberate system actor (`distinct_id="billing-cron"`) is
    sometimes intended.

    **Example.** `posthog.capture("report_exported", distinct_id="user_123")` is reported.

    **Fix.** Pass the acting user's id from the request or the domain object. For a real
    system actor, keep the literal and suppress the finding on that line with
    `# trackplan: ignore[TP303]`, so the intent is visible in review.
    """

    code = "TP303"
    slug = "hardcoded-distinct-id"
    default_severity = Severity.WARNING
    scopes = frozenset({"code"})
    summary = "distinct id is a hard-coded literal"
    VALID = (
        Example(
            "code",
            'import posthog\n\nposthog.capture("report_exported", distinct_id=str(user.id))\n',
        ),
        Example(
            "code",
            "import posthog\n\n\n"
            "def on_export(request):\n"
            '    posthog.capture("report_exported", distinct_id=request.user.distinct_id)\n',
        ),
    )
    INVALID = (
        Example(
            "code", 'import posthog\n\nposthog.capture("report_exported", distinct_id="user_123")\n'
        ),
        Example(
            "code",
            "import posthog\n\n"
            'posthog.set(distinct_id="ada@example.com", properties={"plan": "pro"})\n',
        ),
    )
