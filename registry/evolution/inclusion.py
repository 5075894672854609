"""Sound inclusion between two JSON Schema fragments: is every value of A a value of B?

:func:`compare` answers with a :class:`Verdict`:

- ``yes``: proved (by the rules below), never guessed;
- ``no``: a *witness* value was found that the engine accepts under A and refuses
  under B (checked with :func:`~trackplan.registry.evolution.samples.accepts`);
- ``unknown``: neither; callers treat it as incompatible ("cannot prove").

Proof rules, per JSON type of A: the type must be allowed by B (``integer`` inside
``number``); numeric ranges (integer ranges normalised, so ``exclusiveMinimum: 0``
equals ``minimum: 1`` on integers) and ``multipleOf`` divisibility; string length
ranges, identical ``pattern``/``format`` (a different regex is "cannot prove" unless a
witness string is found); array ``items`` recursively, item counts, ``uniqueItems``;
objects key by key (declared keys, ``patternProperties``, ``additionalProperties``,
``required``, key counts). A finite A (``const``, ``enum``, booleans, null) is decided
exactly by validating each value under B. Keywords this module does not model are
dropped from A (that only makes A larger, so a proof stays valid) and, on B, must
appear identically in A or the answer is not "yes".
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from trackplan.registry.evolution.samples import (
    accepts,
    candidates,
    find,
    near_misses,
    sample,
)

__all__ = ["ANNOTATIONS", "Verdict", "canonical", "compare", "key_schema", "other_key_classes"]

#: Keywords that never change validity.
ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "$comment",
        "default",
        "examples",
        "readOnly",
        "writeOnly",
        "deprecated",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
    }
)
_NUMERIC = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_STRING = ("minLength", "maxLength", "pattern", "format")
_ARRAY = ("items", "prefixItems", "minItems", "maxItems", "uniqueItems")
_OBJECT = (
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "minProperties",
    "maxProperties",
)
_MODELLED = frozenset({"type", "enum", "const", *_NUMERIC, *_STRING, *_ARRAY, *_OBJECT})
_ALL_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")
_DOLLAR = "^\\$"
#: Integer ranges up to this many values are decided value by value.
_FINITE_RANGE = 256


@dataclass(frozen=True)
class Verdict:
    """The answer to "is A included in B": ``yes``, ``no`` (with a witness) or ``unknown``."""

    kind: Literal["yes", "no", "unknown"]
    witness: Any = None
    reason: str = ""
    details: tuple[str, ...] = field(default=())

    @property
    def included(self) -> bool:
        return self.kind == "yes"


YES = Verdict("yes")


def canonical(schema: Any) -> Any:
    """``schema`` without annotations, ``{}`` as ``True``, keys sorted (for equality)."""
    if isinstance(schema, dict):
        out = {
            k: _canonical_value(k, v)
            for k, v in sorted(schema.items())
            if k not in ANNOTATIONS and not k.startswith("x-")
        }
        return out if out else True
    return schema


def _canonical_value(key: str, value: Any) -> Any:
    if key in ("properties", "patternProperties", "dependentSchemas") and isinstance(value, dict):
        return {k: canonical(v) for k, v in sorted(value.items())}
    if key in ("anyOf", "oneOf", "allOf", "prefixItems") and isinstance(value, list):
        return [canonical(v) for v in value]
    if key in ("items", "additionalProperties", "not", "if", "then", "else", "contains"):
        return canonical(value)
    if key in ("propertyNames", "unevaluatedItems", "unevaluatedProperties"):
        return canonical(value)
    if key == "required" and isinstance(value, list):
        return sorted(set(map(str, value)))
    if key == "type" and isinstance(value, list):
        return value[0] if len(value) == 1 else sorted(set(value))
    return value


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def compare(a: Any, b: Any) -> Verdict:
    """Is every value valid under ``a`` valid under ``b``?"""
    a, b = canonical(a), canonical(b)
    if b is True or a is False or _same(a, b):
        return YES
    gaps: list[str] = []
    hints: list[Any] = []
    if a is True or b is False:
        gaps.append(
            "no value is allowed any more"
            if b is False
            else "any value was allowed (an undeclared key or an empty spec)"
        )
    else:
        assert isinstance(a, dict) and isinstance(b, dict)
        _prove(a, b, gaps, hints)
    if not gaps:
        return YES
    found, witness = find(a, b, _pool(a, b, hints))
    if found:
        return Verdict("no", witness, gaps[0], tuple(gaps))
    return Verdict("unknown", None, "cannot prove: " + gaps[0], tuple(gaps))


def _pool(a: Any, b: Any, hints: list[Any]) -> Iterator[Any]:
    yield from hints
    yield from candidates(a)
    yield from near_misses(b)
    yield from near_misses(a)


def _finite(a: dict[str, Any]) -> list[Any] | None:
    if "const" in a:
        return [a["const"]]
    if isinstance(a.get("enum"), list):
        return list(a["enum"])
    types = _types(a)
    if types <= {"null", "boolean"}:
        return [v for v in (None, True, False) if ("null" if v is None else "boolean") in types]
    if types == {"integer"}:  # a short integer range is a finite set too
        low, high = _int_range(a)
        if math.isfinite(low) and math.isfinite(high) and high - low <= _FINITE_RANGE:
            return list(range(int(low), int(high) + 1))
    return None


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        declared = [declared]
    if not isinstance(declared, list):
        return set(_ALL_TYPES)
    found = set(declared)
    if "number" in found:
        found.add("integer")
    return found


def _prove(a: dict[str, Any], b: dict[str, Any], gaps: list[str], hints: list[Any]) -> None:
    finite = _finite(a)
    if finite is not None:
        for value in finite:
            if accepts(a, value) and not accepts(b, value):
                gaps.append(f"value {json.dumps(value)} is no longer allowed")
                hints.append(value)
        return
    for key in ("anyOf", "oneOf"):
        if key in a:
            _prove_branches(a, b, key, gaps, hints)
            return
    for key in ("anyOf", "oneOf"):
        if key in b and isinstance(b[key], list):
            if not _within_branches(a, b, key):
                gaps.append(f"cannot match the new `{key}` branches")
            return
    unmodelled = sorted(k for k in b if k not in _MODELLED and not _same(a.get(k), b[k]))
    if unmodelled:
        gaps.append(f"`{'`, `'.join(unmodelled)}` differ")
        return
    if "enum" in b or "const" in b:
        gaps.append("the new spec allows only listed values")
        return
    tb = _types(b)
    for kind in sorted(_types(a)):
        if kind not in tb:
            gaps.append(f"type `{kind}` is no longer allowed")
            continue
        if kind in ("integer", "number"):
            _numbers(a, b, kind == "integer", gaps)
        elif kind == "string":
            _strings(a, b, gaps)
        elif kind == "array":
            _arrays(a, b, gaps, hints)
        elif kind == "object":
            _objects(a, b, gaps, hints)


def _within_branches(a: dict[str, Any], b: dict[str, Any], key: str) -> bool:
    """``a`` inside ``anyOf`` (or a ``oneOf`` whose branches have disjoint types).

    Each JSON type of ``a`` may fall in a different branch, so ``type: [string, "null"]``
    is inside ``anyOf: [{type: string}, {type: "null"}]``.
    """
    base = {k: v for k, v in b.items() if k != key}
    branches = [_merge(base, branch) for branch in b[key]]
    if any(branch is None for branch in branches):
        return False
    if key == "oneOf" and not _disjoint_types(branches):
        return False
    if any(compare(a, branch).included for branch in branches):
        return True
    kinds = _types(a)
    if "number" in kinds:  # non-integers and integers are split below
        kinds.discard("integer")
    for kind in kinds:
        part = {**a, "type": kind}
        if not any(compare(part, branch).included for branch in branches):
            return False
    return True


def _disjoint_types(branches: list[Any]) -> bool:
    seen: set[str] = set()
    for branch in branches:
        if not isinstance(branch, dict) or "type" not in branch:
            return False
        kinds = _types(branch)
        if kinds & seen:
            return False
        seen |= kinds
    return True


def _merge(base: dict[str, Any], branch: Any) -> Any:
    if branch is True or branch == {}:
        return base or True
    if not isinstance(branch, dict):
        return None
    if set(base) & set(branch):
        return None
    return {**base, **branch}


def _prove_branches(
    a: dict[str, Any], b: dict[str, Any], key: str, gaps: list[str], hints: list[Any]
) -> None:
    branches = a[key] if isinstance(a[key], list) else []
    base = {k: v for k, v in a.items() if k not in ("anyOf", "oneOf")}
    for branch in branches:
        merged = _merge(base, branch)
        verdict = compare(merged if merged is not None else base or True, b)
        if not verdict.included:
            gaps.append(verdict.reason or "an alternative is not allowed")
            if verdict.kind == "no":
                hints.append(verdict.witness)


# -- numbers ---------------------------------------------------------------------------


def _num(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return None


def _lower(s: dict[str, Any]) -> tuple[float, bool] | None:
    """The tightest lower bound as (value, exclusive)."""
    found: list[tuple[float, bool]] = []
    if (v := _num(s.get("minimum"))) is not None:
        found.append((v, False))
    if (v := _num(s.get("exclusiveMinimum"))) is not None:
        found.append((v, True))
    return max(found, key=lambda p: (p[0], p[1])) if found else None


def _upper(s: dict[str, Any]) -> tuple[float, bool] | None:
    found: list[tuple[float, bool]] = []
    if (v := _num(s.get("maximum"))) is not None:
        found.append((v, False))
    if (v := _num(s.get("exclusiveMaximum"))) is not None:
        found.append((v, True))
    return min(found, key=lambda p: (p[0], not p[1])) if found else None


def _int_range(s: dict[str, Any]) -> tuple[float, float]:
    lo, hi = _lower(s), _upper(s)
    low = -math.inf if lo is None else (math.floor(lo[0]) + 1 if lo[1] else math.ceil(lo[0]))
    high = math.inf if hi is None else (math.ceil(hi[0]) - 1 if hi[1] else math.floor(hi[0]))
    return low, high


def _numbers(a: dict[str, Any], b: dict[str, Any], integer: bool, gaps: list[str]) -> None:
    if integer:
        alo, ahi = _int_range(a)
        blo, bhi = _int_range(b)
        if alo > ahi:
            return  # no integer in A
        if alo < blo or ahi > bhi:
            gaps.append("the allowed integer range is narrower")
    else:
        if not _lower_within(_lower(a), _lower(b)) or not _upper_within(_upper(a), _upper(b)):
            gaps.append("the allowed range is narrower")
    step_b = _num(b.get("multipleOf"))
    if step_b is not None:
        step_a = _num(a.get("multipleOf"))
        base = step_a if step_a is not None else (1 if integer else None)
        if base is None or not _divides(step_b, base):
            gaps.append(f"values must now be a multiple of {step_b}")


def _lower_within(a: tuple[float, bool] | None, b: tuple[float, bool] | None) -> bool:
    if b is None:
        return True
    if a is None:
        return False
    return a[0] > b[0] or (a[0] == b[0] and (a[1] or not b[1]))


def _upper_within(a: tuple[float, bool] | None, b: tuple[float, bool] | None) -> bool:
    if b is None:
        return True
    if a is None:
        return False
    return a[0] < b[0] or (a[0] == b[0] and (a[1] or not b[1]))


def _divides(step: float, value: float) -> bool:
    try:
        ratio = Fraction(str(value)) / Fraction(str(step))
    except (ValueError, ZeroDivisionError):
        return False
    return ratio.denominator == 1


# -- strings, arrays -------------------------------------------------------------------


def _count_range(s: dict[str, Any], lo_key: str, hi_key: str) -> tuple[float, float]:
    lo, hi = s.get(lo_key), s.get(hi_key)
    return (
        lo if isinstance(lo, int) and not isinstance(lo, bool) else 0,
        hi if isinstance(hi, int) and not isinstance(hi, bool) else math.inf,
    )


def _range_within(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] > a[1] or (a[0] >= b[0] and a[1] <= b[1])


def _strings(a: dict[str, Any], b: dict[str, Any], gaps: list[str]) -> None:
    if not _range_within(
        _count_range(a, "minLength", "maxLength"), _count_range(b, "minLength", "maxLength")
    ):
        gaps.append("the allowed length is narrower")
    if "pattern" in b and not _pattern_within(a.get("pattern"), b["pattern"]):
        gaps.append(f"values must now match pattern {b['pattern']}")
    if "format" in b and a.get("format") != b["format"]:
        gaps.append(f"values must now be a valid {b['format']}")


#: Patterns every string matches (a search succeeds with an empty match).
_MATCH_ALL = frozenset({"", ".*", "^.*", "^", "$", ".*$"})
_QUANTIFIERS = {"{1,}": "+", "{0,}": "*", "{0,1}": "?"}


def normalise_pattern(pattern: str) -> str:
    """The pattern with equivalent spellings unified (ECMA-262 ``\\d`` is ``[0-9]``)."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            if pair == "\\d":
                pair = "0-9" if in_class else "[0-9]"
            out.append(pair)
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            short = next(
                (s for spelled, s in _QUANTIFIERS.items() if pattern.startswith(spelled, i)), None
            )
            if short is not None:
                out.append(short)
                i += len(next(k for k, v in _QUANTIFIERS.items() if v == short))
                continue
        out.append(char)
        i += 1
    return "".join(out)


