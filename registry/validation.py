"""Validate PostHog event payloads against a plan: the :class:`Registry`.

Answer first, explain only failures: each planned event has one compiled JSON Schema
and a jsonschema-rs validator (:mod:`trackplan.registry.compiler`). ``validate`` asks
``is_valid`` and, for a valid payload, returns a result built once per event; only a
failing payload pays for ``iter_errors`` and for mapping each engine error, by its
schema path, to a catalogue code (TP202/TP203/TP204/TP301/TP302/TP304/TP902).

Nothing here raises on a bad payload: anything the engine refuses (non-JSON values,
non-string keys, cycles) becomes TP902 with a pointer.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trackplan.registry.compiler import (
    PERSON_KEYS,
    build_validator,
    compile_event_schema,
    compile_fallback_schema,
    event_is_closed,
)
from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.payloads import (
    body_events,
    first_non_json_value,
    json_pointer,
    json_type,
    malformed_reason,
)
from trackplan.registry.plan import EventSpec, Plan
from trackplan.registry.policy import RulePolicy
from trackplan.registry.posthog_names import generic_distinct_id_reason, is_posthog_event
from trackplan.registry.rules import get_rule

__all__ = ["Registry", "ValidationResult"]

_CODES = ("TP201", "TP202", "TP203", "TP204", "TP205", "TP206", "TP301", "TP302", "TP304", "TP902")
_MAX_SNIPPET = 80


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """The verdict on one event payload.

    ``valid`` is True when no violation has error severity (after the policy);
    ``violations`` carry ``code``, ``severity``, ``message``, ``event`` and ``pointer``.
    """

    event: str | None
    valid: bool
    violations: tuple[Diagnostic, ...] = ()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.violations if d.severity is Severity.ERROR)


class _Compiled:
    """One event's validator and its precomputed verdict for a valid payload."""

    __slots__ = ("closed", "is_valid", "iter_errors", "name", "required", "schema", "valid_result")

    def __init__(
        self,
        name: str | None,
        schema: dict[str, Any],
        required: tuple[str, ...],
        closed: bool,
    ) -> None:
        validator = build_validator(schema)
        self.name = name
        self.schema = schema
        self.required = required
        self.closed = closed
        self.is_valid: Callable[[object], bool] = validator.is_valid
        self.iter_errors: Callable[[object], Iterator[Any]] = validator.iter_errors
        self.valid_result = ValidationResult(name, True)


def _snippet(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _MAX_SNIPPET else text[: _MAX_SNIPPET - 3] + "..."


def _limit(word: str, op: str) -> Callable[[Any, dict[str, Any]], str]:
    return lambda _err, d: f"must be {op} {d.get('limit')}" + (f" {word}" if word else "")


# How each engine error kind reads to a person. Values are never quoted (they may be
# personal data); the plan's own constraints are.
_DESCRIBE: dict[str, Callable[[Any, dict[str, Any]], str]] = {
    "type": lambda err, d: (
        f"must be of type {' or '.join(d.get('types', []))}, got {json_type(err.instance)}"
    ),
    "enum": lambda _err, d: f"must be one of {_snippet(d.get('options'))}",
    "const": lambda _err, d: f"must be {_snippet(d.get('expected_value'))}",
    "pattern": lambda _err, d: f"does not match pattern {d.get('pattern')}",
    "format": lambda _err, d: f"is not a valid {d.get('format')}",
    "minimum": _limit("", ">="),
    "maximum": _limit("", "<="),
    "exclusiveMinimum": _limit("", ">"),
    "exclusiveMaximum": _limit("", "<"),
    "minLength": lambda _err, d: f"must be at least {d.get('limit')} characters long",
    "maxLength": lambda _err, d: f"must be at most {d.get('limit')} characters long",
    "minItems": lambda _err, d: f"must have at least {d.get('limit')} items",
    "maxItems": lambda _err, d: f"must have at most {d.get('limit')} items",
    "minProperties": lambda _err, d: f"must have at least {d.get('limit')} keys",
    "maxProperties": lambda _err, d: f"must have at most {d.get('limit')} keys",
    "multipleOf": lambda _err, d: f"must be a multiple of {d.get('multiple_of')}",
    "uniqueItems": lambda _err, _d: "must not contain duplicate items",
    "additionalProperties": lambda _err, d: (
        f"has keys its spec does not allow: {', '.join(map(str, d.get('unexpected', [])))}"
    ),
    "falseSchema": lambda _err, _d: "is not allowed by its spec",
}


def _describe(err: Any) -> str:
    kind = err.kind
    describe = _DESCRIBE.get(kind.name)
    if describe is None:
        return f"breaks the `{kind.name}` rule of its spec"
    return describe(err, kind.as_dict())


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s\-:.]+")


