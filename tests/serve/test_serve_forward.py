"""The gateway: a durable outbox forwards upstream through failures, stalls and restarts.

The upstream is a real HTTP server on 127.0.0.1 whose behaviour the test switches.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from serve_support import INVALID, VALID, ServerProcess, get, post


class FakeUpstream:
    """PostHog's /batch/ that fails (500), stalls, refuses (400) or accepts, on demand."""

    def __init__(self) -> None:
        self.mode = "fail"
        self.attempts: list[str] = []
        self.received: list[dict[str, Any]] = []
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                mode = upstream.mode
                upstream.attempts.append(mode)
                if mode == "stall":
                    time.sleep(3)
                    status = 200
                else:
                    status = {"fail": 500, "refuse": 400, "ok": 200}[mode]
                if status == 200 and mode == "ok":
                    parsed = json.loads(body)
                    assert self.path == "/batch/"
                    upstream.received.extend(
                        {**event, "_api_key": parsed.get("api_key")} for event in parsed["batch"]
                    )
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status": 1}')

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, condition: Any, timeout: float = 40.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"timed out; attempts: {self.attempts}"
            time.sleep(0.05)


@pytest.fixture
def upstream() -> Iterator[FakeUpstream]:
    fake = FakeUpstream()
    yield fake
    fake.server.shutdown()


def _events(count: int) -> list[dict[str, Any]]:
    return [
        {**(INVALID if i % 3 == 0 else VALID), "uuid": str(uuid.uuid4()), "api_key": "phc_app"}
        for i in range(count)
    ]


def test_outage_stall_and_restart_lose_nothing_and_block_no_client(
    tmp_path: Path, upstream: FakeUpstream
) -> None:
    db = tmp_path / "events.db"
    args = ("--forward", upstream.url, "--forward-mode", "tag", "--forward-timeout", "1")
    sent = _events(30)
    with ServerProcess(db, *args) as server:
        for event in sent[:20]:
            started = time.monotonic()
            assert post(server.url, "/e/", event)[0] == 200
            assert time.monotonic() - started < 1.0  # the outage does not slow clients
        upstream.wait(lambda: len(upstream.attempts) >= 2)
        assert get(server.url, "/_trackplan/stats")[1]["outbox"]["pending"] == 20
        server.kill9()  # the outbox survives a crash
    with ServerProcess(db, *args) as server:
        assert post(server.url, "/batch/", {"api_key": "phc_app", "batch": sent[20:]})[0] == 200
        upstream.mode = "stall"
        upstream.wait(lambda: "stall" in upstream.attempts)
        upstream.mode = "ok"
        upstream.wait(lambda: len({e["uuid"] for e in upstream.received}) == len(sent))
        upstream.wait(
            lambda: get(server.url, "/_trackplan/stats")[1]["outbox"] == {"pending": 0, "failed": 0}
        )
        assert "forwarding failed (HTTP 500)" in server.log
        assert "timed out" in server.log
    by_uuid = {e["uuid"]: e for e in upstream.received}
    for event in sent:
        got = by_uuid[event["uuid"]]
        assert got["_api_key"] == "phc_app"
        tag = got["properties"].get("$trackplan_violations")
        if event["properties"]["login_method"] == "fax":
            assert tag == [{"code": "TP204", "path": "/properties/login_method"}]
        else:
            assert tag is None
            assert got["properties"] == event["properties"]


def test_valid_mode_forwards_only_valid_events_and_a_refusal_is_kept_as_failed(
    tmp_path: Path, upstream: FakeUpstream
) -> None:
    upstream.mode = "ok"
    args = ("--forward", upstream.url, "--forward-mode", "valid", "--forward-timeout", "2")
    sent = _events(6)
    with ServerProcess(tmp_path / "e.db", *args) as server:
        assert post(server.url, "/batch/", {"api_key": "phc_app", "batch": sent})[0] == 200
        valid = {e["uuid"] for e in sent if e["properties"]["login_method"] == "sso"}
        upstream.wait(lambda: {e["uuid"] for e in upstream.received} == valid)
        upstream.mode = "refuse"
        assert post(server.url, "/e/", _events(2)[1])[0] == 200
        upstream.wait(
            lambda: get(server.url, "/_trackplan/stats")[1]["outbox"] == {"pending": 0, "failed": 1}
        )
        assert "upstream refused 1 events with HTTP 400" in server.log
        time.sleep(0.5)
        assert len({e["uuid"] for e in upstream.received}) == len(valid)
