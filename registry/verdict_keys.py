"""Keys for invalid verdicts: what decides a payload's violations, found with clean checks.

The engine's error objects are most of an invalid payload's cost (each costs several
times a clean ``is_valid``), and an invalid-heavy stream repeats the same few mistakes
with other values. :class:`VerdictKeys` computes, with clean checks only, a key such
that two payloads with equal keys have exactly the same violations; the
:class:`~trackplan.registry.validation.Registry` keeps one verdict per key.

Contract: ``VerdictKeys(max_pattern_input, fallback_schema).key(entry_name, schema,
payload)`` for a payload dict whose ``event`` names a planned event compiled to
``schema`` (``entry_name`` = that name) or the fallback (``entry_name`` None) returns a
hashable key or None (no cheap key: validate in full). It may raise on hostile payloads
(keys whose ``__hash__`` raises): callers treat that as None.

What the compiled layout (:mod:`trackplan.registry.compiler`) checks, and so what the key
holds: the event name; the top-level and ``properties`` keys, in order (required
properties, closed events, where the distinct id is; the order is the order of TP203
findings); each declared property value that fails its own schema (a scalar: its type
and which of its schema's keywords fail, or the value itself when keywords do not
decide the message; a failing object or list: no key); the distinct id values when the
distinct-id check fails. Top-level ``$set``/``$set_once`` and declared strings over
:data:`LONG_VALUE` characters (rarely repeated; their pattern is not run twice) give no key.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from trackplan.registry.compiler import PERSON_KEYS, build_validator

__all__ = ["LONG_VALUE", "VerdictKeys"]

#: Declared string values longer than this give no key.
LONG_VALUE = 256

Check = Callable[[object], bool]

# Keywords whose errors on a scalar depend on more than pass/fail of the keyword.
_VALUE_KEYED = ("anyOf", "oneOf", "not", "if", "then", "else", "$ref", "$dynamicRef")
# Values whose violations are a function of the value alone.
_SCALARS = (str, int, float, bool, type(None))


def _always(_value: object) -> bool:
    return True


def _is_guard(item: object) -> bool:
    """True for a pattern length guard (see trackplan.registry.compiler.guard_patterns)."""
    return (
        isinstance(item, dict)
        and set(item) == {"if", "then", "else"}
        and isinstance(item["then"], dict)
        and set(item["then"]) == {"pattern"}
    )


def _exact(value: object) -> object:
    """A scalar as a key part: floats by repr (``-0.0`` is not ``0.0``, NaN is not equal
    to itself)."""
    return repr(value) if type(value) is float else value


class _Event:
    """Per compiled event: its declared property schemas and their checks, built lazily."""

    __slots__ = ("declared", "groups", "probes")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.declared: dict[str, Any] = schema["properties"]["properties"]["properties"]
        self.probes: dict[str, Check] = {}
        self.groups: dict[str, tuple[Check, ...] | None] = {}

    def probe(self, name: str) -> Check:
        """The check of one declared property's value."""
        check = self.probes.get(name)
        if check is None:
            sub = self.declared[name]
            check = _always if sub is True else build_validator(sub).is_valid
            self.probes[name] = check
        return check

    def keyword_checks(self, name: str) -> tuple[Check, ...] | None:
        """One check per keyword of a declared property's schema, for scalar values.

        Keyword messages quote the schema, not the value (the value's type is keyed
        apart), so which of these fail decides a scalar's violations. None when the
        schema has keywords whose errors depend on the value otherwise (combinators, a
        user's if/then/else); a pattern length guard counts as its pattern.
        """
        if name in self.groups:
            return self.groups[name]
        sub = self.declared[name]
        found: tuple[Check, ...] | None = None
        if isinstance(sub, dict) and not any(k in sub for k in _VALUE_KEYED):
            checks: list[Check] = []
            for key, value in sub.items():
                if key == "allOf":
                    if not all(_is_guard(item) for item in value):
                        break
                    checks.extend(build_validator(item["then"]).is_valid for item in value)
                elif key not in ("$schema", "title", "description"):
                    checks.append(build_validator({key: value}).is_valid)
            else:
                found = tuple(checks)
        self.groups[name] = found
        return found


class VerdictKeys:
    """Computes verdict keys (see the module docstring)."""

    def __init__(
        self, max_pattern_input: int, fallback_schema: Callable[[], dict[str, Any]]
    ) -> None:
        self.max_pattern_input = max_pattern_input
        self._fallback_schema = fallback_schema
        self._events: dict[str | None, _Event] = {}
        self._distinct_id: Check | None = None

    def key(
        self, entry_name: str | None, schema: dict[str, Any], payload: dict[Any, Any]
    ) -> tuple[Any, ...] | None:
        name = payload.get("event")
        if type(name) is not str or not name.strip():
            return None
        props = payload.get("properties", {})
        if type(props) is not dict:
            return None
        event = self._events.get(entry_name)
        if event is None:
            event = self._events[entry_name] = _Event(schema)
        declared = event.declared
        failing: list[tuple[str, type, object]] = []
        for prop, value in props.items():
            if prop not in declared:
                continue
            if type(value) is str and len(value) > LONG_VALUE:
                return None
            if not event.probe(prop)(value):
                if type(value) not in _SCALARS:
                    return None
                failing.append((prop, type(value), self._scalar(event, prop, value)))
        for person in PERSON_KEYS:
            if person in payload:
                return None
        did = None
        if not self._distinct_id_ok(payload):
            top, inner = payload.get("distinct_id"), props.get("distinct_id")
            if type(top) not in _SCALARS or type(inner) not in _SCALARS:
                return None
            did = (type(top), _exact(top), type(inner), _exact(inner))
        return (name, tuple(payload), tuple(props), tuple(failing), did)

    def _scalar(self, event: _Event, prop: str, value: object) -> object:
        """What decides a failing scalar property value's violations."""
        checks = event.keyword_checks(prop)
        if (
            checks is None
            or (type(value) is str and len(value) > self.max_pattern_input)
            or (type(value) is float and not math.isfinite(value))
        ):
            return _exact(value)
        return tuple(i for i, check in enumerate(checks) if not check(value))

    def _distinct_id_ok(self, payload: object) -> bool:
        check = self._distinct_id
        if check is None:
            schema = self._fallback_schema()
            part: dict[str, Any] = {
                k: schema[k] for k in ("$schema", "if", "then", "else") if k in schema
            }
            check = self._distinct_id = build_validator(part).is_valid
        return check(payload)
