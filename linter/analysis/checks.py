"""The checks run on each recognised call: version, naming, plan and identity rules.

Each check reports a :class:`Finding` anchored on the argument node it is about; the
analyzer turns findings into :class:`~trackplan.registry.diagnostics.Diagnostic` values
once positions are known. Codes and default severities come from the rule catalogue.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from trackplan.linter.analysis.calls import CallFact
from trackplan.linter.analysis.resolver import Resolver
from trackplan.linter.analysis.values import (
    UNKNOWN,
    PropItem,
    Props,
    distinct_id_literals,
    event_class_names,
    event_names,
    json_type,
    literal_value,
    properties_of,
    unresolved_reason,
)
from trackplan.linter.analysis.versions import PosthogVersion
from trackplan.registry.compiler import build_validator, thaw
from trackplan.registry.diagnostics import Severity
from trackplan.registry.naming import check_event_name, check_property_name
from trackplan.registry.naming.config import Naming
from trackplan.registry.plan import Plan, PropertySpec
from trackplan.registry.posthog_names import (
    POSTHOG_EVENTS,
    SURVEY_EVENTS,
    generic_distinct_id_reason,
    is_reserved_property,
)
from trackplan.registry.suggest import closest_event, loose

__all__ = ["CallChecker", "CallResult", "Finding"]


def is_posthog_event(name: str) -> bool:
    """PostHog's own events (not any `$` name: a custom `$` name is TP104)."""
    return name in POSTHOG_EVENTS or name in SURVEY_EVENTS


_PERSON_KINDS = frozenset({"set", "set_once", "identify"})
_MAX_NAMES = 32
_EMPTY = cst.Module([])


@dataclass(frozen=True)
class Finding:
    """A rule's finding at a node, before positions are known."""

    code: str
    message: str
    node: cst.CSTNode
    event: str | None = None
    severity: Severity | None = None


@dataclass
class CallResult:
    """What one call sends (as far as the source says) and what is wrong with it."""

    events: list[str] | None
    properties: dict[str, str] | None
    distinct_id: str | None
    findings: list[Finding] = field(default_factory=list)


