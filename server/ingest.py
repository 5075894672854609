"""From a decoded capture body to rows for the store: verdicts, rejections, forwarding.

Contract: :func:`build_rows` validates every event of a body with the registry's
:meth:`~trackplan.registry.validation.Registry.validate` (the verdict ``trackplan
validate`` gives the same payload) and renders its violations with the same function
``trackplan validate --format json`` uses, so stored violations are the same objects.
Events PostHog's capture would refuse are stored too (``accepted`` false) and make the
whole request a 400, as PostHog answers; only accepted events are forwarded.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

import orjson
from trackplan.linter.validate.output import _violation_json
from trackplan.registry.validation import Registry, ValidationResult
from trackplan.server.bodies import CapturedEvent, capture_rejection, distinct_id_of
from trackplan.server.store import EventRow

__all__ = ["ForwardMode", "Ingested", "build_rows", "violations_json"]


class ForwardMode(str, enum.Enum):
    """Which accepted events go upstream (the runtime hook's modes, for a gateway).

    ``all``: every accepted event unchanged. ``valid``: only valid events (invalid ones
    are dropped, like the hook's ``drop``). ``tag``: every accepted event, the invalid
    ones with a ``$trackplan_violations`` property (like the hook's ``tag``).
    """

    ALL = "all"
    VALID = "valid"
    TAG = "tag"


class Ingested:
    """The rows of one request, why PostHog would refuse it (None: 200), and why it
    would refuse each event (None: accepted)."""

    __slots__ = ("refusals", "rejection", "results", "rows")

    def __init__(
        self,
        rows: list[EventRow],
        results: list[ValidationResult],
        rejection: str | None,
        refusals: list[str | None],
    ) -> None:
        self.rows, self.results, self.rejection = rows, results, rejection
        self.refusals = refusals


def violations_json(result: ValidationResult) -> list[dict[str, object]]:
    return [_violation_json(d) for d in result.violations]


def _text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def build_rows(
    events: Sequence[CapturedEvent],
    registry: Registry,
    received_at: str,
    forward: ForwardMode | None,
    *,
    per_event: bool = False,
) -> Ingested:
    """Rows for the events of one request (see the module contract).

    ``per_event`` (capture v1): a refused event is refused alone; the others are
    accepted and the request is not a 400.
    """
    rows: list[EventRow] = []
    results: list[ValidationResult] = []
    refusals: list[str | None] = []
    rejection: str | None = None
    dumps = orjson.dumps
    validate = registry.validate
    for captured in events:
        payload = captured.payload
        result = validate(payload)
        refused = capture_rejection(payload)
        refusals.append(refused)
        if refused is not None and rejection is None and not per_event:
            rejection = f"event {captured.position}: {refused}" if len(events) > 1 else refused
        uuid = payload.get("uuid") if isinstance(payload, dict) else None
        violations = result.violations
        rows.append(
            EventRow(
                uuid=uuid if isinstance(uuid, str) and refused is None else None,
                received_at=received_at,
                event=result.event,
                distinct_id=_text(distinct_id_of(payload)),
                valid=result.valid,
                accepted=refused is None,
                violations=dumps([_violation_json(d) for d in violations]) if violations else b"[]",
                codes=tuple(d.code for d in violations),
                payload=_dump(payload),
                api_key=captured.api_key,
                forward=forward is not None
                and refused is None
                and (result.valid or forward is not ForwardMode.VALID),
            )
        )
        results.append(result)
    if rejection is not None:
        # PostHog refuses the whole request: nothing goes upstream, and no uuid is taken,
        # so the client's corrected resend is not skipped as a duplicate.
        rows = [row._replace(forward=False, uuid=None, accepted=False) for row in rows]
    return Ingested(rows, results, rejection, refusals)


def _dump(payload: object) -> bytes:
    try:
        return orjson.dumps(payload)
    except TypeError:  # cannot happen for decoded JSON; keep the row rather than fail
        return orjson.dumps(repr(payload))