def _loose(name: str) -> str:
    return _SEPARATORS.sub("_", _CAMEL.sub("_", name)).lower()


class Registry:
    """A plan compiled for payload validation. Build once, validate many times."""

    def __init__(self, plan: Plan, policy: RulePolicy | None = None) -> None:
        self.plan = plan
        self.policy = policy or RulePolicy()
        self._severity: dict[str, Severity | None] = {
            code: (
                self.policy.severity_of(code, get_rule(code).default_severity)
                if self.policy.is_selected(code)
                else None
            )
            for code in _CODES
        }
        self._events: dict[str, _Compiled] = {}
        self._deprecated: dict[str, tuple[Diagnostic, ...]] = {}
        for name, spec in plan.events.items():
            entry = _Compiled(
                name,
                compile_event_schema(plan, spec),
                spec.required_properties,
                closed=event_is_closed(plan, spec),
            )
            notes = self._deprecation(spec)
            if notes:
                self._deprecated[name] = notes
                entry.valid_result = self._result(name, list(notes))
            self._events[name] = entry
        self._fallback = _Compiled(None, compile_fallback_schema(plan), (), closed=False)
        self._loose_names = {_loose(n): n for n in plan.events if not n.startswith("$")}
        self._unknown: dict[str, tuple[Diagnostic, ...]] = {}

    # construction -------------------------------------------------------------------

    @classmethod
    def from_plan(cls, plan: Plan, policy: RulePolicy | None = None) -> Registry:
        return cls(plan, policy)

    @classmethod
    def load(cls, path: str | Path, policy: RulePolicy | None = None) -> Registry:
        """Load the plan at ``path`` (file or directory); raises ``PlanError`` if bad."""
        from trackplan.registry.loader import load_plan

        return cls(load_plan(path), policy)

    @property
    def schemas(self) -> Mapping[str, Mapping[str, Any]]:
        """The compiled JSON Schema of every planned event, in plan order."""
        return {name: entry.schema for name, entry in self._events.items()}

    @property
    def fallback_schema(self) -> Mapping[str, Any]:
        """The schema unplanned and PostHog ``$`` events are checked against."""
        return self._fallback.schema

    # public API ---------------------------------------------------------------------

    def is_valid(self, payload: object) -> bool:
        """True when the payload has no error-severity violation (the fast path)."""
        # ``validate`` already answers a valid payload with a result built once per
        # event; asking the engine here first would run it twice on invalid payloads.
        return self.validate(payload).valid

    def clean_checks(self) -> dict[str, Callable[[object], bool]]:
        """Per planned event that a valid payload passes without any note, its check.

        A check answering True for a payload whose ``event`` is that name means
        :meth:`validate` would return no violation at all (so callers on a hot path,
        like the runtime hook, can skip the result). False, or an exception, decides
        nothing: ask :meth:`validate`. Deprecated events (TP205 on every payload) are
        left out.
        """
        return {
            name: entry.is_valid
            for name, entry in self._events.items()
            if not entry.valid_result.violations
        }

    def validate(self, payload: object) -> ValidationResult:
        """The verdict on one event payload; never raises."""
        try:
            if type(payload) is dict:
                name = payload.get("event")
                entry = self._events.get(name) if type(name) is str else None
                if entry is not None and entry.is_valid(payload):
                    return entry.valid_result
            return self._result(_event_name(payload), list(self.iter_violations(payload)))
        except Exception as exc:  # a bug or an engine surprise must not reach the caller
            try:
                where = first_non_json_value(payload)
            except Exception:
                where = None
            message, pointer = where or (f"payload could not be validated: {exc}", "")
            name = _event_name(payload)
            return self._result(name, self._keep("TP902", message, name, pointer))

    def iter_violations(self, payload: object) -> Iterator[Diagnostic]:
        """Every violation of one payload, lazily, with the policy applied; never raises."""
        try:
            yield from self._iter_violations(payload)
        except Exception as exc:  # a bug or an engine surprise must not reach the caller
            message = f"payload could not be validated: {exc}"
            yield from self._keep("TP902", message, _event_name(payload), "")

    def _iter_violations(self, payload: object) -> Iterator[Diagnostic]:
        bad = malformed_reason(payload)
        if bad is not None:
            yield from self._keep("TP902", bad[0], _event_name(payload), bad[1])
            return
        assert isinstance(payload, dict)
        name: str = payload["event"]
        entry = self._events.get(name)
        if entry is None:
            if not is_posthog_event(name):
                yield from self._unplanned(name)
            entry = self._fallback
        else:
            yield from self._deprecated.get(name, ())
        try:
            errors = list(entry.iter_errors(payload))
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:
            where = first_non_json_value(payload)
            message, pointer = where or (f"payload is not JSON: {exc}", "")
            yield from self._keep("TP902", message, name, pointer)
            return
        for err in errors:
            if err.kind.name == "type" and err.instance is None:
                odd = _non_finite_at(payload, err.instance_path)
                if odd is not None:  # the engine reads NaN/Infinity as null
                    yield from self._keep("TP902", odd, name, json_pointer(err.instance_path))
                    continue
            yield from self._map(entry, name, err)

    def validate_body(self, body: object) -> list[ValidationResult]:
        """One result per event of a body: an event, an array, or a batch body."""
        try:
            items = body_events(body)
        except Exception as exc:
            return [self.malformed(f"body could not be read: {exc}")]
        return [
            self.malformed(problem) if problem is not None else self.validate(payload)
            for _index, payload, problem in items
        ]

    def malformed(self, message: str, pointer: str = "") -> ValidationResult:
        """A TP902 result for input that is not an event at all (e.g. a bad JSON line)."""
        return self._result(None, self._keep("TP902", message, None, pointer))

    # helpers ------------------------------------------------------------------------

    def _keep(self, code: str, message: str, event: str | None, pointer: str) -> list[Diagnostic]:
        severity = self._severity[code]
        if severity is None:
            return []
        return [Diagnostic(code, severity, message, event=event, pointer=pointer)]

    def _result(self, event: str | None, violations: Sequence[Diagnostic]) -> ValidationResult:
        valid = not any(d.severity is Severity.ERROR for d in violations)
        return ValidationResult(event, valid, tuple(violations))

    def _deprecation(self, spec: EventSpec) -> tuple[Diagnostic, ...]:
        if spec.deprecated is None:
            return ()
        text = spec.deprecated.strip()
        message = f"event `{spec.name}` is deprecated" + (f": {text}" if text else "")
        return tuple(self._keep("TP205", message, spec.name, "/event"))

    def _unplanned(self, name: str) -> tuple[Diagnostic, ...]:
        cached = self._unknown.get(name)
        if cached is not None:
            return cached
        found = self._keep("TP201", f"event `{name}` is not in the plan", name, "/event")
        close = difflib.get_close_matches(_loose(name), self._loose_names, n=1, cutoff=0.75)
        if close:
            suggestion = self._loose_names[close[0]]
            found += self._keep(
                "TP206", f"unknown event `{name}`: did you mean `{suggestion}`?", name, "/event"
            )
        result = tuple(found)
        if len(self._unknown) < 10_000:
            self._unknown[name] = result
        return result

    def _map(self, entry: _Compiled, event: str, err: Any) -> list[Diagnostic]:
        """Catalogue diagnostics for one engine error, decided by its schema path."""
        sp: list[Any] = err.schema_path
        ip: list[Any] = err.instance_path
        head = sp[0] if sp else ""
        if head in ("then", "else"):
            return self._distinct_id(event, sp, ip, err)
        if head == "required":
            if err.kind.property == "properties":
                return [
                    d
                    for prop in entry.required
                    for d in self._keep(
                        "TP202",
                        f"required property `{prop}` is missing",
                        event,
                        f"/properties/{prop}",
                    )
                ]
            return self._keep("TP902", f"`{err.kind.property}` is missing", event, "")
        if head != "properties" or len(sp) < 2:
            return self._keep("TP902", f"payload {_describe(err)}", event, json_pointer(ip))
        section = sp[1]
        if section in PERSON_KEYS:
            return self._person(event, section, sp, ip, err)
        if section != "properties":
            return self._keep("TP902", f"`{section}` {_describe(err)}", event, json_pointer(ip))
        if len(sp) == 3:
            keyword = sp[2]
            if keyword == "required":
                prop = err.kind.property
                msg = f"required property `{prop}` is missing"
                return self._keep("TP202", msg, event, json_pointer([*ip, prop]))
            if keyword == "additionalProperties":
                return [
                    d
                    for prop in err.kind.unexpected
                    for d in self._keep(
                        "TP203",
                        f"property `{prop}` is not declared on closed event `{event}`",
                        event,
                        json_pointer([*ip, prop]),
                    )
                ]
            return self._keep("TP902", f"`properties` {_describe(err)}", event, json_pointer(ip))
        if (
            len(sp) > 3
            and sp[3] in PERSON_KEYS
            and (entry.name is None or sp[3] not in self.plan.events[entry.name].properties)
        ):
            return self._person(event, f"properties.{sp[3]}", sp, ip, err)
        return self._property(event, "TP204", "property", ip, err, sp)

    def _property(
        self, event: str, code: str, what: str, ip: list[Any], err: Any, sp: list[Any]
    ) -> list[Diagnostic]:
        if sp[-1] == "required":
            prop = err.kind.property
            pointer = json_pointer([*ip, prop])
            inside = json_pointer(ip[1:]).lstrip("/")
            message = f"required {what} `{prop}` is missing" + (f" in `{inside}`" if inside else "")
            return self._keep("TP202" if code == "TP204" else code, message, event, pointer)
        pointer = json_pointer(ip)
        name = json_pointer(ip[1:]).lstrip("/") or str(ip[0] if ip else "")
        return self._keep(code, f"{what} `{name}` {_describe(err)}", event, pointer)

    def _person(
        self, event: str, section: str, sp: list[Any], ip: list[Any], err: Any
    ) -> list[Diagnostic]:
        depth = 2 if section.startswith("properties.") else 1
        if sp[-1] == "additionalProperties":
            return [
                d
                for prop in err.kind.unexpected
                for d in self._keep(
                    "TP304",
                    f"person property `{prop}` under `{section}` is not in person_properties",
                    event,
                    json_pointer([*ip, prop]),
                )
            ]
        if len(ip) <= depth:
            return self._keep("TP304", f"`{section}` {_describe(err)}", event, json_pointer(ip))
        name = json_pointer(ip[depth:]).lstrip("/")
        message = f"person property `{name}` under `{section}` {_describe(err)}"
        return self._keep("TP304", message, event, json_pointer(ip))

    def _distinct_id(self, event: str, sp: list[Any], ip: list[Any], err: Any) -> list[Diagnostic]:
        keyword = sp[-1]
        if keyword == "required":
            return self._keep("TP301", "distinct id is missing", event, "/distinct_id")
        pointer = json_pointer(ip)
        if keyword == "not":
            value = err.instance
            reason = generic_distinct_id_reason(str(value) if not isinstance(value, str) else value)
            return self._keep(
                "TP302",
                f"distinct id {reason or repr(value) + ' is a generic id'}",
                event,
                pointer,
            )
        if keyword == "type":
            got = json_type(err.instance)
            return self._keep(
                "TP301", f"distinct id must be a string or a number, got {got}", event, pointer
            )
        value = err.instance
        message = (
            "distinct id is empty" if value == "" else "distinct id is blank (only whitespace)"
        )
        return self._keep("TP301", message, event, pointer)


def _event_name(payload: object) -> str | None:
    if isinstance(payload, dict):
        name = payload.get("event")
        if isinstance(name, str):
            return name
    return None


def _non_finite_at(payload: object, path: Sequence[Any]) -> str | None:
    value: Any = payload
    try:
        for token in path:
            value = value[token]
    except (KeyError, IndexError, TypeError):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value!r} is not a JSON number"
    return None
