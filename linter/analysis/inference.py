"""Wrapper inference, the precise half: is this project function a tracking wrapper?

A function or method is a *wrapper* when it forwards one of its parameters (directly,
through locals, inside an f-string, or through a ``**kwargs`` dict) into the event,
distinct-id or properties slot of an SDK call or of another wrapper, to any depth. Its
signature is the function's own parameter list with the roles it was seen to forward;
its call sites are then checked as tracking calls, and the forwarding call inside it is
not reported (the callers are).

Inference runs on demand with the analyzer's one resolver: when a call resolves to a
project function whose name the whole-project pass (:mod:`.forwarding`) marked as a
candidate, that function's module is parsed with its bodies and the function examined;
the answer is memoised per analyzer together with the files it was read from (the cache
dependencies of every file calling it).

What a wrapper does with a parameter decides the row:

- ``capture(event)`` / ``capture(name)``: that parameter is the event;
  ``capture(f"app:{name}")`` makes an *event template* ``app:{name}``: call sites with a
  literal ``name`` send ``app:<literal>``;
- ``distinct_id=user_id or "anonymous"`` makes ``user_id`` the distinct id with a literal
  fallback: a call site that omits it or passes a falsy literal sends the fallback
  (TP302/TP303 at the call site);
- ``properties=props``, ``{**props, ...}``, ``dict(props)``, or ``**kwargs`` folded into
  the properties: that parameter (or the extra keywords) are the properties;
- ``capture(*args, **kwargs)`` forwards the whole call: the wrapper takes the inner
  signature.

An SDK call with its own literal event inside a function is an ordinary call, reported
where it is; a function forwarding only a distinct id to it is not a wrapper.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import libcst as cst
from trackplan.linter.analysis.bindings import Method, Ref, Scope
from trackplan.linter.analysis.forwarding import TASK_METHODS
from trackplan.linter.analysis.resolver import ProjectIndex, Resolver, string_value
from trackplan.linter.analysis.sdk_table import CallRow
from trackplan.linter.analysis.signatures import BoundCall, SignatureError, parse_signature

__all__ = [
    "TASK_METHODS",
    "InferredWrapper",
    "WrapperInference",
    "call_arguments",
    "flows_of_call",
    "may_be_row",
    "task_call",
    "template_fields",
]

_EMPTY = cst.Module([])
_COPIES = frozenset({"dict", "copy", "deepcopy"})
_MAX_DEPTH = 12
#: Words in a function's name that make it a tracking helper (a fixed-event wrapper).
_TRACKING_WORDS = ("capture", "track", "analytic", "telemetry")


@dataclass(frozen=True)
class InferredWrapper:
    """A function found to be a wrapper: its row, why, and what it was read from."""

    qual: str
    row: CallRow
    reason: str
    path: Path | None
    dependencies: frozenset[Path] = field(default_factory=frozenset)
    via: str = ""


@dataclass
class _Arguments:
    positional: list[cst.BaseExpression]
    keywords: dict[str, cst.BaseExpression]
    star_args: bool = False
    star_kwargs: bool = False
    star_names: tuple[str | None, str | None] = (None, None)


def call_arguments(call: cst.Call, scope: Scope, resolver: Resolver) -> _Arguments:
    """A call's arguments with literal splats expanded: ``*("a", "b")`` and
    ``**{"distinct_id": uid}`` or ``**kw`` where ``kw`` is a dict literal (plus
    ``kw["key"] = ...`` items) built in the same function."""
    out = _Arguments([], {})
    star_args_name: str | None = None
    star_kwargs_name: str | None = None
    for arg in call.args:
        if arg.star == "*":
            if isinstance(arg.value, (cst.List, cst.Tuple)) and not out.star_args:
                elements = arg.value.elements
                if all(isinstance(e, cst.Element) for e in elements):
                    out.positional.extend(e.value for e in elements)
                    continue
            out.star_args = True
            if isinstance(arg.value, cst.Name):
                star_args_name = arg.value.value
        elif arg.star == "**":
            expanded = _dict_items(arg.value, scope, resolver)
            if expanded is not None:
                items, complete = expanded
                for key, value in items.items():
                    out.keywords.setdefault(key, value)
                if complete:
                    continue
            out.star_kwargs = True
            if isinstance(arg.value, cst.Name):
                star_kwargs_name = arg.value.value
        elif arg.keyword is not None:
            out.keywords[arg.keyword.value] = arg.value
        elif not out.star_args:
            out.positional.append(arg.value)
    out.star_names = (star_args_name, star_kwargs_name)
    return out


def _dict_items(
    expr: cst.BaseExpression, scope: Scope, resolver: Resolver
) -> tuple[dict[str, cst.BaseExpression], bool] | None:
    """String-keyed items of a dict literal (or a local bound once to one, with its
    ``kw["key"] = value`` items), and whether they are all of it."""
    if isinstance(expr, cst.Name):
        if expr.value in scope.params or expr.value not in scope.names:
            return None
        assigns = scope.assigns.get(expr.value, [])
        if len(assigns) != 1 or assigns[0].value is None:
            return None
        found = _dict_items(assigns[0].value, scope, resolver)
        if found is None:
            return None
        known, complete = found
        return {**known, **scope.items.get(expr.value, {})}, complete
    items: dict[str, cst.BaseExpression] = {}
    if isinstance(expr, cst.Dict):
        complete = True
        for element in expr.elements:
            if isinstance(element, cst.DictElement):
                key = string_value(element.key)
                if key is not None:
                    items[key] = element.value
                    continue
            complete = False
        return items, complete
    if (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Name)
        and expr.func.value == "dict"
        and resolver.lookup("dict", scope) is None
    ):
        items = {}
        complete = True
        for arg in expr.args:
            if arg.keyword is not None and not arg.star:
                items[arg.keyword.value] = arg.value
            else:
                complete = False
        return items, complete
    return None


def template_fields(template: str) -> list[str]:
    """The ``{field}`` names of an event template, in order."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(template) if name]
    except ValueError:
        return []


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def task_call(node: cst.Call) -> cst.Call:
    """``task.delay(a, k=v)`` as the call ``task(a, k=v)``; ``task.apply_async(args=[a],
    kwargs={"k": v})`` too when both are literals (other options, ``countdown=``, are
    dropped). Any other call is returned as it is. The argument nodes are the call's
    own, so positions stay those of the file."""
    func = node.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in TASK_METHODS:
        return node
    if not isinstance(func.value, (cst.Name, cst.Attribute)):
        return node
    if func.attr.value == "delay":
        return node.with_changes(func=func.value)
    positional: list[cst.Arg] = []
    keywords: list[cst.Arg] = []
    for arg in node.args:
        if arg.keyword is None or arg.star:
            return node
        if arg.keyword.value == "args":
            if not isinstance(arg.value, (cst.List, cst.Tuple)):
                return node
            for element in arg.value.elements:
                if not isinstance(element, cst.Element):
                    return node  # `*rest` in the list
                positional.append(cst.Arg(element.value))
        elif arg.keyword.value == "kwargs":
            if not isinstance(arg.value, cst.Dict):
                return node
            for item in arg.value.elements:
                if not isinstance(item, cst.DictElement):
                    return node  # `**rest` in the dict
                name = string_value(item.key)
                if name is None or not name.isidentifier():
                    return node
                keywords.append(cst.Arg(item.value, keyword=cst.Name(name)))
    return node.with_changes(func=func.value, args=[*positional, *keywords])


