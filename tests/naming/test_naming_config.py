"""`Naming.from_config`: presets, overrides, and clear errors for bad `naming:` values."""

from __future__ import annotations

from typing import Any

import pytest
from trackplan.registry.naming import (
    POSTHOG_VERBS,
    EventNaming,
    Naming,
    NamingConfigError,
    PropertyNaming,
)


def test_absent_naming_means_the_documented_defaults() -> None:
    naming = Naming.from_config(None)
    assert naming == Naming()
    assert naming.events == EventNaming("snake_case", "object_verb", "past", (), None)
    assert naming.properties == PropertyNaming("snake_case")


def test_the_issue_plan_defaults_written_out_equal_the_defaults() -> None:
    raw = {
        "events": {"case": "snake_case", "grammar": "object_verb", "tense": "past"},
        "properties": {"case": "snake_case"},
    }
    assert Naming.from_config(raw) == Naming()


def test_posthog_preset_is_posthogs_best_practices() -> None:
    naming = Naming.from_config("posthog")
    assert naming.events.case == "snake_case"
    assert naming.events.grammar == "category:object_action"
    assert naming.events.tense == "present"
    assert naming.events.allowed_verbs == POSTHOG_VERBS
    assert set(POSTHOG_VERBS) == {
        "click", "submit", "create", "view", "add", "invite", "update", "delete",
        "remove", "start", "end", "cancel", "fail", "generate", "send",
    }  # fmt: skip
    assert naming.properties.case == "snake_case"


def test_preset_in_a_mapping_is_overridden_key_by_key() -> None:
    naming = Naming.from_config(
        {"preset": "posthog", "events": {"tense": "past"}, "properties": {"case": "camelCase"}}
    )
    assert naming.events.grammar == "category:object_action"
    assert naming.events.tense == "past"
    assert naming.events.allowed_verbs == POSTHOG_VERBS
    assert naming.properties.case == "camelCase"


def test_allowed_verbs_null_lifts_the_preset_restriction() -> None:
    naming = Naming.from_config({"preset": "posthog", "events": {"allowed_verbs": None}})
    assert naming.events.allowed_verbs is None


def test_verbs_are_normalised_to_lower_case_tuples() -> None:
    naming = Naming.from_config({"events": {"verbs": ["Onboard", " upsell   upsold "]}})
    assert naming.events.verbs == ("onboard", "upsell upsold")


def test_configurations_are_hashable_for_caching() -> None:
    naming = Naming.from_config({"events": {"verbs": ["onboard"], "allowed_verbs": ["create"]}})
    assert hash(naming.events) == hash(Naming.from_config(dict(events=dict(
        verbs=["onboard"], allowed_verbs=["create"]))).events)  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("camel", "unknown naming preset 'camel'"),
        (42, "naming must be a preset name"),
        ({"event": {}}, "unknown key 'event' in naming"),
        ({"preset": "nope"}, "unknown naming preset 'nope'"),
        ({"events": {"case": "SCREAMING"}}, "naming.events.case must be one of"),
        ({"events": {"grammar": "subject_verb"}}, "naming.events.grammar must be one of"),
        ({"events": {"tense": "future"}}, "naming.events.tense must be one of"),
        ({"events": {"mood": "past"}}, "unknown key 'mood' in naming.events"),
        ({"events": {"verbs": "onboard"}}, "naming.events.verbs must be a list"),
        ({"events": {"verbs": ["on-board"]}}, "naming.events.verbs entries must be"),
        ({"events": {"verbs": ["a b c d"]}}, "naming.events.verbs entries must be"),
        ({"events": {"allowed_verbs": []}}, "naming.events.allowed_verbs must name at least"),
        ({"events": []}, "naming.events must be a mapping"),
        ({"properties": {"case": "Sentence case"}}, "naming.properties.case must be one of"),
        ({"properties": {"grammar": "none"}}, "unknown key 'grammar' in naming.properties"),
    ],
)
def test_bad_naming_values_raise_a_config_error_naming_the_key(raw: Any, fragment: str) -> None:
    with pytest.raises(NamingConfigError) as caught:
        Naming.from_config(raw)
    assert fragment in str(caught.value)
    assert isinstance(caught.value, ValueError)
