"""Logs carry event names, codes and pointers, never property values."""

from __future__ import annotations

import logging

import pytest
from serve_support import VALID, post
from trackplan.server.pytest_plugin import TrackplanServer

SECRET = "s3cr3t-Value-4711"


@pytest.mark.parametrize(
    "body",
    [
        {**VALID, "properties": {"login_method": SECRET}},  # enum
        {"event": "no_such_event", "distinct_id": "u", "properties": {"p": SECRET}},
        {**VALID, "properties": {"login_method": 7, "$set": {"email": SECRET}}},
        {**VALID, "$set": {"plan": SECRET, "nested": {"x": SECRET}}},
        {**VALID, "distinct_id": SECRET + "   ", "uuid": SECRET},  # refused by capture
        {"event": "user_logged_in", "properties": {"login_method": [SECRET]}},
        {"api_key": "k", "batch": [{**VALID, "properties": {SECRET: 1}}, {"event": SECRET}]},
    ],
)
def test_no_value_reaches_the_log(
    server: TrackplanServer, body: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="trackplan.server"):
        status, _answer = post(server.url, "/batch/", body)
    assert status in (200, 400)
    assert caplog.records, "the server logged nothing about a broken event"
    for record in caplog.records:
        message = record.getMessage()
        # the event name may be logged (it is not a value); nothing else may carry it
        assert SECRET not in message.replace(f"'{SECRET}'", "<name>", 1), message


def test_malformed_body_reasons_do_not_echo_the_body(
    server: TrackplanServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="trackplan.server"):
        status, answer = post(server.url, "/e/", ('{"event": "x", "p": "' + SECRET).encode())
    assert status == 400
    assert SECRET not in answer["detail"]
    assert all(SECRET not in r.getMessage() for r in caplog.records)