def _calls_in(node: cst.CSTNode) -> Iterator[cst.Call]:
    """The calls of a function body, not descending into nested functions or classes."""
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and current is not node:
            continue
        if isinstance(current, cst.Call):
            yield current
        stack.extend(reversed(current.children))


@dataclass
class _Flows:
    """What one forwarding call sends of the enclosing function's parameters."""

    event: str | None = None  # template over parameters, e.g. "{name}" or "app:{name}"
    event_class: str | None = None  # `capture(event.name)`: the event is an event object
    distinct: str | None = None
    fallback: str | None = None
    fixed_distinct: str | None = None
    properties: str | None = None
    kwargs_whole: bool = False
    args_whole: bool = False


class _Function:
    """The function being examined: its scope, parameters and how values flow."""

    def __init__(self, scope: Scope, resolver: Resolver) -> None:
        assert scope.node is not None
        self.scope = scope
        self.node = scope.node
        self.resolver = resolver
        params = self.node.params
        decorators = {_dotted(d.decorator) for d in self.node.decorators}
        self.static = "staticmethod" in decorators
        self.method = scope.class_info is not None and not self.static
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        self.first = every[0].name.value if self.method and every else None
        star = params.star_arg
        self.varargs = star.name.value if isinstance(star, cst.Param) else None
        self.varkw = params.star_kwarg.name.value if params.star_kwarg is not None else None
        self.params = {p.name.value for p in every} - {self.first}

    def plain_param(self, name: str) -> bool:
        return name in self.params and name not in self.scope.assigns

    def single_value(self, name: str) -> cst.BaseExpression | None:
        """The value of a local assigned exactly once (not a parameter)."""
        if name in self.params or name in (self.varargs, self.varkw):
            return None
        assigns = self.scope.assigns.get(name, [])
        if len(assigns) != 1:
            return None
        return assigns[0].value

    def template(self, expr: cst.BaseExpression, depth: int = 0) -> str | None:
        """``expr`` as a template over the parameters (literals escaped), or None."""
        if depth > _MAX_DEPTH:
            return None
        text = string_value(expr)
        if text is not None:
            return _escape(text)
        if isinstance(expr, cst.Name):
            if self.plain_param(expr.value):
                return "{" + expr.value + "}"
            if expr.value in self.params:
                return None
            value = self.single_value(expr.value)
            if value is not None:
                return self.template(value, depth + 1)
            return self._constant(expr)
        if isinstance(expr, cst.Attribute):
            return self._constant(expr)
        if isinstance(expr, cst.FormattedString):
            out = ""
            for part in expr.parts:
                if isinstance(part, cst.FormattedStringText):
                    out += _escape(part.value)
                elif isinstance(part, cst.FormattedStringExpression):
                    if part.format_spec or part.conversion not in (None, "s"):
                        return None
                    inner = self.template(part.expression, depth + 1)
                    if inner is None:
                        return None
                    out += inner
                else:
                    return None
            return out
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
            left = self.template(expr.left, depth + 1)
            right = self.template(expr.right, depth + 1)
            return left + right if left is not None and right is not None else None
        if self._is_builtin_call(expr, "str"):
            assert isinstance(expr, cst.Call)
            return self.template(expr.args[0].value, depth + 1)
        if isinstance(expr, cst.Call):
            return self._helper_template(expr, depth)
        return None

    def _helper_template(self, call: cst.Call, depth: int) -> str | None:
        """``_build_event_key(category, noun, verb)`` of a project helper whose one
        ``return`` is a template over its own parameters: that template, its fields
        replaced by what this call passes."""
        callee = self.resolver.resolve(call.func, self.scope)
        if not isinstance(callee, (Ref, Method)) or not callee.project:
            return None
        helper = self.resolver.function_scope(callee.qual)
        if helper is None or helper.node is None or len(helper.returns) != 1:
            return None
        inner = _Function(helper, self.resolver)
        shape = inner.template(helper.returns[0], depth + 1)
        if shape is None:
            return None
        positional = [a.value for a in call.args if not a.keyword and not a.star]
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword and not a.star}
        names = [
            p.name.value for p in [*helper.node.params.posonly_params, *helper.node.params.params]
        ]
        if inner.method and names:
            names = names[1:]
        given = dict(zip(names, positional, strict=False)) | keywords
        out = ""
        for literal, field_name, spec, conversion in string.Formatter().parse(shape):
            out += _escape(literal)
            if field_name is None:
                continue
            value = given.get(field_name)
            if value is None or spec or conversion:
                return None
            piece = self.template(value, depth + 1)
            if piece is None:
                return None
            out += piece
        return out

    def _constant(self, expr: cst.BaseExpression) -> str | None:
        from trackplan.linter.analysis.bindings import Const

        found = self.resolver.resolve(expr, self.scope)
        return _escape(found.value) if isinstance(found, Const) else None

    def _is_builtin_call(self, expr: cst.BaseExpression, *names: str) -> bool:
        return (
            isinstance(expr, cst.Call)
            and isinstance(expr.func, cst.Name)
            and expr.func.value in names
            and len(expr.args) == 1
            and not expr.args[0].star
            and self.resolver.lookup(expr.func.value, self.scope) is None
        )

    def distinct(self, expr: cst.BaseExpression, depth: int = 0) -> tuple[str | None, str | None]:
        """(parameter forwarded as the distinct id, literal fallback)."""
        if depth > _MAX_DEPTH:
            return None, None
        if isinstance(expr, cst.Name):
            if self.plain_param(expr.value):
                return expr.value, None
            value = self.single_value(expr.value)
            return self.distinct(value, depth + 1) if value is not None else (None, None)
        if self._is_builtin_call(expr, "str"):
            assert isinstance(expr, cst.Call)
            return self.distinct(expr.args[0].value, depth + 1)
        sides: tuple[cst.BaseExpression, cst.BaseExpression] | None = None
        if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
            sides = (expr.left, expr.right)
        elif isinstance(expr, cst.IfExp):
            sides = (expr.body, expr.orelse)
        if sides is not None:
            param: str | None = None
            fallback: str | None = None
            for side in sides:
                text = string_value(side)
                if text is not None:
                    fallback = fallback if fallback is not None else text
                    continue
                found, inner = self.distinct(side, depth + 1)
                param = param or found
                fallback = fallback if fallback is not None else inner
            return param, fallback if param is not None else None
        return None, None

    def properties(self, expr: cst.BaseExpression, depth: int = 0) -> str | None:
        """The parameter (or ``**kwargs``) forwarded as the properties, if any."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, cst.Name):
            if self.plain_param(expr.value):
                return expr.value
            if expr.value == self.varkw:
                return "**"
            value = self.single_value(expr.value)
            return self.properties(value, depth + 1) if value is not None else None
        if self._is_builtin_call(expr, *_COPIES):
            assert isinstance(expr, cst.Call)
            return self.properties(expr.args[0].value, depth + 1)
        if (
            isinstance(expr, cst.Call)
            and not expr.args
            and isinstance(expr.func, cst.Attribute)
            and expr.func.attr.value == "copy"
        ):
            return self.properties(expr.func.value, depth + 1)
        if isinstance(expr, cst.BooleanOperation):
            return self.properties(expr.left, depth + 1)
        if isinstance(expr, cst.Dict):
            for element in expr.elements:
                if isinstance(element, cst.StarredDictElement):
                    found = self.properties(element.value, depth + 1)
                    if found is not None:
                        return found
        return None


def may_be_row(
    func: cst.BaseExpression, scope: Scope, resolver: Resolver, names: frozenset[str]
) -> bool:
    """Cheap test before resolving a callee: could it be a row of the table, an SDK's or
    a wrapper's (``names`` are their last names)?

    Resolving follows imports into other project modules (parsing them), so a call is
    only resolved when its last name is one of ``names``, or, for a bare name, when it is
    bound to an import of such a name (``from app.analytics import capture as _capture``,
    also inside the function) or to something other than an import.
    """
    if isinstance(func, cst.Attribute):
        return func.attr.value in names
    if not isinstance(func, cst.Name):
        return False
    entry = resolver.raw_lookup(func.value, scope)
    if isinstance(entry, Ref):
        return entry.qual.rpartition(".")[2] in names
    return entry is not None


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def flows(
    function: _Function,
    row: CallRow,
    bound: BoundCall[cst.BaseExpression],
    arguments: _Arguments,
) -> _Flows:
    """What a call inside ``function`` forwards of its parameters, slot by slot."""
    out = _Flows()
    star_args, star_kwargs = arguments.star_names
    if (
        not arguments.positional
        and not arguments.keywords
        and star_args is not None
        and star_args == function.varargs
        and star_kwargs == function.varkw
    ):
        out.args_whole = True
        return out
    if star_kwargs is not None and star_kwargs == function.varkw:
        out.kwargs_whole = True
    roles = row.signature.roles()
    if "event" in roles or row.event_template is not None:
        event = bound.first("event") if row.event_template is None else None
        if (
            isinstance(event, cst.Call)
            and isinstance(event.func, cst.Name)
            and event.func.value == "str"
            and len(event.args) == 1
            and not event.args[0].keyword
            and not event.args[0].star
            and isinstance(event.args[0].value, cst.Attribute)
        ):
            event = event.args[0].value  # `capture(str(event.action), ...)`
        if (
            row.event_class is None
            and isinstance(event, cst.Attribute)
            and isinstance(event.value, cst.Name)
            and function.plain_param(event.value.value)
        ):
            # `capture(event.name, ...)`: an event object whose attribute is the name
            out.event = "{" + event.value.value + "}"
            out.event_class = event.attr.value
        else:
            out.event = _event_flow(function, row, bound)
            if out.event is not None and row.event_class is not None:
                out.event_class = row.event_class
    distinct = bound.first("distinct_id")
    if distinct is not None:
        out.distinct, out.fallback = function.distinct(distinct)
        if out.distinct is None:
            out.fixed_distinct = string_value(distinct)
        elif out.fallback is None and row.distinct_fallback is not None:
            out.fallback = row.distinct_fallback[1]
    elif row.distinct_fallback is not None:
        param, literal = row.distinct_fallback
        inner = bound.by_param.get(param)
        if inner is None:
            out.fixed_distinct = literal
        else:
            out.distinct, own = function.distinct(inner)
            out.fallback = own if own is not None else literal
    elif row.fixed_distinct is not None:
        out.fixed_distinct = row.fixed_distinct  # the inner wrapper always sends it
    props = bound.first("properties")
    if props is not None:
        out.properties = function.properties(props)
    elif row.signature.varkw_role == "properties" and out.kwargs_whole:
        out.properties = "**"
    return out


def _event_flow(
    function: _Function, row: CallRow, bound: BoundCall[cst.BaseExpression]
) -> str | None:
    if row.event_template is None:
        event = bound.first("event")
        return function.template(event) if event is not None else None
    out = ""
    for literal, name, spec, conversion in string.Formatter().parse(row.event_template):
        out += _escape(literal)
        if name is None:
            continue
        if spec or conversion:
            return None
        value = bound.by_param.get(name)
        if value is None:
            return None
        inner = function.template(value)
        if inner is None:
            return None
        out += inner
    return out


def _sends_fixed_event(
    function: _Function, found: _Flows, row: CallRow, bound: BoundCall[cst.BaseExpression]
) -> bool:
    """A call sending one literal event (``capture("mcp_tool_call", {"tool": tool})``)
    whose distinct id or properties come from the function's parameters: the function
    is a fixed-event wrapper, and every call of it sends that event. Only a function
    whose name says it tracks (:data:`_TRACKING_WORDS`): a view or a clean-up method
    that also sends an event is not one."""
    if found.args_whole or found.event is None or found.event_class is not None:
        return False
    name = function.node.name.value.lower()
    if not any(word in name for word in _TRACKING_WORDS):
        return False
    if template_fields(found.event):
        return False
    if found.distinct is not None or found.properties is not None or found.kwargs_whole:
        return True
    derived = _derived(function)
    for role in ("distinct_id", "properties"):
        arg = bound.first(role)
        if arg is not None and _names(arg) & derived:
            return True
    return False


def _unescape(template: str) -> str:
    """The text of a template without fields."""
    return template.replace("{{", "{").replace("}}", "}")


def _forwards_something(found: _Flows, row: CallRow) -> bool:
    if found.args_whole:
        return True
    if "event" in row.signature.roles() or row.event_template is not None:
        return found.event is not None and bool(template_fields(found.event))
    return found.distinct is not None or found.properties is not None or found.kwargs_whole


class WrapperInference:
    """Memoised wrapper inference for one analyzer (one project, one signature table)."""

    def __init__(
        self,
        index: ProjectIndex,
        table: Mapping[str, CallRow],
        names: frozenset[str],
        candidates: frozenset[str],
        subclasses: frozenset[str] = frozenset(),
    ) -> None:
        self.index = index
        self.table = table
        self.names = names | candidates
        self.candidates = candidates
        #: base class last name -> (file, subclass name), from the whole-project pass
        self.subclasses: dict[str, list[tuple[str, str]]] = {}
        for item in sorted(subclasses):
            base, path, sub = item.split(">", 2)
            self.subclasses.setdefault(base, []).append((path, sub))
        self.memo: dict[str, InferredWrapper | None] = {}
        self._busy: set[str] = set()

    def is_candidate(self, qual: str) -> bool:
        return qual.rpartition(".")[2] in self.candidates and qual not in self.table

    def wrapper(self, qual: str) -> InferredWrapper | None:
        """The inferred wrapper ``qual`` is, or None (also for a cycle being examined)."""
        if qual in self.memo:
            return self.memo[qual]
        if qual in self._busy or not self.is_candidate(qual):
            return None
        self._busy.add(qual)
        try:
            resolver = Resolver(self.index)
            found = self._examine(qual, resolver) or self._implemented(qual)
        finally:
            self._busy.discard(qual)
        self.memo[qual] = found
        return found

    def inner_row(
        self, callee: object, resolver: Resolver, deps: set[Path] | None = None
    ) -> CallRow | None:
        """The row a resolved callee is: an SDK or declared row, or an inferred wrapper."""
        if not isinstance(callee, (Ref, Method)):
            return None
        row = self.table.get(callee.qual)
        if row is not None:
            return None if row.sdk is not None and callee.project else row
        if not callee.project:
            return None
        found = self.wrapper(callee.qual)
        if found is None:
            return None
        if deps is not None:
            deps.update(found.dependencies)
        resolver.used.update(found.dependencies)
        return found.row

    def _implemented(self, qual: str) -> InferredWrapper | None:
        """A method that is not a wrapper itself (an abstract interface) whose overrides
        in the project's subclasses are: the one wrapper they agree on."""
        owner, _, method = qual.rpartition(".")
        base = owner.rpartition(".")[2]
        found: list[InferredWrapper] = []
        for path, sub in self.subclasses.get(base, ()):
            module, _ = self.index.module_name(Path(path))
            implementation = self.wrapper(f"{module}.{sub}.{method}")
            if implementation is not None:
                found.append(implementation)
        if not found or len({w.row.signature.text for w in found}) != 1:
            return None
        chosen = found[0]
        deps = frozenset().union(*(w.dependencies for w in found))
        reason = f"{chosen.reason}, in its override {chosen.qual}"
        return replace(
            chosen,
            qual=qual,
            row=replace(chosen.row, target=qual),
            reason=reason,
            dependencies=deps,
        )

    def function(self, qual: str, resolver: Resolver) -> Scope | None:
        parts = qual.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            name = ".".join(parts[:cut])
            if name not in self.index.modules and self.index.find(name) is None:
                continue
            module = self.index.load_full(name, self.names)
            if module is None:
                return None
            if module.path is not None:
                resolver.used.add(module.path)
            return module.defs.get(qual)
        return None

    def _examine(self, qual: str, resolver: Resolver) -> InferredWrapper | None:
        scope = self.function(qual, resolver)
        if scope is None or scope.node is None:
            return None
        function = _Function(scope, resolver)
        deps: set[Path] = set()
        forwarding: list[tuple[_Flows, CallRow, cst.BaseExpression]] = []
        fixed: list[tuple[_Flows, CallRow, cst.BaseExpression]] = []
        for found_call in _calls_in(scope.node.body):
            call = task_call(found_call)
            func = call.func
            if not may_be_row(func, scope, resolver, self.names):
                continue
            callee = resolver.resolve(func, scope)
            if isinstance(callee, (Ref, Method)) and callee.qual == qual:
                continue
            row = self.inner_row(callee, resolver, deps)
            if row is None or not row.record:
                continue
            arguments = call_arguments(call, scope, resolver)
            if row.legacy_positional and len(arguments.positional) >= 2:
                continue  # a TP501 call: reported where it is
            bound = row.signature.bind(
                arguments.positional, arguments.keywords, bound_method=isinstance(callee, Method)
            )
            found = flows(function, row, bound, arguments)
            if _forwards_something(found, row):
                forwarding.append((found, row, func))
            elif _sends_fixed_event(function, found, row, bound):
                fixed.append((found, row, func))
        if not forwarding:
            # a function sending one fixed event with what it is given is a wrapper too;
            # its call (the event's one literal) stays reported where it is written
            if not fixed or len({f.event for f, _, _ in fixed}) != 1:
                return None
            forwarding = fixed
        # Several forwarding calls must agree on what they send (one wrapper sending to
        # two SDKs); a function sending different events from one parameter is not one.
        shapes = {(f.event, f.event_class, f.args_whole) for f, row, _ in forwarding}
        if len(shapes) != 1:
            return None
        found, row, func = forwarding[0]
        for other, _, _ in forwarding[1:]:
            found.distinct = found.distinct or other.distinct
            found.fallback = found.fallback if found.fallback is not None else other.fallback
            found.properties = found.properties or other.properties
            found.kwargs_whole = found.kwargs_whole or other.kwargs_whole
        made = _make_row(qual, function, row, found)
        if made is None:
            return None
        new_row, _ = made
        deps.update(resolver.used)
        reason = _reason(found, row, _EMPTY.code_for_node(func))
        return InferredWrapper(
            qual, new_row, reason, scope.module.path, frozenset(deps), row.target
        )