class CallChecker:
    """Checks calls against the naming rules, the plan and the SDK version."""

    def __init__(self, plan: Plan | None, version: PosthogVersion, resolver: Resolver) -> None:
        self.plan = plan
        self.naming = plan.naming if plan is not None else Naming()
        self.version = version
        self.resolver = resolver
        self._validators: dict[int, Any] = {}

    # -- entry point ---------------------------------------------------------

    def check(self, fact: CallFact) -> CallResult:
        row = fact.row
        result = CallResult(None, None, None)
        out = result.findings
        callee = _EMPTY.code_for_node(fact.node.func)
        if row.removed is not None:
            result.events = [row.event] if row.event else None
            out.append(
                Finding(
                    "TP502",
                    f"`{callee}()` was removed in posthog 6 (this project is on posthog "
                    f"{self.version.text}, {self._version_source()}): {row.removed}",
                    fact.node,
                    row.event,
                )
            )
            return result
        if row.legacy_positional and len(fact.positional) >= 2:
            names = event_names(self.resolver, fact.positional[1], fact.scope)
            result.events = names
            out.append(
                Finding(
                    "TP501",
                    f"legacy positional `{callee}(distinct_id, event, ...)` on posthog "
                    f"{self.version.text} ({self._version_source()}): write "
                    f"`{callee}(event, distinct_id=..., properties=...)`; at module level this "
                    "raises TypeError, on a client it raises before 6.7.6 and is silently "
                    "dropped from 6.7.6",
                    fact.node,
                    names[0] if names else None,
                )
            )
            return result
        if "event" in row.signature.roles() and fact.bound.first("event") is None:
            if fact.star_args:
                # `track(*args)`: the event is in there somewhere; never silence
                out.append(
                    Finding(
                        "TP401",
                        "event name cannot be resolved statically (passed through *args); "
                        "use a string literal, a module constant or an Enum member",
                        fact.node,
                    )
                )
            return result  # no event argument: not a call this SDK version can send
        self._event(fact, result)
        props = self._properties(fact)
        if props is not None:
            result.properties = {
                key: json_type(literal_value(self.resolver, item.value, fact.scope))
                for key, item in props.items.items()
            }
            self._property_names(props, result)
            if row.kind in _PERSON_KINDS:
                self._person(props, fact, result)
            else:
                for name in result.events or ():
                    self._against_plan(name, props, fact, result)
                self._nested_person(props, fact, result)
        elif result.events:
            for name in result.events:
                self._deprecated(name, fact.bound.first("event") or fact.node, result)
        self._identity(fact, result)
        return result

    def _version_source(self) -> str:
        if self.version.path is not None:
            return f"declared in {self.version.source}"
        return {"config": "set in config", "installed": "the installed version"}.get(
            self.version.source, "the latest release"
        )

    # -- event names -----------------------------------------------------------

    def _event(self, fact: CallFact, result: CallResult) -> None:
        row = fact.row
        if row.event_template is not None:
            self._templated(fact, row.event_template, result)
            return
        if "event" not in row.signature.roles():
            result.events = [row.event] if row.event else None
            return
        arg = fact.bound.first("event")
        if arg is None:
            return
        if row.event_class is not None:
            names = event_class_names(self.resolver, arg, fact.scope, row.event_class)
        else:
            names = event_names(self.resolver, arg, fact.scope, fact.node)
        if names is None:
            why = (
                f"an event object whose `{row.event_class}` is not a constant"
                if row.event_class is not None
                else unresolved_reason(arg)
            )
            result.findings.append(
                Finding(
                    "TP401",
                    f"event name cannot be resolved statically ({why}); "
                    "use a string literal, a module constant or an Enum member",
                    arg,
                )
            )
            return
        result.events = names
        for name in names:
            self._event_name(name, arg, result)

    def _templated(self, fact: CallFact, template: str, result: CallResult) -> None:
        """A wrapper whose event is a template over its parameters (a fixed event has
        no fields): each field takes every literal name its argument can have."""
        names = [""]
        for literal, field_name, _, _ in _format_parts(template):
            pieces = [literal]
            if field_name:
                arg = fact.bound.by_param.get(field_name)
                values = (
                    event_names(self.resolver, arg, fact.scope, fact.node)
                    if arg is not None
                    else None
                )
                if values is None:
                    node = arg if arg is not None else fact.node
                    why = unresolved_reason(arg) if arg is not None else "not given"
                    result.findings.append(
                        Finding(
                            "TP401",
                            f"event name cannot be resolved statically (`{field_name}` of the "
                            f"template {template!r} is {why}); use a string literal, a module "
                            "constant or an Enum member",
                            node,
                        )
                    )
                    return
                pieces = [literal + value for value in values]
            names = [n + p for n in names for p in pieces][:_MAX_NAMES]
        result.events = list(dict.fromkeys(names))
        for name in result.events:
            self._event_name(name, fact.node, result)

    def _event_name(self, name: str, node: cst.CSTNode, result: CallResult) -> None:
        out = result.findings
        spec = self.plan.event(name) if self.plan is not None else None
        if name.startswith("$") and not is_posthog_event(name):
            out.append(
                Finding(
                    "TP104",
                    f"event `{name}` uses PostHog's reserved `$` prefix",
                    node,
                    name,
                )
            )
        elif not is_posthog_event(name) and not (spec is not None and spec.legacy_name):
            for problem in check_event_name(name, self.naming.events):
                out.append(Finding(problem.code, problem.message, node, name))
        if self.plan is None or spec is not None or is_posthog_event(name):
            return
        out.append(Finding("TP201", f"event `{name}` is not in the plan", node, name))
        suggestion = self._closest(name)
        if suggestion is not None:
            out.append(
                Finding(
                    "TP206",
                    f"event `{name}` is not in the plan; did you mean `{suggestion}`?",
                    node,
                    name,
                )
            )

    def _closest(self, name: str) -> str | None:
        assert self.plan is not None

        return closest_event(name, {loose(planned): planned for planned in self.plan.events})

    def _deprecated(self, name: str, node: cst.CSTNode, result: CallResult) -> None:
        spec = self.plan.event(name) if self.plan is not None else None
        if spec is not None and spec.deprecated:
            result.findings.append(
                Finding("TP205", f"event `{name}` is deprecated: {spec.deprecated}", node, name)
            )

    # -- properties ------------------------------------------------------------

    def _properties(self, fact: CallFact) -> Props | None:
        signature = fact.row.signature
        if signature.varkw_role == "properties":
            props = Props(fact.node)
            for key, value in fact.bound.extra_keywords.items():
                keyword = next(
                    a.keyword for a in fact.node.args if a.keyword and a.keyword.value == key
                )
                props.items[key] = _item(keyword, value)
            props.complete = not fact.star_kwargs
            return props
        written = fact.bound.first("properties")
        if written is not None:
            return properties_of(self.resolver, written, fact.scope)
        if "properties" in signature.roles() and not (fact.star_args or fact.star_kwargs):
            return Props(None)
        return None

    def _property_names(self, props: Props, result: CallResult) -> None:
        for key, item in props.items.items():
            if key.startswith("$"):
                continue  # PostHog's own properties; TP104 is for custom `$` names only
            for problem in check_property_name(key, self.naming.properties):
                result.findings.append(Finding(problem.code, problem.message, item.key))

    def _against_plan(self, name: str, props: Props, fact: CallFact, result: CallResult) -> None:
        spec = self.plan.event(name) if self.plan is not None else None
        self._deprecated(name, fact.bound.first("event") or fact.node, result)
        if spec is None:
            return
        out = result.findings
        if props.complete:
            for required in spec.required_properties:
                if required not in props.items:
                    out.append(
                        Finding(
                            "TP202",
                            f"event `{name}` is missing required property `{required}`",
                            props.node or fact.node,
                            name,
                        )
                    )
        for key, item in props.items.items():
            prop = spec.properties.get(key)
            if prop is None:
                if not spec.additional_properties and not is_reserved_property(key):
                    out.append(
                        Finding(
                            "TP203",
                            f"property `{key}` is not declared on event `{name}`",
                            item.key,
                            name,
                        )
                    )
                continue
            problem = self._value_problem(prop, item.value, fact)
            if problem is not None:
                out.append(
                    Finding(
                        "TP204", f"property `{key}` of event `{name}`: {problem}", item.value, name
                    )
                )

    def _nested_person(self, props: Props, fact: CallFact, result: CallResult) -> None:
        for key in ("$set", "$set_once"):
            item = props.items.get(key)
            if item is None:
                continue
            nested = properties_of(self.resolver, item.value, fact.scope)
            if nested is not None:
                self._person(nested, fact, result, f" (in `{key}`)")

    def _person(self, props: Props, fact: CallFact, result: CallResult, where: str = "") -> None:
        if self.plan is None:
            return
        for key, item in props.items.items():
            prop = self.plan.person_properties.get(key)
            if prop is None:
                continue
            problem = self._value_problem(prop, item.value, fact)
            if problem is not None:
                result.findings.append(
                    Finding("TP304", f"person property `{key}`{where}: {problem}", item.value)
                )

    def _value_problem(
        self, prop: PropertySpec, node: cst.BaseExpression, fact: CallFact
    ) -> str | None:
        value = literal_value(self.resolver, node, fact.scope)
        if value is UNKNOWN:
            return None
        validator = self._validators.get(id(prop))
        if validator is None:
            try:
                # the same engine and options as runtime validation
                validator = build_validator(thaw(prop.schema))
            except Exception:  # a schema the plan checks already reported
                return None
            self._validators[id(prop)] = validator
        for error in validator.iter_errors(value):
            return str(error.message)
        return None

    # -- identity --------------------------------------------------------------

    def _identity(self, fact: CallFact, result: CallResult) -> None:
        out = result.findings
        given = False
        for arg in fact.bound.roles.get("distinct_id", []):
            for value, fallback in distinct_id_literals(self.resolver, arg, fact.scope):
                if value is None:
                    continue
                given = True
                if not fallback and result.distinct_id is None:
                    result.distinct_id = value
                event = result.events[0] if result.events else None
                out.extend(_distinct_id_findings(value, fallback, arg, event))
            if not _is_none_literal(arg):
                given = True
        event = result.events[0] if result.events else None
        row = fact.row
        if row.fixed_distinct is not None:
            given = True
            out.extend(_distinct_id_findings(row.fixed_distinct, False, fact.node, event))
        if row.distinct_fallback is not None:
            param, literal = row.distinct_fallback
            given_arg = fact.bound.by_param.get(param)
            if given_arg is None and not (fact.star_args or fact.star_kwargs):
                out.extend(_distinct_id_findings(literal, True, fact.node, event))
            elif given_arg is not None and _falsy_literal(self.resolver, given_arg, fact):
                out.extend(_distinct_id_findings(literal, True, given_arg, event))
        if (
            fact.row.server_capture
            and not given
            and not (fact.star_args or fact.star_kwargs or fact.identified)
        ):
            out.append(
                Finding(
                    "TP301",
                    "capture without a distinct id outside an `identify_context`: PostHog "
                    "sends it as a personless event with a random id",
                    fact.node,
                    result.events[0] if result.events else None,
                    Severity.WARNING,
                )
            )


