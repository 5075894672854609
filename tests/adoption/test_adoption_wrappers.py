"""Wrapper inference: functions that pass a parameter on as an SDK call's event name."""

from __future__ import annotations

from pathlib import Path

import pytest
from adoption_helpers import PROJECTS
from trackplan.linter.analysis.signatures import parse_signature
from trackplan.linter.init.wrappers import as_table, infer_wrappers, module_name

ROOT = PROJECTS / "wrappers"

EXPECTED = {
    "app.billing.billing_event": "(kind: event, who: distinct_id)",
    "app.billing.via_instance": "(kind: event)",
    "app.segment_helpers.Tracker.track": (
        "(self, user: distinct_id, what: event, props: properties = None)"
    ),
    "app.segment_helpers.mixed": (
        "(uid: distinct_id, event_name: event, *args, extra=None, **kwargs: properties)"
    ),
    "app.segment_helpers.seg": "(user_id: distinct_id, event, traits: properties)",
    "app.telemetry.Analytics.event": "(self, name: event, **properties)",
    "app.telemetry.Analytics.static_one": "(evt: event, props: properties)",
    "app.telemetry.capture_event": "(event_name: event, user: distinct_id, **props: properties)",
    "app.telemetry.prefixed": {"signature": "(name, uid: distinct_id)", "event": "app:{name}"},
    "app.telemetry.track": "(event, distinct_id, properties=None)",
}


@pytest.fixture(scope="module")
def candidates() -> list:
    files = sorted(ROOT.rglob("*.py"))
    return infer_wrappers(ROOT, files, posthog_major=7)


def test_every_wrapper_shape_is_found_with_its_roles(candidates: list) -> None:
    assert as_table(candidates) == EXPECTED


def test_each_inferred_signature_parses_with_the_analyzer_parser(candidates: list) -> None:
    for candidate in candidates:
        assert candidate.signature is not None
        roles = parse_signature(candidate.signature).roles()
        assert "event" in roles or candidate.event is not None, candidate


def test_built_event_names_become_event_templates_with_the_reason(candidates: list) -> None:
    built = [(c.qualname, c.event, c.reason) for c in candidates if c.event is not None]
    assert built == [
        (
            "app.telemetry.prefixed",
            "app:{name}",
            "passes the event from the template 'app:{name}', `uid` as the distinct id to "
            "`posthog.capture` (posthog.capture)",
        )
    ]


def test_where_each_wrapper_was_found_and_what_it_calls(candidates: list) -> None:
    found = {
        c.qualname: (Path(c.path).relative_to(ROOT).as_posix(), c.line, c.via) for c in candidates
    }
    assert found["app.telemetry.track"] == ("src/app/telemetry.py", 7, "posthog.Client.capture")
    assert found["app.billing.billing_event"] == ("src/app/billing.py", 12, "app.telemetry.track")
    assert found["app.billing.via_instance"][2] == "app.telemetry.Analytics.event"
    assert found["app.segment_helpers.Tracker.track"][2] == "mixpanel.Mixpanel.track"


def test_look_alikes_and_nested_functions_are_not_wrappers(candidates: list) -> None:
    names = {c.qualname for c in candidates}
    assert "app.legacy.record" not in names
    assert not any("nested" in n or "inner" in n for n in names)
    assert "app.telemetry.not_a_wrapper" not in names


def test_posthog_5_positional_capture_reads_the_second_argument_as_the_event(
    tmp_path: Path,
) -> None:
    (tmp_path / "tele.py").write_text(
        "import posthog\n\ndef event_telemetry(distinct_id, event, properties=None):\n"
        "    posthog.capture(distinct_id, event, properties)\n"
    )
    found = infer_wrappers(tmp_path, [tmp_path / "tele.py"], posthog_major=5)
    assert as_table(found) == {"tele.event_telemetry": "(distinct_id, event, properties=None)"}
    assert as_table(infer_wrappers(tmp_path, [tmp_path / "tele.py"], posthog_major=7)) == {}


def test_unparseable_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_bytes(b"import posthog\ndef f(:\n")
    (tmp_path / "nul.py").write_bytes(b"import posthog\x00\n")
    assert infer_wrappers(tmp_path, sorted(tmp_path.glob("*.py")), posthog_major=7) == []


@pytest.mark.parametrize(
    ("rel", "name"),
    [
        ("app/x.py", "app.x"),
        ("app/__init__.py", "app"),
        ("src/app/x.py", "app.x"),
        ("scripts/my-tool.py", None),
    ],
)
def test_module_name(tmp_path: Path, rel: str, name: str | None) -> None:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    assert module_name(path, tmp_path) == name