def _reason(found: _Flows, row: CallRow, via: str) -> str:
    if found.args_whole:
        return f"passes its *args and **kwargs on to `{via}` ({row.target})"
    parts: list[str] = []
    if found.event is not None and not template_fields(found.event):
        parts.append(f"the fixed event {_unescape(found.event)!r}")
        if found.distinct is None and found.properties is None and not found.kwargs_whole:
            parts.append("its parameters in the distinct id or the properties")
    elif found.event is not None:
        fields = template_fields(found.event)
        if found.event_class is not None:
            parts.append(f"the `{found.event_class}` of event object `{fields[0]}` as the event")
        elif found.event == "{" + fields[0] + "}":
            parts.append(f"`{fields[0]}` as the event")
        else:
            parts.append(f"the event from the template {found.event!r}")
    if found.distinct is not None:
        extra = f" (falling back to {found.fallback!r})" if found.fallback is not None else ""
        parts.append(f"`{found.distinct}` as the distinct id{extra}")
    if found.properties == "**":
        parts.append("its extra keywords as the properties")
    elif found.properties is not None:
        parts.append(f"`{found.properties}` as the properties")
    if found.kwargs_whole and not parts:
        parts.append("its **kwargs")
    return f"passes {', '.join(parts)} to `{via}` ({row.target})"


