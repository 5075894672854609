"""The naming contract other parts call: suggestions, collision keys, exemptions, codes,
robustness on arbitrary text, speed, and the real `trackplan check` CLI on plan files."""

from __future__ import annotations

import subprocess
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from suite_support import run_cli
from trackplan.registry.naming import (
    CASES,
    GRAMMARS,
    TENSES,
    EventNaming,
    NameProblem,
    Naming,
    PropertyNaming,
    check_event_name,
    check_property_name,
    normalise_name,
    suggest_event_name,
)
from trackplan.registry.rules import catalogue

PLANS = Path(__file__).with_name("plans")
DEFAULTS = EventNaming()


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("started_trial", "trial_started"),
        ("viewed_content", "content_viewed"),
        ("userSignedUp", "user_signed_up"),
        ("User Signed Up", "user_signed_up"),
        ("trial_start", "trial_started"),
        ("purchase", None),
        ("signup_button", None),
        ("clicked", None),
        ("user_signed_up", None),  # already fine: nothing to suggest
        ("$pageview", None),
    ],
)
def test_suggest_event_name_contract_examples(name: str, suggestion: str | None) -> None:
    assert suggest_event_name(name, DEFAULTS) == suggestion


def test_normalise_name_ignores_case_and_separators() -> None:
    keys = {
        normalise_name(name)
        for name in (
            "user_signed_up",
            "userSignedUp",
            "User Signed Up",
            "user-signed-up",
            "USER.SIGNED.UP",
        )
    }
    assert keys == {"usersignedup"}
    assert normalise_name("signup_flow:page_view") == normalise_name("signup_flow_page_view")
    assert normalise_name("$pageview") != normalise_name("pageview")
    assert normalise_name("user_signed_up") != normalise_name("user_signed_out")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("grammar", GRAMMARS)
def test_posthog_names_are_exempt_under_every_convention(case: str, grammar: str) -> None:
    rules = Naming.from_config({"events": {"case": case, "grammar": grammar}})
    for name in ("$pageview", "$identify", "survey sent", "survey shown", "survey dismissed"):
        assert check_event_name(name, rules.events) == []
    props = Naming.from_config({"properties": {"case": case}}).properties
    assert check_property_name("$current_url", props) == []


def test_name_problems_are_frozen_and_use_catalogue_codes() -> None:
    problem = check_event_name("startedTrial", DEFAULTS)[0]
    assert isinstance(problem, NameProblem)
    with pytest.raises(FrozenInstanceError):
        problem.code = "TP999"  # type: ignore[misc]
    rules = catalogue()
    assert {"TP101", "TP102", "TP103"} <= set(rules)
    assert rules["TP101"].slug == "event-name-case"
    assert rules["TP103"].slug == "property-name-case"


_CONFIGS = [
    EventNaming(case=case, grammar=grammar, tense=tense)
    for case in CASES
    for grammar in GRAMMARS
    for tense in TENSES
] + [Naming.from_config("posthog").events]


@settings(max_examples=300, deadline=None)
@given(name=st.text(max_size=40), index=st.integers(0, len(_CONFIGS) - 1))
def test_any_text_gets_problems_never_an_exception(name: str, index: int) -> None:
    rules = _CONFIGS[index]
    problems = check_event_name(name, rules)
    assert all(p.code in ("TP101", "TP102") for p in problems)
    suggestion = suggest_event_name(name, rules)
    if suggestion is not None:
        assert problems, "a suggestion only for a name with problems"
        assert check_event_name(suggestion, rules) == []
    for problem in check_property_name(name, PropertyNaming(rules.case)):
        assert problem.code == "TP103"


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            ["user", "signed", "up", "trial", "started", "view", "viewed", "order", "reset",
             "page", "pricing", "sent", "invite", "created", "project", "click", "v2"]
        ),
        min_size=1,
        max_size=5,
    ),
    index=st.integers(0, len(_CONFIGS) - 1),
)  # fmt: skip
def test_suggestions_of_word_salads_always_conform(words: list[str], index: int) -> None:
    rules = _CONFIGS[index]
    for name in ("_".join(words), " ".join(words), "signup:" + "_".join(words)):
        suggestion = suggest_event_name(name, rules)
        if suggestion is not None:
            assert check_event_name(suggestion, rules) == []
            assert suggest_event_name(suggestion, rules) is None


def test_checking_a_large_plans_names_finds_nothing_wrong_in_good_names() -> None:
    """A 500-event x 10-property plan's worth of good names passes (timed by the bench)."""
    events = [f"object{i}_item{i % 7}_created" for i in range(500)]
    properties = [f"property{i}_value" for i in range(5000)]
    for name in events:
        assert check_event_name(name, DEFAULTS) == []
    for name in properties:
        assert check_property_name(name, PropertyNaming()) == []


def _check(plan: str) -> subprocess.CompletedProcess[str]:
    return run_cli("check", plan, cwd=PLANS, timeout=60)


def test_cli_check_reports_default_naming_problems_at_their_lines() -> None:
    plan = "naming_defaults.yaml"
    result = _check(plan)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    expected = [
        (f"{plan}:5:7: TP103 ", "`signupMethod` is not snake_case", "`signup_method`"),
        (f"{plan}:6:3: TP101 ", "event name `userLoggedIn` is not snake_case", "`user_logged_in`"),
        (f"{plan}:7:3: TP102 ", "the verb `started` comes before its object", "`trial_started`"),
        (f"{plan}:8:3: TP102 ", "it has no object before the verb `purchase`", ""),
        (f"{plan}:9:3: TP102 ", "`button` is a base form", ""),
    ]  # fmt: skip
    assert len(lines) == len(expected), result.stdout
    for line, (prefix, text, suggestion) in zip(lines, expected, strict=True):
        assert line.startswith(prefix), line
        assert text in line and suggestion in line, line


def test_cli_check_applies_the_posthog_preset() -> None:
    plan = "naming_posthog.yaml"
    result = _check(plan)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    expected = [
        (f"{plan}:7:7: TP103 ", "`isAnnual`", "`is_annual`"),
        (f"{plan}:8:3: TP102 ", "`viewed` is a past form", "`signup_flow:pricing_page_view`"),
        (f"{plan}:9:3: TP102 ", "exactly one `:`", ""),
        (f"{plan}:10:3: TP101 ", "on each side of `:`", "`signup_flow:plan_click`"),
    ]  # fmt: skip
    assert len(lines) == len(expected), result.stdout
    for line, (prefix, text, suggestion) in zip(lines, expected, strict=True):
        assert line.startswith(prefix), line
        assert text in line and suggestion in line, line
