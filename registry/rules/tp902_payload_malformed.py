from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
events:
  user_signed_up:
    properties:
      signup_method: {type: string}
"""


class PayloadMalformed(Rule):
    """A payload is not an event trackplan can validate.

    **What it catches.** Input to `trackplan validate`, the registry or the runtime hooks
    that is not JSON (truncated, not UTF-8, nested too deeply), is JSON but not an object,
    has no event name (or one that is not a string), or has `properties` that is not an
    object. In JSONL input each bad line is one TP902 and validation goes on with the next
    line.

    **Why it matters.** PostHog's capture endpoint rejects these with HTTP 400 (bad JSON,
    missing event name), so the events are lost. A validator that crashed on them would
    stop checking the rest of the stream; one that skipped them silently would hide the
    loss.

    **Example.** A JSONL line `{"event": "user_signed_up", "properties": [1, 2]}` is
    reported at `/properties`.

    **Fix.** Fix the producer: send one JSON object per event with a string `event` and
    an object `properties`, and write JSONL one complete object per line.
    """

    code = "TP902"
    slug = "payload-malformed"
    default_severity = Severity.ERROR
    scopes = frozenset({"payload"})
    summary = (
        "payload is malformed (not JSON, not an object, no event name, properties not an object)"
    )
    VALID = (
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "u_8f3a",'
            ' "properties": {"signup_method": "email"}}',
            _PLAN,
        ),
        Example("payload", '{"event": "user_signed_up", "distinct_id": "u_8f3a"}', _PLAN),
    )
    INVALID = (
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "u_8f3a", "properties": {"signup_',
            _PLAN,
        ),
        Example("payload", '"user_signed_up"', _PLAN),
        Example("payload", '{"distinct_id": "u_8f3a", "properties": {}}', _PLAN),
        Example("payload", '{"event": 42, "distinct_id": "u_8f3a", "properties": {}}', _PLAN),
        Example(
            "payload",
            '{"event": "user_signed_up", "distinct_id": "u_8f3a", "properties": [1, 2]}',
            _PLAN,
        ),
    )