def _make_row(
    qual: str, function: _Function, inner: CallRow, found: _Flows
) -> tuple[CallRow, str] | None:
    if found.args_whole:
        # the whole call is passed on: the inner signature (behind the wrapper's `self`)
        text = inner.signature.text
        if function.method:
            params = text.strip()[1:-1].strip()
            head, _, tail = params.partition(",")
            rest = tail if head.strip() in ("self", "cls") else params
            name = "cls" if function.first == "cls" else "self"
            text = f"({name}, {rest.strip()})" if rest.strip() else f"({name})"
        try:
            signature = parse_signature(text)
        except SignatureError:
            return None
        whole = replace(inner, target=qual, signature=signature, sdk=None, legacy_positional=False)
        return whole, text
    roles: dict[str, str] = {}
    template: str | None = None
    fixed_event: str | None = None
    if found.event is not None and not template_fields(found.event):
        # checked where the literal is written, not at every call site
        fixed_event = _unescape(found.event)
    elif found.event is not None:
        fields = template_fields(found.event)
        if found.event == "{" + fields[0] + "}":
            roles[fields[0]] = "event"
        else:
            template = found.event
    if found.distinct is not None and found.distinct not in roles:
        roles[found.distinct] = "distinct_id"
    varkw_props = found.properties == "**"
    if found.properties is not None and not varkw_props and found.properties not in roles:
        roles[found.properties] = "properties"
    extra: list[str] = []
    if found.kwargs_whole:
        given = set(roles.values())
        for role in ("distinct_id", "properties"):
            if role in inner.signature.roles() and role not in given:
                extra.append(role)
    text = _signature_text(function, roles, varkw_props, extra)
    try:
        signature = parse_signature(text)
    except SignatureError:
        return None
    fallback = (found.distinct, found.fallback) if found.distinct and found.fallback else None
    kind = inner.kind
    row = CallRow(
        target=qual,
        signature=signature,
        kind=kind,
        event=fixed_event or (inner.event if template is None and found.event is None else None),
        event_template=template,
        event_class=found.event_class,
        distinct_fallback=fallback,
        # a fixed-event helper's own call reports its fixed distinct id, once
        fixed_distinct=(
            found.fixed_distinct if found.distinct is None and fixed_event is None else None
        ),
    )
    return row, text


