"""What names mean: the light-weight symbol tables the analyzer resolves calls through.

Instead of libcst's ScopeProvider/QualifiedNameProvider (several times the cost of
parsing), one pass over a module's statements records what each name is bound to:
an imported qualified name, a string constant, a class, an SDK client instance, or
something unknown that merely shadows. Values are kept unevaluated (:class:`Lazy`) and
resolved on demand, so definition order and cross-module references cost nothing
until a tracking call needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from trackplan.linter.analysis.sdk_table import normalise

__all__ = [
    "Binding",
    "ClassInfo",
    "Const",
    "Entry",
    "Instance",
    "Lazy",
    "Method",
    "ModuleInfo",
    "Ref",
    "Scope",
    "Unknown",
    "collect_function",
    "collect_module",
]


@dataclass(frozen=True)
class Ref:
    """A module, function, class or attribute known by qualified name."""

    qual: str
    project: bool


@dataclass(frozen=True)
class Instance:
    """An instance of the class ``cls`` (an SDK client or a project class)."""

    cls: str
    project: bool


@dataclass(frozen=True)
class Method:
    """An attribute looked up on an instance: a bound method."""

    qual: str
    project: bool


@dataclass(frozen=True)
class Const:
    """A string constant."""

    value: str


@dataclass(frozen=True)
class Unknown:
    """A name bound to something the analyzer does not follow (it still shadows)."""


@dataclass(eq=False)
class ClassInfo:
    """A class defined in the project: its attributes, methods and bases."""

    qual: str
    scope: Scope
    bases: tuple[cst.BaseExpression, ...]
    attrs: dict[str, Entry] = field(default_factory=dict)
    methods: set[str] = field(default_factory=set)
    classmethods: set[str] = field(default_factory=set)
    staticmethods: set[str] = field(default_factory=set)


Binding = Ref | Instance | Method | Const | Unknown | ClassInfo


@dataclass(eq=False)
class Lazy:
    """An assignment not yet evaluated: ``value`` (or the ``annotation``) in ``scope``."""

    value: cst.BaseExpression | None
    scope: Scope
    annotation: cst.BaseExpression | None = None
    result: Binding | None = None
    busy: bool = False
    #: An unannotated parameter: ``(callee, slot)`` keys of the project's call sites
    #: (position without ``self``, and name) that may say what it is given.
    param: tuple[str, ...] | None = None


Entry = Binding | Lazy

#: ``is_project(top_level_name)``: is this top-level module part of the scanned project?
ProjectTest = Callable[[str], bool]


@dataclass(eq=False)
class Scope:
    """Names bound in a module or function body; ``parent`` skips class bodies."""

    module: ModuleInfo
    parent: Scope | None = None
    names: dict[str, Entry] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    params: tuple[str, ...] = ()
    class_info: ClassInfo | None = None
    qual: str = ""
    node: cst.FunctionDef | None = None
    #: Every assignment of each local, in source order (reaching definitions use them).
    assigns: dict[str, list[Lazy]] = field(default_factory=dict)
    #: ``kw["key"] = value`` assignments, by dict name and key.
    items: dict[str, dict[str, cst.BaseExpression]] = field(default_factory=dict)
    #: The values of the function's ``return`` statements (client factories).
    returns: list[cst.BaseExpression] = field(default_factory=list)

    def bind(self, name: str, entry: Entry) -> None:
        target = self.module.scope if name in self.globals else self
        if isinstance(entry, Lazy):
            target.assigns.setdefault(name, []).append(entry)
        old = target.names.get(name)
        if old is not None and _is_none(entry) and not _is_none(old):
            return  # `x = None` does not hide the real client assigned elsewhere
        _keep_annotation(old, entry)
        target.names[name] = entry


def _keep_annotation(old: Entry | None, new: Entry) -> None:
    """``x: Posthog | None = None`` then ``x = make()``: the declared type still holds."""
    if (
        isinstance(old, Lazy)
        and isinstance(new, Lazy)
        and old.annotation is not None
        and new.annotation is None
    ):
        new.annotation = old.annotation


def _is_none(entry: Entry) -> bool:
    return (
        isinstance(entry, Lazy)
        and isinstance(entry.value, cst.Name)
        and entry.value.value == "None"
        and entry.annotation is None
    )


@dataclass(eq=False)
class ModuleInfo:
    """One parsed module: its name, file, tree and symbol tables."""

    name: str
    path: Path | None
    tree: cst.Module | None
    is_package: bool = False
    scope: Scope = field(init=False)
    functions: dict[int, Scope] = field(default_factory=dict)
    #: Function scopes by qualified name (``app.clients.get_client``).
    defs: dict[str, Scope] = field(default_factory=dict)
    #: ``obj.attr = value`` assignments on anything but ``self``, by attribute name.
    attr_values: dict[str, list[Lazy]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.scope = Scope(self)

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


class _Importer:
    """Turns import statements into :class:`Ref` bindings."""

    def __init__(self, module: ModuleInfo, is_project: ProjectTest) -> None:
        self.module = module
        self.is_project = is_project

    def absolute(self, node: cst.ImportFrom) -> str:
        base = _dotted(node.module) if node.module is not None else ""
        dots = len(node.relative)
        if not dots:
            return base
        parts = self.module.package.split(".") if self.module.package else []
        if dots > 1:
            parts = parts[: len(parts) - (dots - 1)]
        return ".".join([*parts, base] if base else parts)

    def ref(self, qual: str) -> Ref:
        project = self.is_project(qual.split(".")[0])
        return Ref(qual if project else normalise(qual), project)

    def bind(self, node: cst.Import | cst.ImportFrom, scope: Scope) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = _dotted(alias.name)
                if alias.asname is not None:
                    name = _dotted(alias.asname.name)
                    scope.bind(name, self.ref(dotted))
                else:
                    top = dotted.split(".")[0]
                    scope.bind(top, self.ref(top))
            return
        if isinstance(node.names, cst.ImportStar):
            return
        source = self.absolute(node)
        for alias in node.names:
            name = _dotted(alias.name)
            local = _dotted(alias.asname.name) if alias.asname is not None else name
            scope.bind(local, self.ref(f"{source}.{name}" if source else name))


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        names: list[str] = []
        for element in target.elements:
            names += _target_names(element.value)
        return names
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


class _Collector:
    """One pass over a body's statements, binding names in ``scope``."""

    def __init__(self, importer: _Importer, scope: Scope, class_info: ClassInfo | None) -> None:
        self.importer = importer
        self.scope = scope
        self.class_info = class_info  # set while collecting a class body
        self.self_name: str | None = None  # the `self` parameter inside a method

    def bind(self, name: str, entry: Entry) -> None:
        if self.class_info is not None:
            self.class_info.attrs[name] = entry
        else:
            self.scope.bind(name, entry)

    def body(self, statements: object) -> None:
        for statement in statements:  # type: ignore[attr-defined]
            self.statement(statement)

    def statement(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self.small(small)
        elif isinstance(node, cst.FunctionDef):
            self.function_def(node)
        elif isinstance(node, cst.ClassDef):
            self.class_def(node)
        elif isinstance(node, (cst.If, cst.While)):
            self.block(node.body)
            if node.orelse is not None:
                self.statement(node.orelse)
        elif isinstance(node, cst.Else):
            self.block(node.body)
        elif isinstance(node, (cst.For, cst.With)):
            if isinstance(node, cst.For):
                for name in _target_names(node.target):
                    self.bind(name, Unknown())
            else:
                for item in node.items:
                    if item.asname is not None:
                        for name in _target_names(item.asname.name):
                            self.bind(name, Unknown())
            self.block(node.body)
            if isinstance(node, cst.For) and node.orelse is not None:
                self.statement(node.orelse)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            self.block(node.body)
            for handler in node.handlers:
                if handler.name is not None:
                    for name in _target_names(handler.name.name):
                        self.bind(name, Unknown())
                self.block(handler.body)
            for extra in (node.orelse, node.finalbody):
                if extra is not None:
                    self.block(extra.body)
        elif isinstance(node, cst.Match):
            for case in node.cases:
                self.block(case.body)

    def block(self, suite: cst.BaseSuite) -> None:
        if isinstance(suite, cst.IndentedBlock):
            self.body(suite.body)
        elif isinstance(suite, cst.SimpleStatementSuite):
            for small in suite.body:
                self.small(small)

    def small(self, node: cst.BaseSmallStatement) -> None:
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            if self.class_info is None:
                self.importer.bind(node, self.scope)
            return
        if isinstance(node, cst.Global):
            self.scope.globals.update(n.name.value for n in node.names)
        elif isinstance(node, cst.Assign):
            for target in node.targets:
                self.assign(target.target, Lazy(node.value, self.scope))
        elif isinstance(node, cst.AnnAssign):
            self.assign(node.target, Lazy(node.value, self.scope, node.annotation.annotation))
        elif isinstance(node, cst.AugAssign):
            for name in _target_names(node.target):
                self.bind(name, Unknown())
        elif isinstance(node, cst.Return) and node.value is not None:
            self.scope.returns.append(node.value)

    def assign(self, target: cst.BaseExpression, entry: Lazy) -> None:
        if isinstance(target, cst.Name):
            self.bind(target.value, entry)
        elif (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and self.self_name is not None
            and target.value.value == self.self_name
            and self.scope.class_info is not None
        ):
            attrs = self.scope.class_info.attrs
            old = attrs.get(target.attr.value)
            if old is None or not (_is_none(entry) and not _is_none(old)):
                _keep_annotation(old, entry)
                attrs[target.attr.value] = entry
        elif isinstance(target, cst.Attribute):
            self.scope.module.attr_values.setdefault(target.attr.value, []).append(entry)
        elif (
            isinstance(target, cst.Subscript)
            and isinstance(target.value, cst.Name)
            and len(target.slice) == 1
            and isinstance(target.slice[0].slice, cst.Index)
            and isinstance(target.slice[0].slice.value, cst.SimpleString)
        ):
            key = target.slice[0].slice.value.evaluated_value
            if isinstance(key, str) and entry.value is not None:
                self.scope.items.setdefault(target.value.value, {})[key] = entry.value
        else:
            for name in _target_names(target):
                self.bind(name, Unknown())

    def function_def(self, node: cst.FunctionDef) -> None:
        qual_base = self.class_info.qual if self.class_info else self.scope.qual
        qual = f"{qual_base}.{node.name.value}" if qual_base else node.name.value
        if self.class_info is not None:
            self.class_info.methods.add(node.name.value)
            decorators = {_dotted(d.decorator) for d in node.decorators}
            if "classmethod" in decorators:
                self.class_info.classmethods.add(node.name.value)
            if "staticmethod" in decorators:
                self.class_info.staticmethods.add(node.name.value)
            self.class_info.attrs[node.name.value] = Ref(qual, True)
            parent = self.scope
        else:
            self.scope.bind(node.name.value, Ref(qual, True))
            parent = self.scope
        collect_function(node, parent, self.importer, self.class_info, qual)

    def class_def(self, node: cst.ClassDef) -> None:
        qual_base = self.class_info.qual if self.class_info else self.scope.qual
        qual = f"{qual_base}.{node.name.value}" if qual_base else node.name.value
        info = ClassInfo(qual, self.scope, tuple(arg.value for arg in node.bases))
        self.bind(node.name.value, info)
        inner = _Collector(self.importer, self.scope, info)
        inner.block(node.body)


def collect_function(
    node: cst.FunctionDef,
    parent: Scope,
    importer: _Importer,
    class_info: ClassInfo | None,
    qual: str,
) -> Scope:
    """Build (once) the scope of a function: parameters, then its body's bindings."""
    module = parent.module
    existing = module.functions.get(id(node))
    if existing is not None:
        return existing
    scope = Scope(module, parent, class_info=class_info, qual=qual, node=node)
    module.functions[id(node)] = scope
    module.defs.setdefault(qual, scope)
    params = node.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    star = [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    scope.params = tuple(p.name.value for p in [*every, *star])
    decorators = {_dotted(d.decorator) for d in node.decorators}
    self_name: str | None = None
    # call sites name a constructor by its class, a method or function by its name
    callee = node.name.value
    if callee == "__init__" and class_info is not None:
        callee = class_info.qual.rpartition(".")[2]
    skipped = 0
    for index, param in enumerate(every):
        name = param.name.value
        if index == 0 and class_info is not None and "staticmethod" not in decorators:
            skipped = 1
            if "classmethod" in decorators:
                scope.names[name] = class_info
            else:
                scope.names[name] = Instance(class_info.qual, True)
                self_name = name
            continue
        note = param.annotation.annotation if param.annotation is not None else None
        if note is not None:
            scope.names[name] = Lazy(None, parent, note)
            continue
        keys = [f"{callee}:{name}"]
        if param in params.params or param in params.posonly_params:
            keys.append(f"{callee}:{index - skipped}")
        scope.names[name] = Lazy(None, parent, None, param=tuple(keys))
    for param in star:
        scope.names[param.name.value] = Unknown()
    collector = _Collector(importer, scope, None)
    collector.self_name = self_name
    collector.block(node.body)
    return scope


def collect_module(module: ModuleInfo, is_project: ProjectTest) -> None:
    """Fill ``module.scope`` (and class and function scopes) from its tree."""
    if module.tree is None:
        return
    module.scope.qual = module.name
    importer = _Importer(module, is_project)
    _Collector(importer, module.scope, None).body(module.tree.body)
