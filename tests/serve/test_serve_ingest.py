"""Capture: every endpoint and body shape PostHog SDKs send, answered like PostHog."""

from __future__ import annotations

import base64
import gzip
import json
import urllib.parse
import uuid
import zlib

import posthog
import pytest
from serve_support import INVALID, VALID, get, post
from trackplan.server.pytest_plugin import TrackplanServer

PATHS = ["/i/v0/e", "/e", "/capture", "/track", "/engage", "/batch", "/i/v0/batch"]


def _event(**extra: object) -> dict[str, object]:
    return {**VALID, "uuid": str(uuid.uuid4()), **extra}


@pytest.mark.parametrize("slash", ["", "/"], ids=["bare", "slash"])
@pytest.mark.parametrize("path", PATHS)
def test_every_capture_path_stores_a_single_event(
    server: TrackplanServer, path: str, slash: str
) -> None:
    event = _event(api_key="phc_k")
    assert post(server.url, path + slash, event) == (200, {"status": 1})
    [stored] = server.events()
    assert stored["event"] == "user_logged_in"
    assert stored["payload"] == event
    assert (stored["valid"], stored["accepted"], stored["violations"]) == (True, True, [])


def test_batch_body_array_body_and_gzip_are_all_stored(server: TrackplanServer) -> None:
    batch = {"api_key": "phc_k", "batch": [_event(), _event(**INVALID)]}
    assert post(server.url, "/batch/", batch)[0] == 200
    assert post(server.url, "/e/", [_event(), _event()])[0] == 200
    gz = gzip.compress(json.dumps(batch | {"batch": [_event()]}).encode())
    assert post(server.url, "/batch/", gz, **{"Content-Encoding": "gzip"})[0] == 200
    assert (
        post(
            server.url,
            "/e/?compression=gzip-js",
            gzip.compress(json.dumps(_event()).encode()),
            **{"Content-Type": "text/plain"},
        )[0]
        == 200
    )
    deflated = zlib.compress(json.dumps(_event()).encode())
    assert post(server.url, "/e/", deflated, **{"Content-Encoding": "deflate"})[0] == 200
    assert server.stats()["total"] == 7
    assert [e["valid"] for e in server.events()] == [True, False, True, True, True, True, True]


def test_base64_form_bodies_like_posthog_js(server: TrackplanServer) -> None:
    encoded = base64.b64encode(json.dumps([_event()]).encode()).decode()
    form = f"data={urllib.parse.quote(encoded)}&compression=base64".encode()
    kind = {"Content-Type": "application/x-www-form-urlencoded"}
    assert post(server.url, "/e/", form, **kind) == (200, {"status": 1})
    plain = f"data={urllib.parse.quote(json.dumps(_event()))}".encode()
    assert post(server.url, "/e/", plain, **kind) == (200, {"status": 1})
    gz64 = base64.b64encode(gzip.compress(json.dumps(_event()).encode())).decode()
    assert post(server.url, "/e/", f"data={urllib.parse.quote(gz64)}".encode(), **kind)[0] == 200
    assert server.stats()["total"] == 3


def test_real_posthog_sdk_capture_set_alias_group_and_exception(server: TrackplanServer) -> None:
    client = posthog.Posthog("phc_sdk", host=server.url, sync_mode=True)
    client.capture("user_logged_in", distinct_id="u-7", properties={"login_method": "sso"})
    client.capture("user_logged_in", distinct_id="u-7", properties={"login_method": "fax"})
    client.capture("no_such_event", distinct_id="anonymous")
    client.set(distinct_id="u-7", properties={"plan": "free"})
    client.alias("u-old", "u-7")
    client.group_identify("company", "acme", {"name": "Acme"})
    client.capture_exception(ValueError("boom"), distinct_id="u-7")
    client.flush()
    names = [e["event"] for e in server.events()]
    assert names == [
        "user_logged_in",
        "user_logged_in",
        "no_such_event",
        "$set",
        "$create_alias",
        "$groupidentify",
        "$exception",
    ]
    by_code = server.stats()["by_code"]
    assert by_code["TP204"] == 1
    assert by_code["TP201"] == 1
    assert by_code["TP302"] == 1  # 'anonymous' is a generic distinct id
    [bad] = server.events(event="user_logged_in", valid=False)
    assert bad["violations"] == [
        {
            "code": "TP204",
            "severity": "error",
            "path": "/properties/login_method",
            "message": bad["violations"][0]["message"],
        }
    ]
    assert "fax" not in bad["violations"][0]["message"]  # values are never quoted


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"", "empty"),
        (b"42", "must be a JSON object or array"),
        (b"[]", "empty array"),
        (b'{"api_key": "k", "batch": []}', "`batch` is empty"),
        (b'{"api_key": "k", "batch": {}}', "`batch` must be an array"),
        (b"\x1f\x8bnot-gzip", "not valid gzip"),
        (b"data=%%%not-base64!", "neither JSON nor valid base64"),
    ],
)
def test_malformed_bodies_are_400_with_a_reason_and_store_nothing(
    server: TrackplanServer, body: bytes, reason: str
) -> None:
    status, answer = post(server.url, "/batch/", body)
    assert status == 400
    assert reason in answer["detail"]
    assert server.stats()["total"] == 0


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ({"event": "user_logged_in", "properties": {"login_method": "sso"}}, "no distinct_id"),
        ({**VALID, "distinct_id": "   "}, "empty distinct_id"),
        ({**VALID, "uuid": "not-a-uuid"}, "not a valid UUID"),
        ({"distinct_id": "u"}, "no event name"),
    ],
)
def test_events_posthog_refuses_are_400_but_recorded_as_not_accepted(
    server: TrackplanServer, event: dict[str, object], reason: str
) -> None:
    status, answer = post(server.url, "/batch/", {"api_key": "k", "batch": [_event(), event]})
    assert status == 400
    assert answer["detail"].startswith("event 1: ")
    assert reason in answer["detail"]
    stored = server.events()
    assert [e["accepted"] for e in stored] == [False, False]
    assert server.stats()["rejected"] == 2