def _signature_text(
    function: _Function, roles: Mapping[str, str], varkw_props: bool, extra: list[str]
) -> str:
    params = function.node.params
    pieces: list[str] = []

    def one(param: cst.Param, kwonly: bool = False) -> str:
        name = param.name.value
        role = roles.get(name)
        if role is not None and role != name:
            text = f"{name}: {role}"
        elif role is None and name in ("event", "distinct_id", "properties"):
            text = f"{name}: None"
        else:
            text = name
        if param.default is not None:
            text += " = None" if ":" in text else "=None"
        return text

    positional = [*params.posonly_params, *params.params]
    for index, param in enumerate(positional):
        if index == 0 and function.method:
            pieces.append("cls" if param.name.value == "cls" else "self")
        else:
            pieces.append(one(param))
        if params.posonly_params and param is params.posonly_params[-1]:
            pieces.append("/")
    if isinstance(params.star_arg, cst.Param):
        pieces.append(f"*{params.star_arg.name.value}")
    elif params.kwonly_params or extra:
        pieces.append("*")
    pieces += [one(p, True) for p in params.kwonly_params]
    taken = {p.name.value for p in [*positional, *params.kwonly_params]}
    pieces += [f"{role}=None" for role in extra if role not in taken]
    if params.star_kwarg is not None:
        name = params.star_kwarg.name.value
        if varkw_props:
            pieces.append(f"**{name}" if name == "properties" else f"**{name}: properties")
        else:
            pieces.append(f"**{name}: None" if name == "properties" else f"**{name}")
    if function.method and not positional:
        pieces.insert(0, "self")
    return "(" + ", ".join(pieces) + ")"


def flows_of_call(
    function_scope: Scope,
    resolver: Resolver,
    row: CallRow,
    bound: BoundCall[cst.BaseExpression],
    arguments: _Arguments,
) -> bool:
    """Does this call inside an inferred wrapper forward the wrapper's parameters (so it
    is the forwarding call, not reported)?"""
    if function_scope.node is None:
        return False
    function = _Function(function_scope, resolver)
    found = flows(function, row, bound, arguments)
    if _forwards_something(found, row):
        return True
    # an event built inside the wrapper from what it was given (`batched =
    # self.pending.merge(event)`; `capture(batched.name)`) is its callers' event too
    event = bound.first("event")
    return event is not None and bool(_names(event) & _derived(function))


def _names(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        stack.extend(current.children)
    return found


def _derived(function: _Function) -> set[str]:
    """The parameters and the locals assigned from expressions that mention them."""
    tainted = set(function.params) | {n for n in (function.varargs, function.varkw) if n}
    changed = True
    while changed:
        changed = False
        for name, assigns in function.scope.assigns.items():
            if name in tainted:
                continue
            if any(a.value is not None and _names(a.value) & tainted for a in assigns):
                tainted.add(name)
                changed = True
    return tainted
