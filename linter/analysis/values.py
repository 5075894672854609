"""Reading argument expressions: event names, property literals, distinct ids.

Only what is written as a literal (or a constant the resolver can follow) is read;
anything else is reported as unknown, never guessed at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from trackplan.linter.analysis.bindings import Binding, ClassInfo, Const, Instance, Method, Scope
from trackplan.linter.analysis.reaching import UNKNOWN_VALUE, reaching_values
from trackplan.linter.analysis.resolver import Resolver, string_value

__all__ = [
    "UNKNOWN",
    "PropItem",
    "Props",
    "distinct_id_literals",
    "event_class_names",
    "event_names",
    "json_type",
    "literal_value",
    "properties_of",
    "unresolved_reason",
]


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


#: The value of an expression that is not a literal.
UNKNOWN: Any = _Unknown()


def event_names(
    resolver: Resolver,
    expr: cst.BaseExpression,
    scope: Scope,
    at: cst.CSTNode | None = None,
) -> list[str] | None:
    """Every name an event argument can take, or None when it is not static.

    ``at`` is the call the argument belongs to: a local assigned more than once is then
    read from the assignments that reach it (each possible name)."""
    text = string_value(expr)
    if text is not None:
        return [text]
    if isinstance(expr, cst.Name) and at is not None and scope.node is not None:
        reached = _reaching_names(resolver, expr.value, scope, at)
        if reached is None or isinstance(reached, list):
            return reached
    if isinstance(expr, cst.IfExp):
        body = event_names(resolver, expr.body, scope)
        orelse = event_names(resolver, expr.orelse, scope)
        if body is None or orelse is None:
            return None
        return list(dict.fromkeys(body + orelse))
    if isinstance(expr, (cst.Name, cst.Attribute)):
        binding = resolver.resolve(expr, scope)
        if isinstance(binding, Const):
            return [binding.value]
    return None


def event_class_names(
    resolver: Resolver, expr: cst.BaseExpression, scope: Scope, attribute: str
) -> list[str] | None:
    """The event an instance of a project event class stands for: the class attribute
    (or dataclass field default) ``attribute``, or the class name for ``__name__``.
    ``expr`` is ``SignedUp(...)`` or a name bound to one."""
    found = resolver.resolve(expr, scope)
    if isinstance(found, Const) and attribute == "value":
        return [found.value]  # `Event.SIGNED_UP` of a str Enum sent as `event.value`
    info: Binding | None = None
    if isinstance(found, Instance) and found.project:
        info = resolver.project_qual(found.cls)
    elif isinstance(found, ClassInfo):
        info = found
    if not isinstance(info, ClassInfo):
        return None
    own_name = info.qual.rpartition(".")[2]
    if attribute == "__name__":
        return [own_name]
    value = resolver.class_member(info, attribute, set())
    if isinstance(value, Const):
        return [value.value]
    if isinstance(value, Method) and value.project:
        # a property `name` returning `self.__class__.__name__` / `type(self).__name__`
        getter = resolver.function_scope(value.qual)
        if getter is not None and getter.returns and all(map(_is_class_name, getter.returns)):
            return [own_name]
    return None


def _is_class_name(expr: cst.BaseExpression) -> bool:
    if not (isinstance(expr, cst.Attribute) and expr.attr.value == "__name__"):
        return False
    inner = expr.value
    if isinstance(inner, cst.Attribute) and inner.attr.value == "__class__":
        return True
    return (
        isinstance(inner, cst.Call)
        and isinstance(inner.func, cst.Name)
        and inner.func.value == "type"
        and len(inner.args) == 1
    )


def _reaching_names(
    resolver: Resolver, name: str, scope: Scope, at: cst.CSTNode
) -> list[str] | bool | None:
    """The names a local can hold at ``at`` (False: not a local assigned more than once,
    or a parameter reassigned: use the symbol table)."""
    assigns = scope.assigns.get(name, [])
    if not assigns or (len(assigns) < 2 and name not in scope.params):
        return False
    assert scope.node is not None
    values = reaching_values(scope.node, at, name, scope.params)
    if values is None:
        return False
    found: list[str] = []
    for value in values:
        if value is UNKNOWN_VALUE:
            return None
        names = event_names(resolver, value, scope)
        if names is None:
            return None
        found += names
    return list(dict.fromkeys(found))


def unresolved_reason(expr: cst.BaseExpression) -> str:
    """A short description of why an event name is not static."""
    if isinstance(expr, cst.FormattedString):
        return "an f-string"
    if isinstance(expr, cst.BinaryOperation):
        return "a computed expression"
    if isinstance(expr, cst.Call):
        return "a function result"
    if isinstance(expr, cst.IfExp):
        return "a conditional with a non-constant branch"
    if isinstance(expr, (cst.Name, cst.Attribute)):
        return "a variable that is not a module constant"
    return "not a literal"


def literal_value(resolver: Resolver, expr: cst.BaseExpression, scope: Scope) -> Any:
    """The Python value of a JSON-like literal, or :data:`UNKNOWN`."""
    text = string_value(expr)
    if text is not None:
        return text
    if isinstance(expr, cst.Integer):
        return int(expr.value.replace("_", ""), 0)
    if isinstance(expr, cst.Float):
        return float(expr.value.replace("_", ""))
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = literal_value(resolver, expr.expression, scope)
        if isinstance(inner, (int, float)) and not isinstance(inner, bool):
            return -inner
        return UNKNOWN
    if (
        isinstance(expr, cst.Name)
        and expr.value in ("True", "False", "None")
        and resolver.lookup(expr.value, scope) is None
    ):
        return {"True": True, "False": False, "None": None}[expr.value]
    if isinstance(expr, (cst.Name, cst.Attribute)):
        binding = resolver.resolve(expr, scope)
        return binding.value if isinstance(binding, Const) else UNKNOWN
    if isinstance(expr, (cst.List, cst.Tuple)):
        items = []
        for element in expr.elements:
            if not isinstance(element, cst.Element):
                return UNKNOWN
            value = literal_value(resolver, element.value, scope)
            if value is UNKNOWN:
                return UNKNOWN
            items.append(value)
        return items
    if isinstance(expr, cst.Dict):
        props = properties_of(resolver, expr, scope)
        if props is None or not props.complete:
            return UNKNOWN
        out: dict[str, Any] = {}
        for key, item in props.items.items():
            value = literal_value(resolver, item.value, scope)
            if value is UNKNOWN:
                return UNKNOWN
            out[key] = value
        return out
    return UNKNOWN


def json_type(value: Any) -> str:
    """The JSON type name of a literal value (``"unknown"`` for :data:`UNKNOWN`)."""
    if value is UNKNOWN:
        return "unknown"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


@dataclass
class PropItem:
    """One literal property: where its key and value are written."""

    key: cst.CSTNode
    value: cst.BaseExpression


@dataclass
class Props:
    """Literal properties; ``complete`` is False when a ``**spread`` may add more."""

    node: cst.CSTNode | None
    items: dict[str, PropItem] = field(default_factory=dict)
    complete: bool = True


def properties_of(resolver: Resolver, expr: cst.BaseExpression, scope: Scope) -> Props | None:
    """The properties written as a dict literal or ``dict(...)``; None when not literal."""
    if isinstance(expr, cst.Dict):
        props = Props(expr)
        for element in expr.elements:
            if isinstance(element, cst.DictElement):
                key = literal_value(resolver, element.key, scope)
                if isinstance(key, str):
                    props.items[key] = PropItem(element.key, element.value)
                    continue
            props.complete = False
        return props
    if (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Name)
        and expr.func.value == "dict"
        and resolver.lookup("dict", scope) is None
    ):
        props = Props(expr)
        for arg in expr.args:
            if arg.keyword is not None and not arg.star:
                props.items[arg.keyword.value] = PropItem(arg.keyword, arg.value)
            elif isinstance(arg.value, cst.Dict) and not arg.star:
                inner = properties_of(resolver, arg.value, scope)
                if inner is not None:
                    props.items.update(inner.items)
                    props.complete = props.complete and inner.complete
            else:
                props.complete = False
        return props
    if (
        isinstance(expr, cst.Name)
        and expr.value == "None"
        and resolver.lookup("None", scope) is None
    ):
        return Props(expr)
    return None


def distinct_id_literals(
    resolver: Resolver, expr: cst.BaseExpression, scope: Scope
) -> Iterator[tuple[str | None, bool]]:
    """Literal distinct ids an argument is or can fall back to: ``(value, fallback)``.

    ``user.id or "anonymous"`` yields ``("anonymous", True)``; ``None`` yields
    ``(None, False)``; a plain variable yields nothing.
    """
    if isinstance(expr, cst.BooleanOperation):
        for side in (expr.left, expr.right):
            for value, _ in distinct_id_literals(resolver, side, scope):
                yield value, True
        return
    if isinstance(expr, cst.IfExp):
        for side in (expr.body, expr.orelse):
            for value, _ in distinct_id_literals(resolver, side, scope):
                yield value, True
        return
    value = literal_value(resolver, expr, scope)
    if value is None:
        yield None, False
    elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
        yield str(value), False
