"""Validate PostHog event payloads against a plan: the :class:`Registry`.

Answer first, explain only failures: each planned event has one compiled JSON Schema
and a jsonschema-rs validator (:mod:`trackplan.registry.compiler`). ``validate`` asks
``is_valid`` and, for a valid payload, returns a result built once per event; only a
failing payload pays for ``iter_errors`` and for mapping each engine error, by its
schema path, to a catalogue code (TP202/TP203/TP204/TP301/TP302/TP304/TP902).

Compilation is lazy: constructing a :class:`Registry` compiles nothing; an event's
schema and validator are built the first time a payload names it (and kept), so an
idle event costs only its :class:`~trackplan.registry.plan.EventSpec`. Strings
longer than ``max_pattern_input`` are not run through a plan ``pattern``: they are
TP204 "too long to check" (see :func:`trackplan.registry.compiler.guard_patterns`).

Nothing here raises on a bad payload: anything the engine refuses (non-JSON values,
non-string keys, cycles) becomes TP902 with a pointer.
"""

from __future__ import annotations

import json
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
    is_length_guard,
)
from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.patterns import MAX_PATTERN_INPUT
from trackplan.registry.payloads import (
    body_events,
    first_non_json_value,
    is_plain_json,
    json_pointer,
    json_type,
    malformed_reason,
    plain_copy,
)
from trackplan.registry.plan import EventSpec, Plan
from trackplan.registry.policy import RulePolicy
from trackplan.registry.posthog_names import generic_distinct_id_reason, is_posthog_event
from trackplan.registry.rules import get_rule
from trackplan.registry.suggest import closest_event, loose
from trackplan.registry.verdict_keys import VerdictKeys

__all__ = ["Registry", "ValidationResult"]

_CODES = ("TP201", "TP202", "TP203", "TP204", "TP205", "TP206", "TP301", "TP302", "TP304", "TP902")
_MAX_SNIPPET = 80
#: Most engine errors :meth:`Registry._map` remembers (then it starts over).
_MAP_CACHE = 20_000


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


class _Schemas(Mapping[str, Mapping[str, Any]]):
    """:attr:`Registry.schemas`: planned events' schemas, compiled on lookup."""

    def __init__(self, registry: Registry) -> None:
        self._registry = registry

    def __getitem__(self, name: str) -> Mapping[str, Any]:
        return self._registry._schema_of(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._registry.plan.events)

    def __len__(self) -> int:
        return len(self._registry.plan.events)

    def __contains__(self, name: object) -> bool:
        return name in self._registry.plan.events


class _FirstCheck:
    """A not-yet-compiled event's stand-in in :meth:`Registry.clean_checks`."""

    __slots__ = ("name", "parsed_json", "registry")

    def __init__(self, registry: Registry, name: str, parsed_json: bool) -> None:
        self.registry, self.name, self.parsed_json = registry, name, parsed_json

    def __call__(self, payload: object) -> bool:
        entry = self.registry._entry(self.name)
        if entry is None:
            return False
        return (entry.is_valid if self.parsed_json else entry.clean_check)(payload)


class _Compiled:
    """One event's validator and its precomputed verdict for a valid payload."""

    __slots__ = (
        "clean_check",
        "closed",
        "is_valid",
        "iter_errors",
        "name",
        "required",
        "schema",
        "valid_result",
    )

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
        self.clean_check = _clean_check(validator.is_valid)
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


class _TooLong:
    """An engine error from a pattern's length guard, read as "too long to check"."""

    __slots__ = ("instance", "instance_path", "kind", "schema_path")

    class Kind:
        name = "patternInputLength"

        def __init__(self, limit: int) -> None:
            self.limit = limit

        def as_dict(self) -> dict[str, Any]:
            return {"limit": self.limit}

    def __init__(self, err: Any, limit: int) -> None:
        self.instance = err.instance
        self.instance_path = err.instance_path
        self.schema_path = err.schema_path
        self.kind = self.Kind(limit)


def _too_long(err: Any, d: dict[str, Any]) -> str:
    limit = d.get("limit", 0)
    value = err.instance
    if isinstance(value, dict):  # a ``patternProperties`` key (the propertyNames guard)
        size = max((len(k) for k in value if isinstance(k, str)), default=0)
        return (
            f"has a key too long to check against its patternProperties ({size} characters; "
            f"patterns are run on at most {limit})"
        )
    size = len(value) if isinstance(value, str) else 0
    return (
        f"is too long to check against its pattern ({size} characters; patterns are "
        f"run on at most {limit})"
    )


