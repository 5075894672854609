"""Which payloads one plan accepts that another refuses: the verdict behind ``diff``.

Validity is exactly ``trackplan validate``'s: a payload is valid under a plan when the
:class:`~trackplan.registry.validation.Registry` built from that plan and the policy
reports no error-severity violation. For one direction (``src`` must be included in
``dst``) every event *name* is looked at through the compiled, effective schema
:mod:`~trackplan.registry.compiler` builds for it (shared definitions merged in,
plan-level ``additional_properties``, declared ``$`` events, the keys closed events
always allow, person properties under ``$set``/``$set_once``) or, for a name a plan
does not declare, its fallback schema; names neither plan declares are represented by
one ``$`` name and one ordinary name.

An event's payload set splits into independent facets: each declared property key,
the undeclared keys (``$`` keys and others), the required list, and the top-level
person sections. The facets are compared with
:func:`~trackplan.registry.evolution.inclusion.compare`; a refused facet becomes a
witness payload (a valid ``src`` payload with that facet changed) that is then
validated by *both* real registries. Only a witness that really is valid under
``src`` and invalid under ``dst`` is reported as proof; anything else not proved
included is an incompatibility that says "cannot prove".
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from trackplan.registry.compiler import (
    PERSON_KEYS,
    compile_event_schema,
    compile_fallback_schema,
)
from trackplan.registry.diagnostics import Severity
from trackplan.registry.evolution.inclusion import (
    Verdict,
    canonical,
    compare,
    key_schema,
    other_key_classes,
)
from trackplan.registry.evolution.samples import sample
from trackplan.registry.payloads import escape_pointer
from trackplan.registry.plan import Plan
from trackplan.registry.policy import RulePolicy
from trackplan.registry.posthog_names import is_posthog_event
from trackplan.registry.rules import get_rule
from trackplan.registry.validation import Registry

__all__ = ["Incompatibility", "Side", "check_direction", "event_names"]

#: The distinct id every witness carries (valid, not generic).
WITNESS_DISTINCT_ID = "user_8f3a2c"
_RELAXING = ("TP202", "TP204", "TP301", "TP302", "TP304", "TP902")


@dataclass(frozen=True)
class Incompatibility:
    """Payloads valid under ``src`` that are not valid under ``dst`` (one facet)."""

    direction: str
    event: str
    pointer: str
    reason: str
    witness: dict[str, Any] | None = None

    @property
    def proven(self) -> bool:
        """True when a checked witness payload shows it; False means "cannot prove"."""
        return self.witness is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "event": self.event,
            "pointer": self.pointer,
            "reason": self.reason,
            "proven": self.proven,
            "witness": self.witness,
        }


@dataclass
class Side:
    """One plan with the policy validation applies to it."""

    plan: Plan
    policy: RulePolicy = field(default_factory=RulePolicy)
    _schemas: dict[str, tuple[dict[str, Any] | None, str]] = field(
        default_factory=dict, init=False, repr=False
    )
    _focus: frozenset[str] = field(default=frozenset(), init=False, repr=False)

    def is_error(self, code: str) -> bool:
        if not self.policy.is_selected(code):
            return False
        return self.policy.severity_of(code, get_rule(code).default_severity) is Severity.ERROR

    @cached_property
    def registry(self) -> Registry:
        """The whole plan's registry (only needed when TP206 can make a payload invalid)."""
        return Registry.from_plan(self.plan, self.policy)

    def focus(self, names: Iterable[str]) -> None:
        """Validate payloads of ``names`` with one registry of just those events.

        Validity of an event depends on its own spec and the plan-level settings, so a
        plan cut down to the events being compared answers exactly as the whole plan,
        with validators for a few events instead of hundreds. The exception is TP206
        configured as an error, whose "did you mean" depends on every planned name:
        then the whole plan's registry is used.
        """
        wanted = frozenset(names)
        if wanted == self._focus:
            return
        self._focus = wanted
        self.__dict__.pop("focused", None)

    @cached_property
    def focused(self) -> Registry:
        if self.is_error("TP206"):
            return self.registry
        events = {n: spec for n, spec in self.plan.events.items() if n in self._focus}
        # TP206 is not an error here, so it cannot change a verdict: skip its lookups.
        policy = replace(self.policy, ignore=(*self.policy.ignore, "TP206"))
        return Registry.from_plan(replace(self.plan, events=events), policy)

    @cached_property
    def fallback(self) -> dict[str, Any]:
        return self._open_if_relaxed(compile_fallback_schema(self.plan, max_pattern_input=None))

    @cached_property
    def relaxed(self) -> bool:
        """True when the policy turns a payload check off that this module cannot model."""
        return any(not self.is_error(code) for code in _RELAXING)

    def valid(self, payload: dict[str, Any]) -> bool:
        name = payload.get("event")
        registry = self.focused if name in self._focus else self.registry
        return registry.validate(payload).valid

    def schema(self, name: str) -> tuple[dict[str, Any] | None, str]:
        """The effective schema for payloads named ``name``; None when none is valid."""
        found = self._schemas.get(name)
        if found is None:
            found = self._schemas[name] = self._schema(name)
        return found

    def _schema(self, name: str) -> tuple[dict[str, Any] | None, str]:
        spec = self.plan.events.get(name)
        if spec is not None:
            if spec.deprecated is not None and self.is_error("TP205"):
                return None, f"`{name}` is deprecated and TP205 is an error"
            return self._open_if_relaxed(
                compile_event_schema(self.plan, spec, max_pattern_input=None)
            ), ""
        if not is_posthog_event(name) and self.is_error("TP201"):
            return None, f"`{name}` is not planned (TP201)"
        return self.fallback, ""

    def _open_if_relaxed(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.is_error("TP203"):
            return schema
        section = schema["properties"]["properties"]
        section.pop("additionalProperties", None)
        section.pop("patternProperties", None)
        return schema


def event_names(old: Plan, new: Plan) -> list[str]:
    """Every name the two plans declare, plus one unplanned ``$`` and one ordinary name."""
    names = list(dict.fromkeys([*old.events, *new.events]))
    for base in ("$identify", "trackplan_unplanned_event"):
        name = base
        while name in names:
            name += "_"
        names.append(name)
    return names


def check_direction(
    direction: str, src: Side, dst: Side, *, assume_unused: bool = False
) -> list[Incompatibility]:
    """Every facet where a payload valid under ``src`` may be invalid under ``dst``."""
    names = [n for n in event_names(src.plan, dst.plan) if not _same_event(n, src, dst)]
    src.focus(names)
    dst.focus(names)
    found: list[Incompatibility] = []
    for name in names:
        found.extend(_check_event(direction, name, src, dst, assume_unused))
    return found


def _plan_level(plan: Plan) -> Any:
    person = [(n, p.schema) for n, p in plan.person_properties.items()]
    return (plan.additional_properties, person)


def _event_key(plan: Plan, name: str) -> Any:
    spec = plan.events.get(name)
    if spec is None:
        return None
    props = [(n, p.schema, p.required) for n, p in spec.properties.items()]
    return (spec.additional_properties, spec.deprecated is not None, props)


def _same_event(name: str, src: Side, dst: Side) -> bool:
    """True when ``name`` compiles to the same schema on both sides (cheap, no compile)."""
    if name not in src.plan.events and name not in dst.plan.events:
        return False  # unplanned names: compared through the fallback schemas
    same_event = _event_key(src.plan, name) == _event_key(dst.plan, name)
    return bool(same_event and _plan_level(src.plan) == _plan_level(dst.plan))


@dataclass
class _Facet:
    pointer: str
    verdict: Verdict
    apply: Any  # callable(payload, witness_value) -> None
    same: bool = False  # the two sides' schemas for this facet are identical


def _check_event(
    direction: str, name: str, src: Side, dst: Side, assume_unused: bool
) -> Iterator[Incompatibility]:
    a, _ = src.schema(name)
    if a is None:
        return  # nothing named so is valid under src
    b, why = dst.schema(name)
    planned = name in src.plan.events or name in dst.plan.events
    if b is None:
        payload = _base(name, a)
        if payload is not None and src.valid(payload) and not dst.valid(payload):
            yield Incompatibility(direction, name, "/event", why, payload)
        else:
            yield Incompatibility(direction, name, "/event", "cannot prove: " + why)
        return
    if not planned and not _unplanned_alike(name, src, dst):
        yield Incompatibility(
            direction,
            name,
            "/event",
            "cannot prove: TP206 is an error, so unplanned names depend on the planned ones",
        )
        return
    if _core(a) == _core(b):
        return  # the same effective schema: the same payloads, under the same policy
    rest_a = _rest(a)
    if _rest(b) != rest_a:
        yield Incompatibility(direction, name, "", "cannot prove: the payload envelopes differ")
        return
    relaxed = src.relaxed or dst.relaxed
    for facet in _facets(a, b, assume_unused):
        verdict = facet.verdict
        if relaxed and not facet.same:
            # A check that is not an error can expose constraints the proof relied on
            # being hidden (a type check off reveals a nested `required`): only
            # identical facets are proved under such a policy.
            reason = "cannot prove under this policy (a payload check is not an error)"
            verdict = Verdict("unknown", None, f"{reason}: {verdict.reason or 'facet changed'}")
        if verdict.included:
            continue
        yield _confirm(direction, name, a, facet, verdict, src, dst)


def _unplanned_alike(name: str, src: Side, dst: Side) -> bool:
    if is_posthog_event(name) or src.is_error("TP201"):
        return True
    if not (src.is_error("TP206") or dst.is_error("TP206")):
        return True
    return set(src.plan.events) == set(dst.plan.events)


def _core(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in ("title", "description")}


def _rest(schema: dict[str, Any]) -> Any:
    top = {k: v for k, v in schema.items() if k not in ("title", "description", "required")}
    props = {k: v for k, v in top.get("properties", {}).items() if k not in ("properties", "event")}
    props = {k: v for k, v in props.items() if k not in PERSON_KEYS}
    return canonical({**top, "properties": props})


def _section(schema: dict[str, Any]) -> dict[str, Any]:
    section: dict[str, Any] = schema["properties"]["properties"]
    return section


def _facets(a: dict[str, Any], b: dict[str, Any], assume_unused: bool) -> Iterator[_Facet]:
    sa, sb = _section(a), _section(b)
    declared_a = set(sa.get("properties") or {})
    declared = declared_a | set(sb.get("properties") or {})
    open_a = sa.get("additionalProperties", True) is not False
    skip_undeclared = assume_unused and open_a
    for key in sorted(declared):
        if skip_undeclared and key not in declared_a:
            continue
        ka, kb = key_schema(sa, key), key_schema(sb, key)
        yield _Facet(
            f"/properties/{escape_pointer(key)}", compare(ka, kb), _setter(key), _same(ka, kb)
        )
    for key in sorted(set(sb.get("required") or ()) - set(sa.get("required") or ())):
        yield _Facet(
            f"/properties/{escape_pointer(key)}",
            Verdict("unknown", None, f"`{key}` is now required"),
            _remover(key),
        )
    if not skip_undeclared:
        others = other_key_classes(sa, sb, declared)
        if others is None:
            yield _Facet("/properties", Verdict("unknown", None, "cannot prove: keys"), None)
        else:
            for key in others:
                ka, kb = key_schema(sa, key), key_schema(sb, key)
                verdict = compare(ka, kb)
                what = "`$` keys" if key.startswith("$") else "keys"
                reason = f"undeclared {what}: {verdict.reason}"
                yield _Facet(
                    "/properties",
                    Verdict(verdict.kind, verdict.witness, reason),
                    _setter(key),
                    _same(ka, kb),
                )
    for key in PERSON_KEYS:
        pa = a["properties"].get(key, True)
        pb = b["properties"].get(key, True)
        yield _Facet(f"/{escape_pointer(key)}", compare(pa, pb), _top_setter(key), _same(pa, pb))


def _same(a: Any, b: Any) -> bool:
    return bool(canonical(a) == canonical(b))


def _setter(key: str) -> Any:
    def apply(payload: dict[str, Any], value: Any) -> None:
        payload["properties"][key] = value

    return apply


def _remover(key: str) -> Any:
    def apply(payload: dict[str, Any], _value: Any) -> None:
        payload["properties"].pop(key, None)

    return apply


def _top_setter(key: str) -> Any:
    def apply(payload: dict[str, Any], value: Any) -> None:
        payload[key] = value

    return apply


def _base(name: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    """A payload named ``name`` valid under ``schema`` (required properties sampled)."""
    section = _section(schema)
    props: dict[str, Any] = {}
    for key in section.get("required") or ():
        found, value = sample(key_schema(section, key))
        if not found:
            return None
        props[key] = value
    return {"event": name, "distinct_id": WITNESS_DISTINCT_ID, "properties": props}


def _confirm(
    direction: str,
    name: str,
    a: dict[str, Any],
    facet: _Facet,
    verdict: Verdict,
    src: Side,
    dst: Side,
) -> Incompatibility:
    reason = verdict.reason or "cannot prove"
    base = _base(name, a)
    if base is None or facet.apply is None:
        return Incompatibility(direction, name, facet.pointer, _unproved(reason))
    value = verdict.witness if verdict.kind == "no" else None
    payload = copy.deepcopy(base)
    facet.apply(payload, value)
    if src.valid(payload) and not dst.valid(payload):
        return Incompatibility(direction, name, facet.pointer, _proved(reason), payload)
    return Incompatibility(direction, name, facet.pointer, _unproved(reason))


def _proved(reason: str) -> str:
    return reason.removeprefix("cannot prove: ")


def _unproved(reason: str) -> str:
    return reason if reason.startswith("cannot prove") else "cannot prove: " + reason
