from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
events:
  user_signed_up: {}
  user_logged_in: {}
  project_created: {}
"""


class DidYouMean(Rule):
    """An unplanned event is probably a misspelling of a planned one.

    **What it catches.** An event that is not in the plan (so TP201 reports it too) but
    whose name is close to a planned one: the same after normalising case and separators
    (`User Signed Up`, `user-signed-up`), or a small edit away (`user_signedup`,
    `projct_created`). The message names the planned event.

    **Why it matters.** A misspelt event is the most common way a planned metric silently
    undercounts: the calls still send data, to an event nobody looks at. The suggestion
    turns "event is not in the plan" into a one-word fix.

    **Example.** `posthog.capture("user_signedup", distinct_id=user.id)` is reported with
    "did you mean `user_signed_up`?".

    **Fix.** Use the suggested planned name. If the name is really a new event, add it to
    the plan: the suggestion then disappears.
    """

    code = "TP206"
    slug = "did-you-mean"
    default_severity = Severity.INFO
    scopes = frozenset({"code", "payload"})
    summary = 'unknown event closely matches a planned one ("did you mean `user_signed_up`?")'
    VALID = (
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "u_8f3a", "properties": {}}',
            _PLAN,
        ),
        Example(
            "payload", '{"event": "invoice_paid", "distinct_id": "u_8f3a", "properties": {}}', _PLAN
        ),
        Example(
            "code",
            'import posthog\n\nposthog.capture("user_logged_in", distinct_id=user.id)\n',
            _PLAN,
        ),
    )
    INVALID = (
        Example(
            "payload",
            '{"event": "user_signedup", "distinct_id": "u_8f3a", "properties": {}}',
            _PLAN,
        ),
        Example(
            "payload",
            '{"event": "projct_created", "distinct_id": "u_8f3a", "properties": {}}',
            _PLAN,
        ),
        Example(
            "code",
            'import posthog\n\nposthog.capture("user_signedup", distinct_id=user.id)\n',
            _PLAN,
        ),
    )
