"""PostHog's own names and the generic distinct ids: Python check and schema agree."""

from __future__ import annotations

import pytest
from trackplan.registry.posthog_names import (
    CASE_INSENSITIVE_GENERIC_IDS,
    EXACT_GENERIC_IDS,
    generic_distinct_id_reason,
    is_posthog_event,
    is_reserved_property,
)
from trackplan.registry.validation import Registry

GENERIC = [
    *CASE_INSENSITIVE_GENERIC_IDS,
    *(v.upper() for v in CASE_INSENSITIVE_GENERIC_IDS),
    *EXACT_GENERIC_IDS,
    *(f'"{v}"' for v in EXACT_GENERIC_IDS),
    *(f"'{v}'" for v in CASE_INSENSITIVE_GENERIC_IDS),
    "Distinct_ID",
]
NOT_GENERIC = [
    "user-42",
    "NULL",
    "Nan",
    "nulls",
    "guest2",
    "'guest\"",
    "guest\n",
    "\u212aey",
    "00",
    " id",
]


@pytest.mark.parametrize("value", GENERIC)
def test_generic_ids_are_refused_by_both_checks(registry: Registry, value: str) -> None:
    assert generic_distinct_id_reason(value) is not None
    result = registry.validate({"event": "$pageview", "distinct_id": value})
    assert [d.code for d in result.violations] == ["TP302"]


@pytest.mark.parametrize("value", NOT_GENERIC)
def test_ordinary_ids_pass_both_checks(registry: Registry, value: str) -> None:
    assert generic_distinct_id_reason(value) is None
    assert registry.validate({"event": "$pageview", "distinct_id": value}).violations == ()


def test_posthog_names() -> None:
    assert is_posthog_event("$pageview") and is_posthog_event("$anything_new")
    assert is_posthog_event("survey sent") and not is_posthog_event("user_signed_up")
    assert is_reserved_property("$current_url") and not is_reserved_property("current_url")
