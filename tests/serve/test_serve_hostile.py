"""Hostile requests: whatever arrives, the answer is a PostHog status, never a 500 or a crash."""

from __future__ import annotations

import gzip
import json
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serve_support import VALID, get, raw_request
from trackplan.server.pytest_plugin import TrackplanServer

PATHS = ["/e/", "/batch/", "/i/v0/e", "/capture/", "/track", "/engage/", "/i/v0/batch/"]
ALLOWED = {200, 400, 413}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def _encode(value: object) -> bytes:
    return json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")


bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(_encode),
    st.builds(
        lambda event, key: _encode({"api_key": "k", key: event}),
        json_values,
        st.sampled_from(["batch", "event", "properties"]),
    ),
    st.binary(max_size=200).map(gzip.compress),
    json_values.map(lambda v: gzip.compress(_encode(v))),
    json_values.map(lambda v: b"data=" + _encode(v)),
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "Content-Encoding": st.sampled_from(["gzip", "deflate", "br", "identity", "GZIP", ""]),
        "Content-Type": st.sampled_from(
            ["application/json", "text/plain", "application/x-www-form-urlencoded", "x/y"]
        ),
    },
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from(PATHS),
    body=bodies,
    head=headers,
    compression=st.sampled_from(
        ["", "?compression=gzip-js", "?compression=base64", "?compression=lz64"]
    ),
)
def test_any_body_gets_a_posthog_status(
    server: TrackplanServer, path: str, body: bytes, head: dict[str, str], compression: str
) -> None:
    status = raw_request(server.url, "POST", path + compression, body, head)
    assert status in ALLOWED


def test_server_is_healthy_after_hostile_input(server: TrackplanServer) -> None:
    assert get(server.url, "/_trackplan/health")[0] == 200


@pytest.mark.parametrize("depth", [100, 2000])
def test_deep_nesting_is_an_answer_not_a_crash(server: TrackplanServer, depth: int) -> None:
    nested = '{"a":' * depth + "1" + "}" * depth
    body = json.dumps({**VALID, "properties": {"login_method": "sso", "deep": 0}})
    body = body.replace('"deep": 0', f'"deep": {nested}')
    status = raw_request(server.url, "POST", "/e/", body.encode(), {})
    assert status in (200, 400)


def test_deflate_bomb_and_truncated_gzip(server: TrackplanServer) -> None:
    bomb = zlib.compress(b"[" + b" " * (5 * 1024 * 1024) + b"]")
    assert raw_request(server.url, "POST", "/e/", bomb, {"Content-Encoding": "deflate"}) == 413
    cut = gzip.compress(json.dumps(VALID).encode())[:-10]
    assert raw_request(server.url, "POST", "/e/", cut, {"Content-Encoding": "gzip"}) == 400
    assert server.stats()["total"] == 0


def test_wrong_methods_and_unknown_paths(server: TrackplanServer) -> None:
    assert raw_request(server.url, "GET", "/e/", b"", {}) == 400  # GET needs ?data=
    assert raw_request(server.url, "DELETE", "/e/", b"", {}) == 405
    assert raw_request(server.url, "PUT", "/batch/", b"{}", {}) == 405
    assert raw_request(server.url, "POST", "/nope/", b"{}", {}) == 404
    assert raw_request(server.url, "POST", "/_trackplan/events", b"{}", {}) == 405
