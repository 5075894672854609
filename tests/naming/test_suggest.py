"""``trackplan.registry.suggest``: the one "did you mean" every surface asks."""

from __future__ import annotations

from trackplan.registry.suggest import closest, closest_event, loose


def test_loose_folds_case_separators_and_camel_case() -> None:
    assert loose("Signed Up") == "signed_up"
    assert loose("signedUp") == "signed_up"
    assert loose("order-created:v2.beta") == "order_created_v2_beta"


def test_closest_event_matches_after_folding_and_returns_the_planned_spelling() -> None:
    table = {loose(name): name for name in ("user_signed_up", "order_created")}
    assert closest_event("userSignedUp", table) == "user_signed_up"
    assert closest_event("Order Created", table) == "order_created"
    assert closest_event("file_exported", table) is None


def test_closest_respects_the_cutoff() -> None:
    assert closest("selct", ["select", "ignore"]) == "select"
    assert closest("xyz", ["select", "ignore"]) is None
    assert closest("selct", ["select"], cutoff=0.95) is None


def test_a_huge_name_is_answered_at_once() -> None:
    # difflib's quick ratios reject a 1 MB name against short ones before any quadratic work
    table = {loose(name): name for name in ("user_signed_up", "order_created")}
    assert closest_event("x" * 1_000_000, table) is None
