"""Event and property names from the code are data in the drafted plan, never YAML.

Hypothesis draws names holding newlines, ``#``, ``:``, quotes, YAML indicators, the
characters YAML reads as line breaks (U+0085, U+2028, U+2029), controls, DEL, U+FEFF,
NUL and lone surrogates; the draft is written and loaded back with trackplan's own plan
loader. It must load without error and hold exactly the names the draft kept (each with
its description and properties intact); every other name must be listed as skipped.
The same holds end to end through ``trackplan init`` on real source files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from config_files_support import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trackplan.linter.analysis.model import TrackingCall
from trackplan.linter.init.draft import draft_plan
from trackplan.registry.diagnostics import Severity
from trackplan.registry.loader import check_plan

NASTY = [
    "\n",
    "\r",
    "#",
    ": ",
    ":",
    '"',
    "'",
    "\\",
    "`",
    "\u2028",
    "\u2029",
    "\x85",
    "\x00",
    "\x7f",
    "\ufeff",
    "\ufffe",
    "\ud800",
    "\udfff",
    " ",
    "- ",
    "{",
    "[",
    "&a",
    "*a",
    "!",
    "|",
    ">",
    "%",
    "@",
    "?",
    "~",
    "null",
    "yes",
    "1e3",
    "café",
    "\U0001f600",
]
names = st.lists(
    st.one_of(st.sampled_from(NASTY), st.characters(exclude_categories=())),
    min_size=1,
    max_size=8,
).map("".join)


def _call(event: str, properties: dict[str, str], line: int) -> TrackingCall:
    return TrackingCall(
        path="/project/app.py",
        line=line,
        column=1,
        end_line=line,
        end_column=2,
        kind="capture",
        target="posthog.capture",
        event=event,
        properties=properties,
        distinct_id="u",
    )


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    events=st.lists(
        st.tuples(names, st.dictionaries(names, st.sampled_from(["string", "integer"]))),
        min_size=1,
        max_size=5,
    )
)
def test_drafted_plan_reloads_with_exactly_the_intended_keys(
    tmp_path_factory: pytest.TempPathFactory, events: list[tuple[str, dict[str, str]]]
) -> None:
    calls = [_call(name, props, line) for line, (name, props) in enumerate(events, start=1)]
    draft = draft_plan(calls, Path("/project"))
    kept = {event.name: event for event in draft.events}
    skipped_events = {s.name for s in draft.skipped if s.event is None}
    wanted = {name for name, _ in events if name and not name.startswith("$")}
    assert set(kept) | skipped_events == wanted
    assert not set(kept) & skipped_events

    path = tmp_path_factory.mktemp("draft") / "events.yaml"
    path.write_bytes(draft.text.encode("utf-8"))  # strict: no lone surrogate was written
    checked = check_plan([path])
    errors = [d for d in checked.diagnostics if d.severity is Severity.ERROR]
    assert checked.plan is not None and not errors, errors
    assert set(checked.plan.events) == set(kept)
    for name, event in kept.items():
        loaded = checked.plan.events[name]
        shown = name.replace("`", "'")
        assert loaded.description == f"TODO: what `{shown}` means and when it is sent"
        assert set(loaded.properties) == set(event.properties)
    skipped_props = {(s.event, s.name) for s in draft.skipped if s.event is not None}
    for name, props in events:
        if name in kept:
            for key in props:
                if key.startswith("$"):
                    continue
                assert (key in kept[name].properties) != ((name, key) in skipped_props)


SOURCE = """import posthog

posthog.capture("order\\nplaced: x # y", distinct_id="u")
posthog.capture("line\\u2028sep", distinct_id="u", properties={"a\\nb": 1, "ok": "x"})
posthog.capture("next\\x85line", distinct_id="u")
posthog.capture('quote " and \\' and \\\\', distinct_id="u")
posthog.capture("lone \\ud800 surrogate", distinct_id="u")
posthog.capture("nul \\x00 byte", distinct_id="u")
posthog.capture("Order Placed", distinct_id="u")
posthog.capture("order_placed", distinct_id="u")
"""


def test_init_end_to_end_with_hostile_event_names(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SOURCE)
    done = run_cli("init", "--no-baseline", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "names the plan cannot hold (left out):" in done.stdout
    assert "lone surrogate" in done.stdout and "NUL" in done.stdout
    assert "collides with `Order Placed`" in done.stdout
    exported = run_cli("export", "--format", "json-schema", "plans", cwd=tmp_path)
    checked = run_cli("check", "plans", cwd=tmp_path)
    assert checked.returncode in (0, 1), checked.stdout + checked.stderr
    assert "TP00" not in checked.stdout  # no format error, no collision
    plan = check_plan([tmp_path / "plans"]).plan
    assert plan is not None
    assert set(plan.events) == {
        "order\nplaced: x # y",
        "line\u2028sep",
        "next\x85line",
        "quote \" and ' and \\",
        "Order Placed",
    }
    assert set(plan.events["line\u2028sep"].properties) == {"a\nb", "ok"}
    assert exported.returncode in (0, 2) and "Traceback" not in exported.stderr
    # every drafted line is one YAML line: no name started a line of its own
    lines = (tmp_path / "plans" / "events.yaml").read_text(encoding="utf-8").split("\n")
    assert all(not line or line.startswith(("#", " ", "version:", "events:")) for line in lines)
    assert json.dumps(sorted(plan.events))  # the names survived as data
