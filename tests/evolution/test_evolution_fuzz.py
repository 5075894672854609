"""Hostile plan pairs: random plans, random edits, and every answer checked for soundness.

Hypothesis builds an OLD plan (events with typed, bounded, enumerated, patterned,
nested properties, open or closed, shared definitions, person properties) and a NEW
plan by editing it at random. ``diff_plans`` answers; then

- each witness must be valid under its source plan and invalid under the other, by
  real ``Registry`` objects;
- each "compatible" direction is attacked with payloads hypothesis-jsonschema
  generates from the source plan's compiled schemas: whatever the source accepts the
  destination must accept.

A wrong "compatible" (the one unforgivable answer) fails here with the payload.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from trackplan.registry.compiler import compile_event_schema, compile_fallback_schema
from trackplan.registry.diagnostics import Severity
from trackplan.registry.evolution.compat import WITNESS_DISTINCT_ID, Side, event_names
from trackplan.registry.evolution.diff import diff_plans
from trackplan.registry.loader import load_plan
from trackplan.registry.plan import Plan
from trackplan.registry.policy import RulePolicy
from trackplan.registry.validation import Registry

_PROPS = ("amount", "plan", "code", "tags", "address", "note")
_EVENTS = ("order_created", "order_paid", "$pageview")
_PATTERNS = ("^[a-z]+$", "^#[0-9]{2,}$", "^[0-9]+$", "x")
_FORMATS = ("email", "date", "uuid")


def _numeric(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    bound = st.integers(-3, 3)
    return st.fixed_dictionaries(
        {"type": st.just(kind)},
        optional={
            "minimum": bound,
            "maximum": bound,
            "exclusiveMinimum": bound,
            "multipleOf": st.sampled_from([1, 2, 5]),
            "enum": st.lists(st.integers(-3, 3), min_size=1, max_size=3, unique=True),
        },
    )


def _string() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"type": st.just("string")},
        optional={
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(1, 6),
            "pattern": st.sampled_from(_PATTERNS),
            "format": st.sampled_from(_FORMATS),
            "enum": st.lists(st.sampled_from(["a", "b", "#12", "free"]), min_size=1, unique=True),
        },
    ).filter(
        # hypothesis-jsonschema raises InvalidArgument drawing from a string whose
        # minLength exceeds its maxLength (instead of finding the section unsatisfiable)
        lambda spec: spec.get("minLength", 0) <= spec.get("maxLength", 6)
    )


_LEAF = st.one_of(
    _numeric("integer"),
    _numeric("number"),
    _string(),
    st.just({"type": "boolean"}),
    st.just({}),
    st.just({"type": ["string", "null"]}),
)


def _schema() -> st.SearchStrategy[dict[str, Any]]:
    array = st.fixed_dictionaries(
        {"type": st.just("array"), "items": _LEAF},
        optional={"maxItems": st.integers(0, 3), "uniqueItems": st.booleans()},
    )
    obj = st.fixed_dictionaries(
        {
            "type": st.just("object"),
            "properties": st.dictionaries(st.sampled_from(["city", "zip"]), _LEAF, max_size=2),
        },
        optional={"additionalProperties": st.booleans()},
    )
    alternatives = st.builds(lambda a, b: {"anyOf": [a, b]}, _LEAF, _LEAF)
    return st.one_of(_LEAF, _LEAF, array, obj, alternatives)


def _prop() -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda schema, required: {**schema, **({"required": True} if required else {})},
        _schema(),
        st.booleans(),
    )


def _event() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"properties": st.dictionaries(st.sampled_from(_PROPS), _prop(), max_size=3)},
        optional={"additional_properties": st.booleans(), "deprecated": st.just(True)},
    )


def _plan() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"version": st.just(1), "events": st.dictionaries(st.sampled_from(_EVENTS), _event())},
        optional={
            "additional_properties": st.booleans(),
            "properties": st.dictionaries(st.sampled_from(_PROPS), _schema(), max_size=2),
            "person_properties": st.dictionaries(
                st.sampled_from(["email", "name"]), _schema(), max_size=2
            ),
        },
    )


@st.composite
def _pair(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    old = draw(_plan())
    if draw(st.booleans()):
        return old, draw(_plan())
    new = yaml.safe_load(yaml.safe_dump(old))
    for _ in range(draw(st.integers(1, 3))):
        events = new.setdefault("events", {})
        what = draw(st.sampled_from(["prop", "event", "toggle", "shared", "person"]))
        if what == "prop" and events:
            event = events[draw(st.sampled_from(sorted(events)))]
            event.setdefault("properties", {})[draw(st.sampled_from(_PROPS))] = draw(_prop())
        elif what == "event":
            name = draw(st.sampled_from(_EVENTS))
            if name in events and draw(st.booleans()):
                del events[name]
            else:
                events[name] = draw(_event())
        elif what == "toggle":
            new["additional_properties"] = not new.get("additional_properties", True)
        elif what == "shared":
            new.setdefault("properties", {})[draw(st.sampled_from(_PROPS))] = draw(_schema())
        else:
            new.setdefault("person_properties", {})["email"] = draw(_schema())
    return old, new


def _load(data: dict[str, Any], directory: Path, stem: str) -> Plan | None:
    path = directory / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        return load_plan(path)
    except Exception:
        return None  # a drawn plan the loader refuses (e.g. an unsatisfiable keyword mix)


def _section(plan: Plan, name: str, lenient: bool) -> tuple[dict[str, Any], Any]:
    spec = plan.events.get(name)
    schema = compile_event_schema(plan, spec) if spec else compile_fallback_schema(plan)
    section = dict(schema["properties"]["properties"])
    if lenient and section.get("additionalProperties", True) is not False:
        section["additionalProperties"] = False
    return section, schema["properties"].get("$set", True)


_POLICIES = (
    RulePolicy(),
    RulePolicy(severity={"TP201": Severity.WARNING}),
    RulePolicy(severity={"TP203": Severity.WARNING, "TP205": Severity.ERROR}),
    RulePolicy(ignore=("TP204",)),
    RulePolicy(severity={"TP206": Severity.ERROR, "TP201": Severity.INFO}),
)


@settings(
    # TRACKPLAN_FUZZ_EXAMPLES=1000 for a deeper run than the suite's default
    max_examples=int(os.environ.get("TRACKPLAN_FUZZ_EXAMPLES", "120")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(_pair(), st.booleans(), st.sampled_from(_POLICIES), st.data())
def test_random_plan_pairs_are_answered_soundly(
    pair: tuple[dict[str, Any], dict[str, Any]],
    lenient: bool,
    policy: RulePolicy,
    data: st.DataObject,
) -> None:
    with tempfile.TemporaryDirectory() as raw:
        old = _load(pair[0], Path(raw), "old")
        new = _load(pair[1], Path(raw), "new")
        if old is None or new is None:
            return
        diff = diff_plans(old, new, policy=policy, assume_open_properties_unused=lenient)
        registries = {"backward": (old, new), "forward": (new, old)}
        for issue in diff.incompatibilities:
            if issue.proven:
                src, dst = registries[issue.direction]
                assert Registry.from_plan(src, policy).validate(issue.witness).valid
                assert not Registry.from_plan(dst, policy).validate(issue.witness).valid
        for direction, (src_plan, dst_plan) in registries.items():
            if not diff.compatible(direction):
                continue
            src, dst = Side(src_plan, policy), Registry.from_plan(dst_plan, policy)
            for name in event_names(src_plan, dst_plan):
                if src.schema(name)[0] is None:
                    continue
                section, person = _section(src_plan, name, lenient)
                for _ in range(3):
                    payload: dict[str, Any] = {
                        "event": name,
                        "distinct_id": WITNESS_DISTINCT_ID,
                        "properties": data.draw(from_schema(section)),
                    }
                    if data.draw(st.booleans()):
                        payload["$set"] = data.draw(from_schema(person))
                    if src.valid(payload):
                        assert dst.validate(payload).valid, (direction, payload)
