"""The stored verdict of any payload is the verdict ``trackplan validate`` gives it.

Property-based: Hypothesis builds event payloads around the plan (planned, unplanned,
PostHog ``$`` events; good and bad property values; person properties; odd distinct
ids), the test sends them to a real server and compares what was stored with the
output of the real ``trackplan validate --format json`` on the same payloads.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serve_support import PLAN, TRACKPLAN, post
from trackplan.registry.validation import Registry
from trackplan.server.ingest import violations_json
from trackplan.server.pytest_plugin import TrackplanServer

REGISTRY = Registry.load(PLAN)
NAMES = [
    *REGISTRY.plan.events,
    "user signed up",
    "no_such_event",
    "$identify",
    "$set",
    "$create_alias",
    "$groupidentify",
    "$exception",
    "$pageview",
    "",
]
PROPS = [
    *sorted({p for spec in REGISTRY.plan.events.values() for p in spec.properties}),
    "extra",
    "$set",
    "$set_once",
    "distinct_id",
    "token",
    "alias",
    "$group_type",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["sso", "csv", "free", "pro", "github", "a@b.co", "2024-01-01"])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
distinct_ids = (
    st.sampled_from(["u-1", "anonymous", "undefined", "", "  ", "null", "0"])
    | st.integers(min_value=-5, max_value=10**6)
    | st.text(max_size=10)
    | st.none()
)


@st.composite
def payloads(draw: st.DrawFn) -> Any:
    event: dict[str, Any] = {}
    if draw(st.integers(0, 20)):
        event["event"] = draw(st.sampled_from(NAMES) | st.text(max_size=8))
    else:
        event["event"] = draw(values)
    if draw(st.booleans()):
        event["distinct_id"] = draw(distinct_ids)
    if draw(st.integers(0, 10)):
        event["properties"] = draw(
            st.dictionaries(st.sampled_from(PROPS) | st.text(max_size=6), values, max_size=5)
        )
    else:
        event["properties"] = draw(values)
    for key in ("$set", "$set_once"):
        if draw(st.integers(0, 4)) == 0:
            event[key] = draw(st.dictionaries(st.text(max_size=6), values, max_size=3))
    return event


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(payloads(), min_size=1, max_size=15))
def test_stored_verdicts_equal_trackplan_validate(
    server: TrackplanServer, batch: list[Any], tmp_path: Path
) -> None:
    server.reset()
    for payload in batch:
        status, _answer = post(server.url, "/e/", payload)
        assert status in (200, 400)
    stored = server.events()
    assert len(stored) == len(batch)
    got = [(e["event"], e["valid"], e["violations"]) for e in stored]
    assert [e["payload"] for e in stored] == batch

    lines = tmp_path / "payloads.jsonl"
    lines.write_text("".join(json.dumps(p) + "\n" for p in batch))
    result = subprocess.run(
        [TRACKPLAN, "validate", "--plan", str(PLAN), "--format", "json", str(lines)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    expected = [(o["event"], o["valid"], o["violations"]) for o in json.loads(result.stdout)]
    assert got == expected
    in_process = [REGISTRY.validate(p) for p in batch]
    assert got == [(r.event, r.valid, violations_json(r)) for r in in_process]
    # the same events in one batch body: the same verdicts, in the same order
    server.reset()
    status, _answer = post(server.url, "/batch/", {"api_key": "phc", "batch": batch})
    assert status in (200, 400)
    assert [(e["event"], e["valid"], e["violations"]) for e in server.events()] == expected
