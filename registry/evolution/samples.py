"""Concrete JSON values for a JSON Schema fragment: samples inside it, near misses outside.

Witnesses are *found*, never assumed: this module proposes candidate values (from a
schema's own constants, bounds, lengths, formats and patterns, plus a fixed pool of
values of every type) and :func:`accepts` decides, with the same jsonschema-rs engine
and options payload validation uses, which side of a schema each candidate falls on.
A candidate that is wrong costs nothing; only a checked candidate becomes a witness.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from trackplan.registry.compiler import DIALECT, build_validator

__all__ = ["SEARCH_BUDGET", "accepts", "candidates", "find", "near_misses", "sample"]

_MAX_DEPTH = 4
_GENERIC: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    1,
    -1,
    0.5,
    -2.5,
    10**6,
    "",
    "x",
    "0",
    "trackplan",
    [],
    {},
)

_FORMAT_SAMPLES: dict[str, tuple[str, ...]] = {
    "date": ("2024-01-31",),
    "date-time": ("2024-01-31T12:00:00Z",),
    "time": ("12:00:00Z",),
    "email": ("someone@example.com",),
    "hostname": ("example.com",),
    "ipv4": ("192.0.2.1",),
    "ipv6": ("2001:db8::1",),
    "uri": ("https://example.com/a",),
    "uri-reference": ("/a/b",),
    "uuid": ("123e4567-e89b-12d3-a456-426614174000",),
}
_ALL_FORMAT_SAMPLES = tuple(s for values in _FORMAT_SAMPLES.values() for s in values)


def _key(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True, default=str)


@lru_cache(maxsize=4096)
def _validator(key: str) -> Any:
    schema = json.loads(key)
    document = {"$schema": DIALECT, **schema} if isinstance(schema, dict) else schema
    return build_validator(document)


# Validators by schema object identity (the entry keeps the object alive, so its id
# cannot be reused): serialising a large schema for every value would dominate.
_BY_ID: dict[int, tuple[Any, Any]] = {}


def _validator_of(schema: Any) -> Any:
    entry = _BY_ID.get(id(schema))
    if entry is not None and entry[0] is schema:
        return entry[1]
    validator = _validator(_key(schema))
    if len(_BY_ID) > 4096:
        _BY_ID.clear()
    _BY_ID[id(schema)] = (schema, validator)
    return validator


def accepts(schema: Any, value: Any) -> bool:
    """True when ``value`` is valid under the fragment ``schema`` (engine of validate)."""
    try:
        return bool(_validator_of(schema).is_valid(value))
    except Exception:  # a value the engine cannot take is not in any schema we compare
        return False


#: How many candidates one witness search may try: a bound on hostile (wide, deep) specs;
#: running out only means "cannot prove", never a wrong answer.
SEARCH_BUDGET = 600


def find(inside: Any, outside: Any, pool: Iterator[Any]) -> tuple[bool, Any]:
    """The first value of ``pool`` valid under ``inside`` and invalid under ``outside``."""
    seen: set[str] = set()
    for tried, value in enumerate(pool):
        if tried >= SEARCH_BUDGET:
            break
        marker = _key(value)
        if marker in seen:
            continue
        seen.add(marker)
        if accepts(inside, value) and not accepts(outside, value):
            return True, value
    return False, None


def sample(schema: Any) -> tuple[bool, Any]:
    """A value valid under ``schema`` (``(False, None)`` when none was found)."""
    found, text = _sample(_key(schema))
    return (True, json.loads(text)) if found else (False, None)


@lru_cache(maxsize=4096)
def _sample(key: str) -> tuple[bool, str]:
    schema = json.loads(key)
    for tried, value in enumerate(candidates(schema)):
        if tried >= SEARCH_BUDGET:
            break
        if accepts(schema, value):
            return True, json.dumps(value)
    return False, ""


def _types(schema: dict[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [t for t in declared if isinstance(t, str)]
    return ["string", "integer", "number", "boolean", "null", "object", "array"]


def candidates(schema: Any, depth: int = 0) -> Iterator[Any]:
    """Values likely (not certainly) valid under ``schema``, most specific first."""
    if schema is True or schema == {}:
        yield from _GENERIC
        return
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        yield from _GENERIC
        return
    if "const" in schema:
        yield schema["const"]
    if isinstance(schema.get("enum"), list):
        yield from schema["enum"]
    for key in ("anyOf", "oneOf", "allOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            base = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf", "allOf")}
            for branch in branches:
                if isinstance(branch, dict):
                    yield from candidates({**base, **branch}, depth + 1)
    for kind in _types(schema):
        yield from _typed(schema, kind, depth)
    yield from _GENERIC


def _typed(schema: dict[str, Any], kind: str, depth: int) -> Iterator[Any]:
    if kind == "null":
        yield None
    elif kind == "boolean":
        yield from (True, False)
    elif kind in ("integer", "number"):
        yield from _numbers(schema, kind == "integer")
    elif kind == "string":
        yield from _strings(schema)
    elif kind == "array":
        yield from _arrays(schema, depth)
    elif kind == "object":
        yield from _objects(schema, depth)


def _bounds(schema: dict[str, Any]) -> list[float]:
    found: list[float] = []
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        value = schema.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            found.append(value)
    return found


def _numbers(schema: dict[str, Any], integer: bool) -> Iterator[Any]:
    step = schema.get("multipleOf")
    points = _bounds(schema) or [0]
    for point in points:
        if not math.isfinite(point):
            continue
        near = [point, point + 1, point - 1, math.ceil(point), math.floor(point)]
        if not integer:
            near += [point + 0.5, point - 0.5]
        if isinstance(step, (int, float)) and step > 0:
            base = math.ceil(point / step) * step
            near += [base, base + step, base - step]
        for value in near:
            if integer and value == int(value):
                yield int(value)
            elif not integer:
                yield value
    yield from (0, 1, -1, 100) if integer else (0, 1, 0.5, -0.5, 1.5)


def _strings(schema: dict[str, Any]) -> Iterator[str]:
    fmt = schema.get("format")
    if isinstance(fmt, str):
        yield from _FORMAT_SAMPLES.get(fmt, ())
    pattern = schema.get("pattern")
    lo = schema.get("minLength", 0)
    hi = schema.get("maxLength")
    if isinstance(pattern, str):
        for text in pattern_samples(pattern):
            yield text
            if isinstance(lo, int) and len(text) < lo:
                yield text + "a" * (lo - len(text))
    if isinstance(lo, int):
        yield "a" * lo
        yield "0" * lo
    if isinstance(hi, int):
        yield "a" * hi
    yield from ("a", "abc", "0")


def _arrays(schema: dict[str, Any], depth: int) -> Iterator[Any]:
    items = schema.get("items", True)
    lo = schema.get("minItems", 0) if isinstance(schema.get("minItems"), int) else 0
    found, item = sample(items) if depth < _MAX_DEPTH else (False, None)
    prefix = schema.get("prefixItems")
    head: list[Any] = []
    if isinstance(prefix, list):
        for sub in prefix:
            ok, value = sample(sub) if depth < _MAX_DEPTH else (False, None)
            if not ok:
                break
            head.append(value)
    yield head
    if found:
        yield [*head, item]
        yield [*head] + [item] * max(lo - len(head), 0)
    yield []


def _objects(schema: dict[str, Any], depth: int) -> Iterator[Any]:
    properties = schema.get("properties")
    required = schema.get("required")
    props = properties if isinstance(properties, dict) else {}
    obj: dict[str, Any] = {}
    for name in required if isinstance(required, list) else []:
        sub = props.get(name, schema.get("additionalProperties", True))
        ok, value = sample(sub) if depth < _MAX_DEPTH else (False, None)
        obj[str(name)] = value if ok else None
    yield obj
    yield {}


def near_misses(schema: Any, depth: int = 0) -> Iterator[Any]:
    """Values likely just *outside* ``schema``: past its bounds, wrong types, odd keys."""
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        yield from _GENERIC
        return
    for point in _bounds(schema):
        if math.isfinite(point):
            yield from (point - 1, point + 1, point - 0.5, point + 0.5, point)
            yield from (int(point) - 1, int(point) + 1)
    step = schema.get("multipleOf")
    if isinstance(step, (int, float)) and step > 0:
        yield from (step / 2, step * 1.5, step + 1)
    for key, delta in (("minLength", -1), ("maxLength", 1)):
        value = schema.get(key)
        if isinstance(value, int):
            yield "a" * max(value + delta, 0)
    if isinstance(schema.get("pattern"), str) or isinstance(schema.get("format"), str):
        yield from ("", " ", "!", "not valid", "a", "0", "A_Z", *_ALL_FORMAT_SAMPLES)
    enum = schema.get("enum")
    if isinstance(enum, list):
        for value in enum:
            if isinstance(value, str):
                yield value + "_x"
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                yield value + 1
    if "const" in schema and isinstance(schema["const"], str):
        yield schema["const"] + "_x"
    yield from _object_misses(schema, depth)
    yield from _array_misses(schema, depth)
    yield from (1.5, 2**53, -(2**53), "1", "true", [None], [1, 1], {"a": 1}, {"": None})
    yield from _GENERIC


def _object_misses(schema: dict[str, Any], depth: int) -> Iterator[Any]:
    props = schema.get("properties")
    if not isinstance(props, dict):
        return
    found, base = sample(schema)
    if not found or not isinstance(base, dict):
        base = {}
    for name, sub in props.items():
        for miss in _limited(near_misses(sub, depth + 1), 12):
            yield {**base, name: miss}
    yield {**base, "trackplan_extra": 1}
    for name in list(base):
        yield {k: v for k, v in base.items() if k != name}


def _array_misses(schema: dict[str, Any], depth: int) -> Iterator[Any]:
    items = schema.get("items")
    if isinstance(items, dict):
        for miss in _limited(near_misses(items, depth + 1), 12):
            yield [miss]
    found, item = sample(items if items is not None else True)
    if found:
        yield [item, item]
        for key, delta in (("minItems", -1), ("maxItems", 1)):
            value = schema.get(key)
            if isinstance(value, int) and value + delta >= 0:
                yield [item] * (value + delta)


def _limited(values: Iterator[Any], limit: int) -> Iterator[Any]:
    for number, value in enumerate(values):
        if number >= limit:
            return
        yield value


# -- regex samples ------------------------------------------------------------------------

_CATEGORY_CHARS = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": " ",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
}


def _sre_parse() -> Any:
    try:
        import re._parser as parser  # type: ignore[import-not-found,unused-ignore]

        return parser
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse  # type: ignore[import-not-found,unused-ignore]

        return sre_parse


@lru_cache(maxsize=1024)
def pattern_samples(pattern: str) -> tuple[str, ...]:
    """A few strings the regex matches (best effort; each is checked by the caller)."""
    try:
        parsed = _sre_parse().parse(pattern)
    except Exception:
        return ()
    out: list[str] = []
    for variant in range(4):
        try:
            text = _render(parsed, variant)
        except Exception:
            continue
        out.extend((text, text + "a", "a" + text))
    if re.search(r"\$$", pattern) is None:
        out.append("zz")
    return tuple(dict.fromkeys(out))


def _render(parsed: Any, variant: int) -> str:
    parts: list[str] = []
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL":
            parts.append(chr(arg))
        elif name == "NOT_LITERAL":
            parts.append("a" if chr(arg) != "a" else "b")
        elif name == "ANY":
            parts.append("a")
        elif name == "IN":
            parts.append(_class_char(arg, variant))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = arg
            count = lo if variant % 2 == 0 else min(max(lo, 1) + 1, hi if hi < 1 << 16 else lo + 2)
            parts.append("".join(_render(sub, variant) for _ in range(count)))
        elif name == "SUBPATTERN":
            parts.append(_render(arg[-1], variant))
        elif name == "BRANCH":
            branches = arg[1]
            parts.append(_render(branches[min(variant, len(branches) - 1)], variant))
        elif name == "AT":
            continue
        elif name == "CATEGORY":
            parts.append(_CATEGORY_CHARS.get(str(arg), "a"))
        else:
            raise ValueError(name)
    return "".join(parts)


def _class_char(items: Any, variant: int) -> str:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    chars: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            chars.append(chr(arg))
        elif name == "RANGE":
            chars.extend((chr(arg[0]), chr(arg[1])))
        elif name == "CATEGORY":
            chars.append(_CATEGORY_CHARS.get(str(arg), "a"))
    if negate:
        for candidate in "a0 _-Z!":
            if candidate not in chars:
                return candidate
        return "~"
    if not chars:
        return "a"
    return chars[min(variant, len(chars) - 1)]
