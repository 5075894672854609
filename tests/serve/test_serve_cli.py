"""``trackplan serve`` and ``trackplan events`` as real subprocesses of the installed CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import posthog
from serve_support import INVALID, TRACKPLAN, VALID, ServerProcess, get, post


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TRACKPLAN, *args], capture_output=True, text=True, timeout=60, cwd=cwd, check=False
    )


def test_serve_then_events_over_the_same_store(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    with ServerProcess(db) as server:
        client = posthog.Posthog("phc_cli", host=server.url, sync_mode=True)
        client.capture("user_logged_in", distinct_id="u1", properties={"login_method": "sso"})
        client.capture("user_logged_in", distinct_id="u2", properties={"login_method": "fax"})
        client.flush()
        assert get(server.url, "/_trackplan/stats")[1]["total"] == 2
        listing = _run("events", "--db", str(db), "--format", "json")
        assert listing.returncode == 1, listing.stderr  # one event is invalid
        events = json.loads(listing.stdout)["events"]
        assert [(e["distinct_id"], e["valid"]) for e in events] == [("u1", True), ("u2", False)]
        assert events == get(server.url, "/_trackplan/events")[1]["events"]
        assert "event 'user_logged_in' breaks the plan: TP204 /properties/login_method" in (
            server.wait_for_log("breaks the plan")
        )
        assert "fax" not in server.log  # logs never carry property values
    text = _run("events", "--db", str(db), "--invalid")
    assert text.returncode == 1
    lines = text.stdout.splitlines()
    assert lines[0].startswith("#2 ") and lines[0].endswith("user_logged_in distinct_id=u2 INVALID")
    assert lines[1].startswith("    TP204 error /properties/login_method: property `login_method`")
    assert lines[-1] == "1 event, 1 invalid"
    only_valid = _run("events", "--db", str(db), "--event", "nothing")
    assert (only_valid.returncode, only_valid.stdout) == (0, "0 events, 0 invalid\n")


def test_serve_exits_cleanly_on_sigterm_and_keeps_the_store(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    server = ServerProcess(db).start()
    event = {**VALID, "uuid": str(uuid.uuid4())}
    assert post(server.url, "/e/", event)[0] == 200
    assert server.stop() == 0
    with ServerProcess(db) as again:
        assert post(again.url, "/e/", event)[0] == 200  # same uuid: already stored
        assert post(again.url, "/e/", INVALID)[0] == 200
        assert get(again.url, "/_trackplan/stats")[1]["total"] == 2


def test_events_on_a_missing_or_foreign_store_is_exit_2(tmp_path: Path) -> None:
    missing = _run("events", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2
    assert "no event store here" in missing.stderr
    foreign = tmp_path / "foreign.db"
    foreign.write_text("not sqlite at all, just text " * 100)
    bad = _run("events", "--db", str(foreign))
    assert bad.returncode == 2
    assert "not a trackplan event store" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_serve_refuses_a_foreign_db_a_bad_plan_and_a_public_bind_without_token(
    tmp_path: Path,
) -> None:
    foreign = tmp_path / "foreign.db"
    foreign.write_text("not sqlite at all, just text " * 100)
    result = _run("serve", "--plan", str(VALID_PLAN), "--db", str(foreign), "--port", "0")
    assert result.returncode == 2
    assert "cannot be used as an event store" in result.stderr
    broken = tmp_path / "plan.yaml"
    broken.write_text("version: 1\nevents:\n  x: [unclosed\n")
    result = _run("serve", "--plan", str(broken), "--db", str(tmp_path / "e.db"), "--port", "0")
    assert result.returncode == 2
    assert "TP001" in result.stderr and "plan.yaml:" in result.stderr
    public = _run("serve", "--plan", str(VALID_PLAN), "--host", "0.0.0.0", "--port", "0")
    assert public.returncode == 2
    assert "needs --token" in public.stderr
    for output in (result.stderr, public.stderr):
        assert "Traceback" not in output


def test_serve_without_the_extra_names_it_and_exits_2(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['uvicorn'] = None\n"
        "from trackplan.linter.cli import main\n"
        "main(['serve', '--plan', sys.argv[1]])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(VALID_PLAN)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 2
    assert "pip install 'trackplan[serve]'" in result.stderr
    assert "Traceback" not in result.stderr
    # --help works and does not import the server
    probe = "import sys; from trackplan.linter.cli import main\ntry:\n    main(['--help'])\n"
    probe += "except SystemExit: pass\n"
    probe += "print('uvicorn' in sys.modules, 'trackplan.server.app' in sys.modules)"
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert "serve" in shown.stdout and "events" in shown.stdout
    assert shown.stdout.strip().endswith("False False")


def test_api_key_allowlist_and_query_token(tmp_path: Path) -> None:
    args = ("--api-key", "phc_good", "--token", "s3cret")
    with ServerProcess(tmp_path / "e.db", *args) as server:
        assert post(server.url, "/e/", {**VALID, "api_key": "phc_good"})[0] == 200
        assert post(server.url, "/e/", {**VALID, "api_key": "phc_bad"})[0] == 401
        assert post(server.url, "/e/", VALID)[0] == 401
        batch = {"api_key": "phc_good", "batch": [VALID, {**VALID, "api_key": "phc_bad"}]}
        assert post(server.url, "/batch/", batch)[0] == 401
        good_js = {**VALID, "properties": {"login_method": "sso", "token": "phc_good"}}
        assert post(server.url, "/e/", good_js)[0] == 200
        assert get(server.url, "/_trackplan/stats")[0] == 401
        assert get(server.url, "/_trackplan/stats", Authorization="Bearer wrong")[0] == 401
        status, stats = get(server.url, "/_trackplan/stats", Authorization="Bearer s3cret")
        assert (status, stats["total"]) == (200, 2)


def test_rate_limit_answers_429_with_retry_after(tmp_path: Path) -> None:
    with ServerProcess(tmp_path / "e.db", "--rate-limit", "2") as server:
        statuses = [post(server.url, "/e/", VALID)[0] for _ in range(8)]
        assert statuses[:4] == [200, 200, 200, 200]  # a burst of 2 x rate
        assert 429 in statuses[4:]
        assert get(server.url, "/_trackplan/stats")[1]["total"] == statuses.count(200)


VALID_PLAN = Path(__file__).resolve().parents[2] / "plans" / "saas"


def test_events_reads_a_store_right_after_kill_9(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    server = ServerProcess(db, "--fsync").start()
    sent = [{**VALID, "uuid": str(uuid.uuid4())} for _ in range(20)]
    assert post(server.url, "/batch/", {"api_key": "k", "batch": sent})[0] == 200
    server.kill9()
    listing = _run("events", "--db", str(db), "--format", "json")
    assert listing.returncode == 0, listing.stderr
    assert [e["payload"]["uuid"] for e in json.loads(listing.stdout)["events"]] == [
        e["uuid"] for e in sent
    ]


def test_serve_on_a_taken_port_and_a_lower_body_limit(tmp_path: Path) -> None:
    with ServerProcess(tmp_path / "e.db", "--max-body-mb", "0.001") as server:
        assert post(server.url, "/e/", VALID)[0] == 200
        big = {**VALID, "properties": {"login_method": "sso", "x": "y" * 2000}}
        assert post(server.url, "/batch/", big)[0] == 413
        port = server.url.rsplit(":", 1)[1]
        taken = _run(
            "serve", "--plan", str(VALID_PLAN), "--db", str(tmp_path / "f.db"), "--port", port
        )
        assert taken.returncode == 2
        assert f"cannot listen on 127.0.0.1:{port}" in taken.stderr
        assert "Traceback" not in taken.stderr
