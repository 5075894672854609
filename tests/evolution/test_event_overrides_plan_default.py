"""An event's own ``additional_properties`` overrides the plan-level default, both ways.

The decision behind issue 10's last pinned detail: ``additional_properties: true`` on
an event opens it under a plan-level ``false`` (as docs/plan-format.md says), for
``validate``, for the exported schemas and for ``trackplan diff`` alike.
"""

from __future__ import annotations

from pathlib import Path

from trackplan.registry.compiler import event_is_closed
from trackplan.registry.evolution.diff import diff_plans
from trackplan.registry.loader import load_plan
from trackplan.registry.validation import Registry

_CLOSED_PLAN = """\
additional_properties: false
events:
  invite_sent: {additional_properties: true}
  user_signed_up: {}
"""


def _payload(event: str) -> dict[str, object]:
    return {"event": event, "distinct_id": "u_8f3a", "properties": {"referrer": "ad"}}


def test_event_true_opens_it_under_a_closed_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(_CLOSED_PLAN, encoding="utf-8")
    plan = load_plan(path)
    registry = Registry.from_plan(plan)
    assert registry.validate(_payload("invite_sent")).valid
    result = registry.validate(_payload("user_signed_up"))
    assert [v.code for v in result.violations] == ["TP203"]
    assert not event_is_closed(plan, plan.events["invite_sent"])
    assert event_is_closed(plan, plan.events["user_signed_up"])
    schema = registry.schemas["invite_sent"]["properties"]["properties"]
    assert "additionalProperties" not in schema


def test_event_false_closes_it_under_an_open_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("events:\n  invite_sent: {additional_properties: false}\n", encoding="utf-8")
    registry = Registry.load(path)
    assert [v.code for v in registry.validate(_payload("invite_sent")).violations] == ["TP203"]


def test_closing_the_plan_level_default_leaves_an_overriding_event_open(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text("events:\n  invite_sent: {additional_properties: true}\n", encoding="utf-8")
    new.write_text(
        "additional_properties: false\nevents:\n  invite_sent: {additional_properties: true}\n",
        encoding="utf-8",
    )
    diff = diff_plans(load_plan(old), load_plan(new))
    assert diff.compatible("backward") and diff.compatible("forward")
    assert [c.code for c in diff.changes] == []