def test_distinct_id_may_sit_in_properties(server: TrackplanServer) -> None:
    event = {"event": "user_logged_in", "properties": {"login_method": "sso", "distinct_id": "p1"}}
    assert post(server.url, "/e", event)[0] == 200
    [stored] = server.events()
    assert (stored["distinct_id"], stored["valid"]) == ("p1", True)


def test_size_limits_and_gzip_bomb_are_413(server: TrackplanServer) -> None:
    big = json.dumps(_event(properties={"login_method": "sso", "x": "a" * (2 * 1024 * 1024)}))
    assert post(server.url, "/e/", big.encode())[0] == 413
    # a 20 KB gzip body that inflates past the 20 MB batch limit
    bomb = gzip.compress(b"[" + b" " * (21 * 1024 * 1024) + b"]")
    assert len(bomb) < 100_000
    status, answer = post(server.url, "/batch/", bomb, **{"Content-Encoding": "gzip"})
    assert status == 413
    assert "decompressed" in answer["detail"]
    # the same event is fine on /batch, whose limit is 20 MB
    assert post(server.url, "/batch/", big.encode())[0] == 200
    assert server.stats()["total"] == 1


def test_same_uuid_is_stored_once(server: TrackplanServer) -> None:
    event = _event()
    for _ in range(3):
        assert post(server.url, "/e/", event)[0] == 200
    assert post(server.url, "/batch/", {"batch": [event, event, _event()]})[0] == 200
    assert server.stats()["total"] == 2


def test_query_filters(server: TrackplanServer) -> None:
    post(server.url, "/batch/", {"batch": [_event(), _event(**INVALID), _event(distinct_id="u-9")]})
    assert [e["id"] for e in server.events(valid=False)] == [server.events()[1]["id"]]
    assert len(server.events(code="TP204")) == 1
    assert len(server.events(code="tp204")) == 1
    assert [e["distinct_id"] for e in server.events(distinct_id="u-9")] == ["u-9"]
    first = server.events()[0]["id"]
    assert len(server.events(after=first)) == 2
    assert len(server.events(limit=1)) == 1
    assert server.events(event="nothing") == []
    assert get(server.url, "/_trackplan/events?valid=maybe")[0] == 400
    assert get(server.url, "/_trackplan/events?limit=-1")[0] == 400
    stats = server.stats()
    assert (stats["total"], stats["valid"], stats["invalid"]) == (3, 2, 1)
    assert stats["by_event"] == {"user_logged_in": {"total": 3, "valid": 2, "invalid": 1}}
    assert stats["by_code"] == {"TP204": 1}
    assert server.reset() == 3
    assert server.stats()["total"] == 0


def test_an_acknowledged_event_is_visible_to_the_next_query(server: TrackplanServer) -> None:
    for i in range(50):
        assert post(server.url, "/e/", _event(distinct_id=f"d{i}"))[0] == 200
        assert server.events(distinct_id=f"d{i}")[0]["distinct_id"] == f"d{i}"


def test_sdk_feature_flag_calls_get_an_empty_answer(server: TrackplanServer) -> None:
    client = posthog.Posthog("phc_sdk", host=server.url, sync_mode=True)
    assert client.get_all_flags("u-1") == {}
    status, answer = post(server.url, "/decide/?v=3", {"token": "phc", "distinct_id": "u"})
    assert (status, answer["featureFlags"], answer["supportedCompression"]) == (
        200,
        {},
        ["gzip", "gzip-js"],
    )
    assert server.stats()["total"] == 0


def test_capture_v1_from_the_real_sdk(server: TrackplanServer) -> None:
    client = posthog.Posthog("phc_v1", host=server.url, sync_mode=True, capture_mode="v1")
    client.capture("user_logged_in", distinct_id="u-1", properties={"login_method": "sso"})
    client.capture("user_logged_in", distinct_id="u-1", properties={"login_method": "fax"})
    client.set(distinct_id="u-1", properties={"plan": "free"})
    client.flush()
    stored = server.events()
    assert [(e["event"], e["valid"], e["accepted"]) for e in stored] == [
        ("user_logged_in", True, True),
        ("user_logged_in", False, True),
        ("$set", True, True),
    ]
    assert stored[2]["payload"]["properties"]["$set"] == {"plan": "free"}


def test_capture_v1_answers_per_event(server: TrackplanServer) -> None:
    good, bad = _event(), {**_event(), "distinct_id": ""}
    body = {"created_at": "2026-01-01T00:00:00Z", "batch": [good, bad]}
    status, answer = post(server.url, "/i/v1/analytics/events", body, Authorization="Bearer phc_v1")
    assert status == 200
    assert answer["results"] == {
        good["uuid"]: {"result": "ok"},
        bad["uuid"]: {"result": "drop", "details": "event has an empty distinct_id"},
    }
    assert [e["accepted"] for e in server.events()] == [True, False]


def test_get_beacon_with_data_query(server: TrackplanServer) -> None:
    encoded = base64.b64encode(json.dumps(_event()).encode()).decode()
    query = urllib.parse.urlencode({"data": encoded, "compression": "base64", "ip": "1"})
    assert get(server.url, f"/e/?{query}") == (200, {"status": 1})
    plain = urllib.parse.urlencode({"data": json.dumps([_event(), _event()])})
    assert get(server.url, f"/i/v0/e/?{plain}") == (200, {"status": 1})
    assert server.stats()["total"] == 3
