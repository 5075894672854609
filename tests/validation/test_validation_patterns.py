"""Plan regexes: refused constructs, ECMA `$` semantics, linear time on hostile input."""

from __future__ import annotations

import re

import pytest
from trackplan.registry.patterns import KNOWN_FORMATS, PATTERN_OPTIONS, pattern_error
from trackplan.registry.validation import Registry
from validation_helpers import event, single_property_plan

REFUSED = {
    "(?=a)b": "lookaround",
    "a(?!b)": "lookaround",
    "(?<=a)b": "lookaround",
    "(?<!a)b": "lookaround",
    r"(a)\1": "backreferences",
    r"(?P<x>a)(?P=x)": "backreferences",
    r"(?<x>a)\k<x>": "backreferences",
    "(?>a+)b": "atomic groups",
    "a++": "possessive",
    "(": "does not compile",
    "a{1000}{1000}": "does not compile",
    "(?:a{1000}){1000}": "linear-time regex engine",
    r"[[:alpha:]]": None,
}


@pytest.mark.parametrize("pattern", list(REFUSED))
def test_unsupported_patterns_are_refused_with_a_reason(pattern: str) -> None:
    why = pattern_error(pattern)
    expected = REFUSED[pattern]
    if expected is None:
        return  # accepted or refused, but never raising
    assert why is not None and expected in why


@pytest.mark.parametrize(
    "pattern",
    [
        "^[A-Z]{3}[0-9]{5}$",
        "^#[0-9]{4,}$",
        "^(a+)+$",
        r"\(?=literal",
        "[(?=]",
        r"^\d+\.\d+$",
        "(?:ab)*c",
    ],
)
def test_ordinary_and_escaped_patterns_are_accepted(pattern: str) -> None:
    assert pattern_error(pattern) is None


def test_pattern_options_is_the_linear_engine() -> None:
    assert type(PATTERN_OPTIONS).__name__ == "RegexOptions"


def test_dollar_matches_only_at_the_very_end() -> None:
    # Python `re` lets ^a$ match "a\n"; trackplan follows JSON Schema (ECMA-262): it does not.
    assert re.search("^a$", "a\n") is not None
    reg = Registry.from_plan(single_property_plan({"type": "string", "pattern": "^a$"}))
    assert reg.validate(event("thing_happened", {"value": "a"})).valid
    result = reg.validate(event("thing_happened", {"value": "a\n"}))
    assert [(d.code, d.pointer) for d in result.violations] == [("TP204", "/properties/value")]


def test_digit_class_is_ascii() -> None:
    reg = Registry.from_plan(single_property_plan({"type": "string", "pattern": r"^\d+$"}))
    assert reg.is_valid(event("thing_happened", {"value": "123"}))
    assert not reg.is_valid(event("thing_happened", {"value": "\u0663"}))  # Arabic-Indic three


def test_catastrophic_backtracking_pattern_is_linear() -> None:
    # ^(a+)+$ on 'a'*n + '!' takes exponential time in a backtracking engine; with the
    # linear engine 100k characters are instant, so this test finishing proves the point.
    assert pattern_error("^(a+)+$") is None
    reg = Registry.from_plan(single_property_plan({"type": "string", "pattern": "^(a+)+$"}))
    for n in (50, 100_000):
        hostile = event("thing_happened", {"value": "a" * n + "!"})
        assert not reg.is_valid(hostile)
        assert [d.code for d in reg.validate(hostile).violations] == ["TP204"]
    assert reg.is_valid(event("thing_happened", {"value": "a" * 100_000}))


def test_known_formats_is_the_documented_set() -> None:
    assert {"email", "date-time", "date", "uri", "uuid", "ipv4"} <= KNOWN_FORMATS
