"""Every kind of message the SDK sends, broken on purpose, in every mode, on the wire.

One row per kind: how the app sends it with the real posthog client, the event name the
SDK gives it and the violations it must carry. Each row runs in each mode against a
capture server on 127.0.0.1 and the test asserts what arrived.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import posthog
import pytest
from posthog import Posthog
from runtime_capture_server import CaptureServer
from trackplan.registry.runtime import TAG_PROPERTY, ValidationHook
from trackplan.registry.validation import Registry


def _capture(client: Posthog) -> None:
    client.capture("order_created", distinct_id="u1", properties={"order_id": "o-1"})


def _set(client: Posthog) -> None:
    client.set(distinct_id="u1", properties={"plan": "enterprise"})


def _set_once(client: Posthog) -> None:
    client.set_once(distinct_id="u1", properties={"email": "not-an-email"})


def _alias(client: Posthog) -> None:
    client.alias(previous_id="undefined", distinct_id="u1")


def _group_identify(client: Posthog) -> None:
    client.group_identify("company", "acme", {"name": "Acme"}, distinct_id="null")


def _context(client: Posthog) -> None:
    with posthog.new_context():
        posthog.identify_context("ctx-user")
        posthog.tag("signup_method", "carrier pigeon")
        client.capture("user_signed_up")


def _exception(client: Posthog) -> None:
    try:
        raise ValueError("boom")
    except ValueError as exc:
        client.capture_exception(exc, distinct_id="anonymous")


@dataclass(frozen=True)
class Case:
    send: Callable[[Posthog], None]
    event: str
    violations: tuple[tuple[str, str], ...]  # (code, path)


CASES = {
    "capture": Case(_capture, "order_created", (("TP202", "/properties/amount"),)),
    "set": Case(_set, "$set", (("TP304", "/$set/plan"),)),
    "set_once": Case(_set_once, "$set_once", (("TP304", "/$set_once/email"),)),
    "alias": Case(_alias, "$create_alias", (("TP302", "/distinct_id"),)),
    "group_identify": Case(_group_identify, "$groupidentify", (("TP302", "/distinct_id"),)),
    "context": Case(_context, "user_signed_up", (("TP204", "/properties/signup_method"),)),
    "capture_exception": Case(_exception, "$exception", (("TP302", "/distinct_id"),)),
}


@pytest.mark.parametrize("mode", ["warn", "tag", "drop", "strict"])
@pytest.mark.parametrize("kind", list(CASES))
def test_broken_message_on_the_wire(
    kind: str,
    mode: str,
    shop_registry: Registry,
    capture_server: CaptureServer,
    caplog: Any,
) -> None:
    case = CASES[kind]
    hook = ValidationHook(shop_registry, mode=mode)
    client = Posthog("phc_test", host=capture_server.url, sync_mode=True, before_send=hook)
    with caplog.at_level(logging.WARNING, logger="trackplan.runtime"):
        case.send(client)
        assert hook.drain_logs()
    client.shutdown()
    arrived = capture_server.named(case.event)
    expected_lines = [
        f"{'dropped event' if mode == 'drop' else 'event'} {case.event!r}: {code} at {path}"
        for code, path in case.violations
    ]
    logged = [r.getMessage() for r in caplog.records if r.name == "trackplan.runtime"]
    if mode == "drop":
        assert arrived == []
    else:
        assert len(arrived) == 1
        tags = arrived[0]["properties"].get(TAG_PROPERTY)
        expected_tags = [{"code": c, "path": p} for c, p in case.violations]
        assert tags == (expected_tags if mode == "tag" else None)
    if mode in ("warn", "drop"):
        assert [line.split(" (")[0] for line in logged] == [
            f"trackplan: {line}" for line in expected_lines
        ]
    else:
        assert logged == []
    strict = hook.take_strict()
    if mode == "strict":
        assert [(d.code, d.pointer) for v in strict for d in v.violations] == list(case.violations)
    else:
        assert strict == []
    assert dict(hook.stats.violations) == {(case.event, code): 1 for code, _ in case.violations}