def _falsy_literal(resolver: Resolver, node: cst.BaseExpression, fact: CallFact) -> bool:
    """A literal the wrapper's ``x or "fallback"`` replaces (None, "", 0, False)."""
    value = literal_value(resolver, node, fact.scope)
    return value is not UNKNOWN and not value


def _format_parts(template: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(string.Formatter().parse(template))
    except ValueError:
        return [(template, None, None, None)]


def _is_none_literal(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _distinct_id_findings(
    value: str, fallback: bool, node: cst.CSTNode, event: str | None
) -> Iterable[Finding]:
    prefix = "distinct id can fall back to" if fallback else "distinct id is"
    if not value.strip():
        what = "an empty string" if not value else "a blank string"
        yield Finding("TP301", f"{prefix} {what}: PostHog drops or rejects it", node, event)
        return
    reason = generic_distinct_id_reason(value)
    if reason is not None:
        # ``reason`` already names the value: "'anonymous' is a generic id PostHog ..."
        message = f"{prefix} a generic id: {reason}" if fallback else f"distinct id {reason}"
        yield Finding("TP302", message, node, event)
        return
    yield Finding(
        "TP303",
        f"{prefix} the hard-coded literal {value!r}: every such event lands on one person",
        node,
        event,
    )


def _item(key: cst.CSTNode | None, value: cst.BaseExpression) -> PropItem:
    return PropItem(key if key is not None else value, value)
