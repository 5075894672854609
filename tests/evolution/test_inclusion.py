"""``inclusion.compare`` on JSON Schema fragments: proofs, witnesses, and "cannot prove".

Every ``no`` answer's witness is re-checked here with the validation engine; every
``yes`` below is a true inclusion, and the ``unknown`` cases are the sound answer where
the prover does not decide.
"""

from __future__ import annotations

from typing import Any

import pytest
from trackplan.registry.evolution.inclusion import compare, normalise_pattern
from trackplan.registry.evolution.samples import accepts

YES: list[tuple[Any, Any]] = [
    ({"type": "integer"}, {"type": "number"}),
    ({"type": "integer", "exclusiveMinimum": 0}, {"type": "integer", "minimum": 1}),
    ({"type": "integer", "minimum": 0.5}, {"type": "integer", "minimum": 1}),
    ({"type": "number", "minimum": 1, "maximum": 2}, {"type": "number", "exclusiveMinimum": 0}),
    ({"type": "integer", "multipleOf": 10}, {"type": "integer", "multipleOf": 5}),
    ({"type": "number", "multipleOf": 0.1}, {"type": "number", "multipleOf": 0.05}),
    ({"enum": ["a", "b"]}, {"type": "string", "maxLength": 1}),
    ({"type": "boolean"}, {"enum": [True, False]}),
    ({"const": 3}, {"type": "integer", "minimum": 3}),
    ({"type": "integer", "minimum": 1, "maximum": 2}, {"enum": [1, 2]}),
    ({"type": "string", "minLength": 2, "maxLength": 3}, {"type": "string", "maxLength": 5}),
    ({"type": "string", "pattern": "^\\d+$"}, {"type": "string", "pattern": "^[0-9]{1,}$"}),
    ({"type": "string"}, {"type": "string", "pattern": ".*"}),
    ({"type": ["string", "null"]}, {"anyOf": [{"type": "string"}, {"type": "null"}]}),
    ({"type": ["string", "integer"]}, {"oneOf": [{"type": "string"}, {"type": "integer"}]}),
    ({"type": "array", "items": {"type": "integer"}, "uniqueItems": True}, {"type": "array"}),
    ({"type": "array", "maxItems": 1}, {"type": "array", "uniqueItems": True}),
    (
        {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]},
        {"type": "object", "properties": {"a": {"type": "number"}}},
    ),
    (
        {"type": "object", "properties": {"a": {}}, "additionalProperties": False},
        {"type": "object", "additionalProperties": {"type": "string"}, "properties": {"a": {}}},
    ),
    ({"type": "string", "minimum": 5}, {"type": "string"}),  # numeric keywords skip strings
    ({"title": "x", "description": "y"}, {}),
    (False, {"type": "null"}),
]

NO: list[tuple[Any, Any]] = [
    ({"type": "number"}, {"type": "integer"}),
    ({}, {"type": "string"}),
    ({"type": "integer", "minimum": 0}, {"type": "integer", "minimum": 1}),
    ({"enum": ["free", "pro", "team"]}, {"enum": ["free", "pro"]}),
    ({"type": "string"}, {"type": "string", "format": "email"}),
    ({"type": "string", "pattern": "^#[0-9]+$"}, {"type": "string", "pattern": "^#[0-9]{4}$"}),
    ({"type": "array"}, {"type": "array", "uniqueItems": True}),
    (
        {"type": "array", "items": {"type": "number"}},
        {"type": "array", "items": {"type": "integer"}},
    ),
    (
        {"type": "object", "properties": {"a": {"type": "string"}}},
        {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
    ),
    (
        {"type": "object", "properties": {"a": {"type": "string"}}},
        {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
    ),
    ({"type": "number"}, {"type": "number", "multipleOf": 0.01}),
    ({"type": "integer", "minimum": 1, "maximum": 3}, {"enum": [1, 2]}),
    ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, {"type": "string"}),
]

UNKNOWN: list[tuple[Any, Any]] = [
    ({"type": "string", "pattern": "^[0-9]+$"}, {"type": "string", "pattern": "^[0-9][0-9]*$"}),
    ({"type": "string"}, {"type": "string", "not": {"const": 5}}),
    ({"type": "number", "multipleOf": 1}, {"type": "integer"}),
]


@pytest.mark.parametrize(("a", "b"), YES)
def test_proved_inclusions(a: Any, b: Any) -> None:
    assert compare(a, b).kind == "yes"


@pytest.mark.parametrize(("a", "b"), NO)
def test_refuted_inclusions_have_a_checked_witness(a: Any, b: Any) -> None:
    verdict = compare(a, b)
    assert verdict.kind == "no", verdict
    assert accepts(a, verdict.witness) and not accepts(b, verdict.witness)


@pytest.mark.parametrize(("a", "b"), UNKNOWN)
def test_undecided_inclusions_say_cannot_prove(a: Any, b: Any) -> None:
    verdict = compare(a, b)
    assert verdict.kind == "unknown" and verdict.reason.startswith("cannot prove")


def test_a_wide_deep_spec_without_witness_ends_in_cannot_prove() -> None:
    def nested(depth: int) -> dict[str, Any]:
        if depth == 0:
            return {"type": "string", "pattern": "^[a-z]+$"}
        return {"type": "object", "properties": {f"p{i}": nested(depth - 1) for i in range(15)}}

    verdict = compare(nested(3), {**nested(3), "not": {"const": 1}})
    assert verdict.kind == "unknown"


@pytest.mark.parametrize(
    ("pattern", "normal"),
    [
        ("^\\d+$", "^[0-9]+$"),
        ("[\\d_]", "[0-9_]"),
        ("^\\\\d$", "^\\\\d$"),
        ("a{0,1}b{1,}c{0,}", "a?b+c*"),
        ("[{1,}]", "[{1,}]"),
    ],
)
def test_pattern_spellings(pattern: str, normal: str) -> None:
    assert normalise_pattern(pattern) == normal