def _pattern_within(a: str | None, b: str) -> bool:
    """True when every string matching ``a`` (every string, when None) matches ``b``."""
    if b in _MATCH_ALL:
        return True
    return a is not None and normalise_pattern(a) == normalise_pattern(b)


def _arrays(a: dict[str, Any], b: dict[str, Any], gaps: list[str], hints: list[Any]) -> None:
    if not _same(a.get("prefixItems"), b.get("prefixItems")):
        gaps.append("`prefixItems` differ")
    if not _range_within(
        _count_range(a, "minItems", "maxItems"), _count_range(b, "minItems", "maxItems")
    ):
        gaps.append("the allowed number of items is narrower")
    unique_now = b.get("uniqueItems") is True and a.get("uniqueItems") is not True
    if unique_now and _count_range(a, "minItems", "maxItems")[1] > 1:
        gaps.append("items must now be unique")
    verdict = compare(a.get("items", True), b.get("items", True))
    if not verdict.included:
        gaps.append("items: " + verdict.reason)
        if verdict.kind == "no":
            hints.append([verdict.witness])


# -- objects ---------------------------------------------------------------------------


def key_schema(schema: dict[str, Any], key: str) -> Any:
    """What value ``key`` may have under the object ``schema`` (``allOf`` when several)."""
    parts: list[Any] = []
    props = schema.get("properties")
    declared = isinstance(props, dict) and key in props
    if isinstance(props, dict) and key in props:
        parts.append(props[key])
    matched = False
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict):
        for pattern, sub in patterns.items():
            if _matches(pattern, key):
                matched = True
                parts.append(sub)
    if not declared and not matched:
        parts.append(schema.get("additionalProperties", True))
    parts = [canonical(p) for p in parts if canonical(p) is not True]
    if not parts:
        return True
    if any(p is False for p in parts):
        return False
    return parts[0] if len(parts) == 1 else {"allOf": parts}


