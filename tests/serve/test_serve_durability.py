"""Acknowledged means stored: kill -9 under load, a locked database, a full store.

Bounded: the load test runs 32 clients for at most a few seconds and 150 requests each.
"""

from __future__ import annotations

import http.client
import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path

from serve_support import VALID, ServerProcess, get, post

CLIENTS = 32
MAX_REQUESTS = 150
BATCH = 3


def _stored_uuids(url: str) -> list[str]:
    found: list[str] = []
    after = 0
    while True:
        page = get(url, f"/_trackplan/events?limit=10000&after={after}")[1]["events"]
        if not page:
            return found
        found.extend(e["payload"]["uuid"] for e in page)
        after = page[-1]["id"]


class _Client(threading.Thread):
    """Sends batches of fresh events on one keep-alive connection until stopped."""

    def __init__(self, url: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        host, port = url.removeprefix("http://").rsplit(":", 1)
        self.host, self.port, self.stop = host, int(port), stop
        self.acked: list[str] = []
        self.unacked: list[str] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        for _ in range(MAX_REQUESTS):
            if self.stop.is_set():
                break
            ids = [str(uuid.uuid4()) for _ in range(BATCH)]
            body = json.dumps({"api_key": "k", "batch": [{**VALID, "uuid": i} for i in ids]})
            try:
                conn.request("POST", "/batch/", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
            (self.acked if ok else self.unacked).extend(ids)
            if not ok:
                break
        conn.close()


def test_kill_9_under_32_clients_loses_no_acknowledged_event(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    server = ServerProcess(db).start()
    stop = threading.Event()
    clients = [_Client(server.url, stop) for _ in range(CLIENTS)]
    for client in clients:
        client.start()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and sum(len(c.acked) for c in clients) < 600:
        time.sleep(0.01)
    server.kill9()  # mid-run: clients are still sending
    stop.set()
    for client in clients:
        client.join(timeout=30)
    acked = [i for c in clients for i in c.acked]
    unacked = [i for c in clients for i in c.unacked]
    assert len(acked) >= 300, "the server was not under load when killed"
    assert unacked, "the kill did not interrupt any request"

    with ServerProcess(db) as again:
        stored = _stored_uuids(again.url)
        print(f"kill -9: {len(acked)} events acknowledged, {len(stored)} stored")
        assert len(stored) == len(set(stored))
        missing = set(acked) - set(stored)
        assert not missing, f"{len(missing)} acknowledged events were lost"
        # every client resends what was not acknowledged, and some of what was
        resend = unacked + acked[:50]
        for start in range(0, len(resend), 100):
            chunk = [{**VALID, "uuid": i} for i in resend[start : start + 100]]
            assert post(again.url, "/batch/", {"api_key": "k", "batch": chunk})[0] == 200
        final = _stored_uuids(again.url)
        assert sorted(final) == sorted(set(acked) | set(unacked))  # each exactly once


def test_a_locked_database_is_503_and_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    with ServerProcess(db) as server:
        locker = sqlite3.connect(db, isolation_level=None, timeout=5)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            started = time.monotonic()
            status, answer = post(server.url, "/e/", {**VALID, "uuid": str(uuid.uuid4())})
            assert status == 503
            assert "locked" in answer["detail"]
            assert time.monotonic() - started < 15
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert post(server.url, "/e/", {**VALID, "uuid": str(uuid.uuid4())})[0] == 200
        assert get(server.url, "/_trackplan/stats")[1]["total"] == 1


def test_a_full_store_is_503_never_200_for_an_unstored_event(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    with ServerProcess(db, "--max-db-mb", "0.25") as server:
        filler = "x" * 4000
        acked, refused = [], []
        for _ in range(200):
            event_id = str(uuid.uuid4())
            event = {**VALID, "uuid": event_id, "properties": {"login_method": "sso", "f": filler}}
            status, answer = post(server.url, "/e/", event)
            assert status in (200, 503)
            if status == 503:
                assert "full" in answer["detail"]
                refused.append(event_id)
            else:
                acked.append(event_id)
        assert acked and len(refused) > 10
        stored = set(_stored_uuids(server.url))
        assert stored == set(acked)
        assert "answered 503" in server.log
