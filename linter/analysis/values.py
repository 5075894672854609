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
from trackplan.registry.payloads import json_type as payload_json_type

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
    return _constructed_names(resolver, info, attribute)


def _constructed_names(resolver: Resolver, info: ClassInfo, attribute: str) -> list[str] | None:
    """The event an event class's constructor names: ``self.action = CHECKPOINT_RAN`` or
    ``super().__init__(action=CHECKPOINT_RAN)`` in the ``__init__`` of the class, or of
    the nearest base that sets it. The value is a constant, or a value object built from
    a literal (``Action("checkpoint.ran")``, see :func:`_value_object_name`)."""
    seen: set[str] = set()
    pending = [info]
    while pending:
        cls = pending.pop(0)
        if cls.qual in seen or len(seen) > _MAX_BASES:
            continue
        seen.add(cls.qual)
        init = resolver.function_scope(f"{cls.qual}.__init__")
        if init is not None and init.node is not None and init.params:
            values = list(_set_by_init(init.node, init.params[0], attribute))
            if values:
                found: list[str] = []
                for value in values:
                    names = event_names(resolver, value, init)
                    if names is None:
                        shown = _value_object_name(resolver, value, init)
                        names = None if shown is None else [shown]
                    if names is None:
                        return None
                    found += names
                return list(dict.fromkeys(found))
        for base in cls.bases:
            resolved = resolver.resolve(base, cls.scope)
            if isinstance(resolved, ClassInfo):
                pending.append(resolved)
    return None


#: How many classes of an event class's ancestry :func:`_constructed_names` reads.
_MAX_BASES = 16


def _set_by_init(
    node: cst.FunctionDef, self_name: str, attribute: str
) -> Iterator[cst.BaseExpression]:
    """The values an ``__init__`` gives ``attribute``: ``self.attribute = value`` and
    ``super().__init__(attribute=value)`` / ``Base.__init__(self, attribute=value)``
    among its top-level statements."""
    if not isinstance(node.body, cst.IndentedBlock):
        return
    for line in node.body.body:
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for small in line.body:
            if isinstance(small, (cst.Assign, cst.AnnAssign)):
                targets = (
                    [t.target for t in small.targets]
                    if isinstance(small, cst.Assign)
                    else [small.target]
                )
                if small.value is not None and any(
                    _is_self_attribute(t, self_name, attribute) for t in targets
                ):
                    yield small.value
            elif (
                isinstance(small, cst.Expr)
                and isinstance(small.value, cst.Call)
                and isinstance(small.value.func, cst.Attribute)
                and small.value.func.attr.value == "__init__"
            ):
                for arg in small.value.args:
                    if arg.keyword is not None and arg.keyword.value == attribute:
                        yield arg.value


def _is_self_attribute(target: cst.BaseExpression, self_name: str, attribute: str) -> bool:
    return (
        isinstance(target, cst.Attribute)
        and isinstance(target.value, cst.Name)
        and target.value.value == self_name
        and target.attr.value == attribute
    )


def _value_object_name(resolver: Resolver, expr: cst.BaseExpression, scope: Scope) -> str | None:
    """``CHECKPOINT_RAN`` where ``CHECKPOINT_RAN = Action("checkpoint.ran")``: an instance
    of a project class built from one string literal, which ``str()`` turns back into
    that literal: the class subclasses ``str``, or its ``__str__`` (else ``__repr__``)
    returns the attribute the literal sets (the keyword's name, or the first field of a
    dataclass-like class, or the first parameter of its ``__init__``)."""
    found = resolver.definition(expr, scope)
    if found is None:
        return None
    value, where = found
    if not isinstance(value, cst.Call) or len(value.args) != 1 or value.args[0].star:
        return None
    text = string_value(value.args[0].value)
    cls = resolver.resolve(value.func, where)
    if text is None or not isinstance(cls, ClassInfo):
        return None
    if any(isinstance(base, cst.Name) and base.value == "str" for base in cls.bases):
        return text
    shown = _shown_attribute(resolver, cls)
    if shown is None:
        return None
    keyword = value.args[0].keyword
    if keyword is not None:
        return text if keyword.value == shown else None
    init = resolver.function_scope(f"{cls.qual}.__init__")
    if init is not None:
        first = init.params[1] if len(init.params) > 1 else None
    else:
        fields = [name for name, entry in cls.attrs.items() if name not in cls.methods]
        first = fields[0] if fields else None
    return text if first == shown else None


def _shown_attribute(resolver: Resolver, cls: ClassInfo) -> str | None:
    """The attribute of ``self`` that ``__str__`` (else ``__repr__``) of ``cls`` returns."""
    for method in ("__str__", "__repr__"):
        if method not in cls.methods:
            continue
        scope = resolver.function_scope(f"{cls.qual}.{method}")
        if scope is None or not scope.params or len(scope.returns) != 1:
            return None
        returned = scope.returns[0]
        if (
            isinstance(returned, cst.Attribute)
            and isinstance(returned.value, cst.Name)
            and returned.value.value == scope.params[0]
        ):
            return returned.attr.value
        return None
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
    """The JSON type name of a literal value (``"unknown"`` for :data:`UNKNOWN`): the
    registry's one table of type names."""
    if value is UNKNOWN:
        return "unknown"
    return payload_json_type(value)


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