def _matches(pattern: str, key: str) -> bool:
    if pattern == _DOLLAR:
        return key.startswith("$")
    try:
        return re.search(pattern, key) is not None
    except re.error:
        return False


def other_key_classes(a: dict[str, Any], b: dict[str, Any], declared: set[str]) -> list[str] | None:
    """Representative undeclared keys, one per class the two schemas treat alike.

    None when the ``patternProperties`` of the two sides cannot be split into classes
    (different patterns other than trackplan's own ``^\\$``).
    """
    pa = a.get("patternProperties") or {}
    pb = b.get("patternProperties") or {}
    patterns = set(pa) | set(pb)
    if patterns - {_DOLLAR} and not _same(canonical(pa), canonical(pb)):
        return None
    keys = ["trackplan_other_key", "$trackplan_other_key"]
    out = []
    for key in keys:
        while key in declared or any(_matches(p, key) for p in patterns - {_DOLLAR}):
            key += "_"
        out.append(key)
    return out


def _objects(a: dict[str, Any], b: dict[str, Any], gaps: list[str], hints: list[Any]) -> None:
    if not _range_within(
        _count_range(a, "minProperties", "maxProperties"),
        _count_range(b, "minProperties", "maxProperties"),
    ):
        gaps.append("the allowed number of keys is narrower")
    found, base = sample(a)
    base = base if found and isinstance(base, dict) else {}
    req_a = set(a.get("required") or ())
    for name in sorted(set(b.get("required") or ()) - req_a):
        gaps.append(f"`{name}` is now required")
        hints.append({k: v for k, v in base.items() if k != name})
    declared = set(a.get("properties") or {}) | set(b.get("properties") or {})
    for key in sorted(declared):
        verdict = compare(key_schema(a, key), key_schema(b, key))
        if not verdict.included:
            gaps.append(f"`{key}`: {verdict.reason}")
            if verdict.kind == "no":
                hints.append({**base, key: verdict.witness})
    others = other_key_classes(a, b, declared)
    if others is None:
        gaps.append("`patternProperties` differ")
        return
    for key in others:
        verdict = compare(key_schema(a, key), key_schema(b, key))
        if not verdict.included:
            gaps.append(f"undeclared keys: {verdict.reason}")
            if verdict.kind == "no":
                hints.append({**base, key: verdict.witness})
