"""The naming corpus (naming_cases.yaml): every case, grammar, tense and preset, with
passing names, failing names, their codes, suggestions and exact messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from trackplan.registry.naming import (
    Naming,
    check_event_name,
    check_property_name,
    suggest_event_name,
)

CORPUS = Path(__file__).with_name("naming_cases.yaml")


def _groups() -> list[dict[str, Any]]:
    groups = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    assert isinstance(groups, list)
    return groups


def _cases(kind: str, outcome: str) -> list[Any]:
    cases = []
    for group in _groups():
        section = group.get(kind, {})
        entries = section.get(outcome, [] if outcome == "pass" else {})
        items = entries if outcome == "pass" else list(entries.items())
        for item in items:
            name = item if outcome == "pass" else item[0]
            cases.append(
                pytest.param(group["naming"], item, id=f"{group['title']}: {name or '<empty>'}")
            )
    return cases


@pytest.mark.parametrize(("naming", "name"), _cases("events", "pass"))
def test_event_name_passes(naming: Any, name: str) -> None:
    rules = Naming.from_config(naming).events
    assert check_event_name(name, rules) == []
    assert suggest_event_name(name, rules) is None


@pytest.mark.parametrize(("naming", "case"), _cases("events", "fail"))
def test_event_name_fails_with_codes_suggestion_and_message(
    naming: Any, case: tuple[str, dict[str, Any]]
) -> None:
    name, expected = case
    rules = Naming.from_config(naming).events
    problems = check_event_name(name, rules)
    assert [problem.code for problem in problems] == expected["codes"]
    assert {problem.suggestion for problem in problems} == {expected["suggestion"]}
    assert suggest_event_name(name, rules) == expected["suggestion"]
    if "messages" in expected:
        assert [problem.message for problem in problems] == expected["messages"]
    if expected["suggestion"] is not None:
        # the suggestion itself conforms, and every message names it
        assert check_event_name(expected["suggestion"], rules) == []
        assert all(f"did you mean `{expected['suggestion']}`?" in p.message for p in problems)


@pytest.mark.parametrize(("naming", "name"), _cases("properties", "pass"))
def test_property_name_passes(naming: Any, name: str) -> None:
    assert check_property_name(name, Naming.from_config(naming).properties) == []


@pytest.mark.parametrize(("naming", "case"), _cases("properties", "fail"))
def test_property_name_fails_with_suggestion(naming: Any, case: tuple[str, dict[str, Any]]) -> None:
    name, expected = case
    problems = check_property_name(name, Naming.from_config(naming).properties)
    assert [problem.code for problem in problems] == expected["codes"]
    assert [problem.suggestion for problem in problems] == [expected["suggestion"]]
    if "messages" in expected:
        assert [problem.message for problem in problems] == expected["messages"]


def test_corpus_covers_every_case_grammar_tense_and_preset() -> None:
    seen: dict[str, set[str]] = {"case": set(), "grammar": set(), "tense": set(), "preset": set()}
    for group in _groups():
        naming = Naming.from_config(group["naming"])
        has_pass = bool(group.get("events", {}).get("pass"))
        has_fail = bool(group.get("events", {}).get("fail"))
        if not (has_pass and has_fail):
            continue
        seen["case"].add(naming.events.case)
        seen["grammar"].add(naming.events.grammar)
        seen["tense"].add(naming.events.tense)
        raw = group["naming"]
        seen["preset"].add(raw if isinstance(raw, str) else (raw or {}).get("preset", "default"))
    from trackplan.registry.naming import CASES, GRAMMARS, PRESETS, TENSES

    assert seen == {
        "case": set(CASES),
        "grammar": set(GRAMMARS),
        "tense": set(TENSES),
        "preset": set(PRESETS),
    }