_DESCRIBE["patternInputLength"] = _too_long


def _describe(err: Any) -> str:
    kind = err.kind
    describe = _DESCRIBE.get(kind.name)
    if describe is None:
        return f"breaks the `{kind.name}` rule of its spec"
    return describe(err, kind.as_dict())


class Registry:
    """A plan compiled for payload validation. Build once, validate many times.

    ``max_pattern_input`` (default :data:`~trackplan.registry.patterns.MAX_PATTERN_INPUT`)
    is the longest string a plan ``pattern`` is run on; longer ones are TP204.
    """

    def __init__(
        self,
        plan: Plan,
        policy: RulePolicy | None = None,
        *,
        max_pattern_input: int = MAX_PATTERN_INPUT,
    ) -> None:
        self.plan = plan
        self.policy = policy or RulePolicy()
        self.max_pattern_input = max_pattern_input
        self._severity: dict[str, Severity | None] = {
            code: (
                self.policy.severity_of(code, get_rule(code).default_severity)
                if self.policy.is_selected(code)
                else None
            )
            for code in _CODES
        }
        self._events: dict[str, _Compiled] = {}  # filled on first use of each event
        self._deprecated: dict[str, tuple[Diagnostic, ...]] = {}
        for name, spec in plan.events.items():
            if spec.deprecated is not None:
                notes = self._deprecation(spec)
                if notes:
                    self._deprecated[name] = notes
        self._fallback_entry: _Compiled | None = None
        self._loose_table: dict[str, str] | None = None
        self._unknown: dict[str, tuple[Diagnostic, ...]] = {}
        self._clean: dict[str, Callable[[object], bool]] | None = None
        self._clean_parsed: dict[str, Callable[[object], bool]] | None = None
        self._mapped: dict[tuple[Any, ...], tuple[Diagnostic, ...]] = {}
        self._explained: dict[tuple[Any, ...], ValidationResult] = {}
        self._keys = VerdictKeys(max_pattern_input, lambda: self._fallback.schema)

    def _entry(self, name: str) -> _Compiled | None:
        """The compiled entry of planned event ``name`` (compiled now if first use)."""
        entry = self._events.get(name)
        if entry is not None:
            return entry
        spec = self.plan.events.get(name)
        if spec is None:
            return None
        entry = _Compiled(
            name,
            compile_event_schema(self.plan, spec, max_pattern_input=self.max_pattern_input),
            spec.required_properties,
            closed=event_is_closed(self.plan, spec),
        )
        notes = self._deprecated.get(name)
        if notes:
            entry.valid_result = self._result(name, list(notes))
        self._events[name] = entry
        if self._clean is not None and name in self._clean:
            self._clean[name] = entry.clean_check
        if self._clean_parsed is not None and name in self._clean_parsed:
            self._clean_parsed[name] = entry.is_valid
        return entry

    @property
    def _fallback(self) -> _Compiled:
        entry = self._fallback_entry
        if entry is None:
            schema = compile_fallback_schema(self.plan, max_pattern_input=self.max_pattern_input)
            entry = self._fallback_entry = _Compiled(None, schema, (), closed=False)
        return entry

    @property
    def _loose_names(self) -> dict[str, str]:
        table = self._loose_table
        if table is None:
            table = {loose(n): n for n in self.plan.events if not n.startswith("$")}
            self._loose_table = table
        return table

    # construction -------------------------------------------------------------------

    @classmethod
    def from_plan(
        cls,
        plan: Plan,
        policy: RulePolicy | None = None,
        *,
        max_pattern_input: int = MAX_PATTERN_INPUT,
    ) -> Registry:
        return cls(plan, policy, max_pattern_input=max_pattern_input)

    @classmethod
    def load(
        cls,
        path: str | Path,
        policy: RulePolicy | None = None,
        *,
        max_pattern_input: int = MAX_PATTERN_INPUT,
    ) -> Registry:
        """Load the plan at ``path`` (file or directory); raises ``PlanError`` if bad."""
        from trackplan.registry.loader import load_plan

        return cls(load_plan(path), policy, max_pattern_input=max_pattern_input)

    @property
    def schemas(self) -> Mapping[str, Mapping[str, Any]]:
        """The compiled JSON Schema of every planned event, in plan order.

        A read-only view: each schema is built when it is looked up (an event already
        compiled for validation gives its own document), nothing is kept for the rest.
        """
        return _Schemas(self)

    def _schema_of(self, name: str) -> dict[str, Any]:
        entry = self._events.get(name)
        if entry is not None:
            return entry.schema
        spec = self.plan.events[name]
        return compile_event_schema(self.plan, spec, max_pattern_input=self.max_pattern_input)

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

    def clean_checks(self, *, parsed_json: bool = False) -> dict[str, Callable[[object], bool]]:
        """Per planned event that a valid payload passes without any note, its check.

        A check answering True for a payload whose ``event`` is that name means
        :meth:`validate` would return no violation at all (so callers on a hot path,
        like the runtime hook, can skip the result). False, or an exception, decides
        nothing: ask :meth:`validate`. Deprecated events (TP205 on every payload) are
        left out.

        A check is the engine's ``is_valid`` and :func:`~trackplan.registry.payloads.is_plain_json`
        (a payload JSON cannot carry is never clean). ``parsed_json=True`` gives the
        engine's ``is_valid`` alone, for payloads a strict JSON parser produced (orjson:
        no NaN, no lone surrogate, no cycle, at most 1,024 levels, so nothing the walk
        could refuse).

        The table is the registry's own and is updated in place: an event not compiled
        yet maps to a stand-in that compiles it on its first call and then puts the
        compiled check in its place. Keep the dict (do not copy it) so later
        lookups get the engine's check directly.
        """
        table = self._clean_parsed if parsed_json else self._clean
        if table is None:
            table = {}
            for name in self.plan.events:
                if name in self._deprecated:
                    continue
                entry = self._events.get(name)
                if entry is None:
                    table[name] = _FirstCheck(self, name, parsed_json)
                else:
                    table[name] = entry.is_valid if parsed_json else entry.clean_check
            if parsed_json:
                self._clean_parsed = table
            else:
                self._clean = table
        return table

    def validate(self, payload: object) -> ValidationResult:
        """The verdict on one event payload; never raises."""
        try:
            if type(payload) is dict:
                name = payload.get("event")
                entry = None
                if type(name) is str:
                    entry = self._events.get(name) or self._entry(name)
                if entry is not None and _engine_accepts(entry, payload):
                    return entry.valid_result
            return self._explain(payload, False)
        except Exception as exc:  # a bug or an engine surprise must not reach the caller
            return self._crashed(payload, exc)

    def explain(self, payload: object, *, parsed_json: bool = False) -> ValidationResult:
        """:meth:`validate` without its fast check; the same result, never raises.

        For a caller that already ran the event's check from :meth:`clean_checks` and
        saw it fail (``trackplan validate`` on a stream): asking the engine again
        would only repeat that work. ``parsed_json`` as for :meth:`clean_checks`.
        """
        try:
            return self._explain(payload, parsed_json)
        except Exception as exc:  # a bug or an engine surprise must not reach the caller
            return self._crashed(payload, exc)

    def _explain(self, payload: object, parsed_json: bool) -> ValidationResult:
        """The full verdict, shared with earlier payloads that made the same mistake.

        :class:`~trackplan.registry.verdict_keys.VerdictKeys` finds, with clean checks
        only, a key that decides every violation; equal keys share one result (up to
        :data:`_MAP_CACHE`, then the cache restarts).
        """
        key = None
        # A payload JSON cannot carry is explained on the full path: its key could equal
        # a plain payload's, whose cached verdict lacks the TP902.
        if type(payload) is dict and (parsed_json or is_plain_json(payload)):
            try:
                name = payload.get("event")
                entry = (self._entry(name) if type(name) is str else None) or self._fallback
                key = self._keys.key(entry.name, entry.schema, payload)
            except Exception:  # hostile keys or values: take the full path
                key = None
            if key is not None:
                hit = self._explained.get(key)
                if hit is not None:
                    return hit
        result = self._result(_event_name(payload), list(self.iter_violations(payload)))
        if key is not None:
            if len(self._explained) >= _MAP_CACHE:
                self._explained.clear()
            self._explained[key] = result
        return result

    def _crashed(self, payload: object, exc: Exception) -> ValidationResult:
        where = first_non_json_value(payload)  # never raises
        message, pointer = where or (_unexpected(exc), "")
        name = _event_name(payload)
        return self._result(name, self._keep("TP902", message, name, pointer))

    def iter_violations(self, payload: object) -> Iterator[Diagnostic]:
        """Every violation of one payload, lazily, with the policy applied; never raises."""
        try:
            yield from self._iter_violations(payload)
        except Exception as exc:  # a bug or an engine surprise must not reach the caller
            yield from self._keep("TP902", _unexpected(exc), _event_name(payload), "")

    def _iter_violations(self, payload: object) -> Iterator[Diagnostic]:
        bad = malformed_reason(payload)
        if bad is not None:
            yield from self._keep("TP902", bad[0], _event_name(payload), bad[1])
            return
        assert isinstance(payload, dict)
        name = str.__str__(dict.get(payload, "event"))  # a plain str, whatever subclass came
        if not is_plain_json(payload):
            not_json = first_non_json_value(payload)
            if not_json is not None:
                # The SDK could not serialize it (or PostHog would refuse the batch): that
                # is the verdict, and the engine is not asked about values it cannot read.
                yield from self._keep("TP902", not_json[0], name, not_json[1])
                return
            payload = plain_copy(payload)  # tuples, enum members, dict subclasses
        entry = self._entry(name)
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
        suggestion = closest_event(name, self._loose_names)
        if suggestion is not None:
            found += self._keep(
                "TP206", f"unknown event `{name}`: did you mean `{suggestion}`?", name, "/event"
            )
        result = tuple(found)
        if len(self._unknown) < 10_000:
            self._unknown[name] = result
        return result

    def _map(self, entry: _Compiled, event: str, err: Any) -> list[Diagnostic]:
        """Catalogue diagnostics for one engine error, remembered by what they depend on.

        An invalid-heavy stream repeats the same few mistakes: the diagnostics of an
        error are a function of the event, the schema and instance paths and, for a
        few kinds, one detail (the value's JSON type, the missing or unexpected keys);
        those are cached (up to :data:`_MAP_CACHE` entries, then the cache restarts).
        Errors whose message shows the value itself (a distinct id, a too-long string)
        are not cached.
        """
        sp: list[Any] = err.schema_path
        kind = err.kind
        name = kind.name
        if name == "type":
            detail: Any = json_type(err.instance)
        elif name == "required":
            detail = kind.property
        elif name == "additionalProperties":
            detail = tuple(kind.unexpected)
        else:
            detail = None
        if sp and (sp[0] in ("then", "else") or sp[-1] == "maxLength"):
            return self._map_error(entry, event, err)
        key = (event, entry.name, tuple(sp), tuple(err.instance_path), name, detail)
        cached = self._mapped.get(key)
        if cached is None:
            if len(self._mapped) >= _MAP_CACHE:
                self._mapped.clear()
            cached = self._mapped[key] = tuple(self._map_error(entry, event, err))
        return list(cached)

    def _map_error(self, entry: _Compiled, event: str, err: Any) -> list[Diagnostic]:
        """Catalogue diagnostics for one engine error, decided by its schema path."""
        sp: list[Any] = err.schema_path
        ip: list[Any] = err.instance_path
        if sp and sp[-1] == "maxLength" and is_length_guard(entry.schema, sp):
            err = _TooLong(err, self.max_pattern_input)
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
    """The payload's event name as a plain ``str``, or None; never raises."""
    try:
        if isinstance(payload, dict):
            name = dict.get(payload, "event")
            if isinstance(name, str):
                return str.__str__(name)
    except Exception:  # a key whose __eq__ raises, met while looking up "event"
        pass
    return None


def _unexpected(exc: BaseException) -> str:
    """A TP902 message for an engine or payload surprise (type first, then its text)."""
    try:
        detail = str(exc)
    except Exception:
        detail = ""
    detail = detail if len(detail) <= _MAX_SNIPPET else detail[: _MAX_SNIPPET - 3] + "..."
    return f"payload could not be validated ({type(exc).__name__}" + (
        f": {detail})" if detail else ")"
    )


def _engine_accepts(entry: _Compiled, payload: object) -> bool:
    """The fast path's answer; an engine refusal to read the payload is a "no"."""
    try:
        return entry.is_valid(payload) and is_plain_json(payload)
    except Exception:  # e.g. a str-subclass key: the explaining path copies it plain
        return False


def _clean_check(is_valid: Callable[[object], bool]) -> Callable[[object], bool]:
    """The engine's yes/no answer, and only for payloads JSON can carry."""

    def check(payload: object) -> bool:
        return is_valid(payload) and is_plain_json(payload)

    return check
