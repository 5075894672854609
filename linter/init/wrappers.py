"""Wrapper inference: find the app's own tracking helpers so ``init`` can declare them.

Real codebases send most events through their own functions (``capture_event(name,
props)``, ``Analytics.event(self, name, **props)``). A function or method that passes one
of its parameters on, unchanged, as the event name of an SDK call (or of another wrapper
found this way) is a wrapper; what it passes where gives its signature roles. The result
is the ``[tool.trackplan.wrappers]`` table: qualified name -> signature text in the
analyzer's own syntax (``"(self, name: event, user: distinct_id = None, **properties)"``).

A helper whose event name is *built* from a parameter (``f"app:{name}"``,
``name.lower()``) cannot be declared faithfully; it is returned undecided, for ``init``
to write as a commented suggestion.

Name resolution here is deliberately light (imports, module-level and ``self.x``
instances, ``self.method``); the analyzer does the real work once wrappers are declared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider
from trackplan.linter.analysis.sdk_table import NAME_ALIASES, SDK_MODULES, builtin_rows
from trackplan.linter.analysis.signatures import (
    ROLES,
    Signature,
    SignatureError,
    parse_signature,
)

__all__ = ["WrapperCandidate", "as_table", "infer_wrappers", "module_name"]

_MAX_ROUNDS = 4


@dataclass(frozen=True)
class WrapperCandidate:
    """A function found to pass a parameter on as an event name.

    ``signature`` is None when the helper could not be declared (see ``reason``).
    ``via`` is the qualified name of the call it forwards to.
    """

    qualname: str
    signature: str | None
    path: str
    line: int
    via: str
    reason: str = ""


def module_name(path: Path, root: Path) -> str | None:
    """The dotted module name of ``path`` under ``root`` (``src/`` layouts understood)."""
    try:
        rel = path.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    parts = list(rel.with_suffix("").parts)
    if len(parts) > 1 and parts[0] == "src" and not (root / "src" / "__init__.py").exists():
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(p.isidentifier() for p in parts):
        return None
    return ".".join(parts)


def _fold(name: str) -> str:
    for old, new in NAME_ALIASES:
        if name == old or name.startswith(old + "."):
            return new + name[len(old) :]
    return name


def _dotted(node: cst.BaseExpression) -> list[str] | None:
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return None if base is None else [*base, node.attr.value]
    return None


def _import_target(node: cst.BaseExpression) -> str:
    parts = _dotted(node)
    return ".".join(parts) if parts else ""


@dataclass
class _Param:
    name: str
    kind: str  # "posonly", "normal", "kwonly", "varargs", "varkw"
    has_default: bool


@dataclass
class _Function:
    qualname: str
    class_name: str | None
    is_method: bool
    params: list[_Param]
    node: cst.FunctionDef
    line: int


@dataclass
class _Module:
    name: str
    path: Path
    is_package: bool
    names: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    instances: dict[str, str] = field(default_factory=dict)  # local name -> class qualname
    class_attrs: dict[str, dict[str, str]] = field(default_factory=dict)
    functions: list[_Function] = field(default_factory=list)
    module: cst.Module | None = None
    _lines: dict[cst.CSTNode, int] | None = None

    def line_of(self, node: cst.FunctionDef) -> int:
        """The line of ``def name``; positions are computed only for modules that need
        them (they cost twice the parse)."""
        if self._lines is None:
            assert self.module is not None
            positions = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(
                PositionProvider
            )
            self._lines = {fn.node: positions[fn.node.name].start.line for fn in self.functions}
        return self._lines.get(node, 1)


def _resolve_relative(module: _Module, level: int, target: str) -> str:
    package = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
    if level > 1:
        package = package[: len(package) - (level - 1)]
    return ".".join([*package, *([target] if target else [])])


def _params(node: cst.FunctionDef) -> list[_Param]:
    p = node.params
    out = [_Param(x.name.value, "posonly", x.default is not None) for x in p.posonly_params]
    out += [_Param(x.name.value, "normal", x.default is not None) for x in p.params]
    if isinstance(p.star_arg, cst.Param):
        out.append(_Param(p.star_arg.name.value, "varargs", False))
    out += [_Param(x.name.value, "kwonly", x.default is not None) for x in p.kwonly_params]
    if p.star_kwarg is not None:
        out.append(_Param(p.star_kwarg.name.value, "varkw", False))
    return out


def _decorators(node: cst.FunctionDef) -> set[str]:
    found = set()
    for deco in node.decorators:
        parts = _dotted(deco.decorator)
        if parts:
            found.add(parts[-1])
    return found


def _call_target(call: cst.Call, module: _Module, fn: _Function) -> tuple[str | None, bool]:
    """The qualified name called and whether it is called through an instance."""
    parts = _dotted(call.func)
    if not parts:
        return None, False
    head, rest = parts[0], parts[1:]
    if head in ("self", "cls") and fn.class_name is not None and rest:
        cls_qual = f"{module.name}.{fn.class_name}"
        attrs = module.class_attrs.get(fn.class_name, {})
        if rest[0] in attrs and len(rest) > 1:
            return _fold(".".join([attrs[rest[0]], *rest[1:]])), True
        return ".".join([cls_qual, *rest]), head == "self"
    if head in module.instances and rest:
        return _fold(".".join([module.instances[head], *rest])), True
    if head in module.names:
        return _fold(".".join([module.names[head], *rest])), False
    return None, False


class _Collector(cst.CSTVisitor):
    """Module-level facts: imports, instances, classes and their functions."""

    def __init__(self, module: _Module) -> None:
        self.module = module
        self.class_stack: list[str] = []
        self.function_depth = 0

    def visit_Import(self, node: cst.Import) -> None:
        if self.function_depth:
            return
        for alias in node.names:
            target = _import_target(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.module.names[alias.asname.name.value] = target
            else:
                head = target.split(".")[0]
                self.module.names[head] = head

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if self.function_depth or isinstance(node.names, cst.ImportStar):
            return
        base = _import_target(node.module) if node.module is not None else ""
        level = len(node.relative)
        if level:
            base = _resolve_relative(self.module, level, base)
        for alias in node.names:
            name = _import_target(alias.name)
            local = (
                alias.asname.name.value
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                else name
            )
            self.module.names[local] = f"{base}.{name}" if base else name

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not self.class_stack and not self.function_depth:
            self.module.names[node.name.value] = f"{self.module.name}.{node.name.value}"
        self.class_stack.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not self.function_depth and len(self.class_stack) <= 1:
            cls = self.class_stack[0] if self.class_stack else None
            qual = (
                f"{self.module.name}.{cls}.{node.name.value}"
                if cls
                else (f"{self.module.name}.{node.name.value}")
            )
            if cls is None:
                self.module.names[node.name.value] = qual
            is_method = cls is not None and "staticmethod" not in _decorators(node)
            self.module.functions.append(_Function(qual, cls, is_method, _params(node), node, 0))
        self.function_depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.function_depth -= 1

    def _instance_of(self, value: cst.BaseExpression) -> str | None:
        if not isinstance(value, cst.Call):
            return None
        parts = _dotted(value.func)
        if not parts:
            return None
        if parts[0] in self.module.instances:
            return None
        qual = self.module.names.get(parts[0])
        if qual is None:
            return None
        full = _fold(".".join([qual, *parts[1:]]))
        return full if full.rsplit(".", 1)[-1][:1].isupper() else None

    def _record(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        cls_of = self._instance_of(value)
        parts = _dotted(target)
        if parts is None:
            return
        if len(parts) == 1 and not self.function_depth and not self.class_stack:
            if cls_of:
                self.module.instances[parts[0]] = cls_of
            else:
                self.module.instances.pop(parts[0], None)
                self.module.names.pop(parts[0], None)
        elif cls_of and self.class_stack:
            owner = self.class_stack[0]
            if len(parts) == 2 and parts[0] == "self":
                self.module.class_attrs.setdefault(owner, {})[parts[1]] = cls_of
            elif len(parts) == 1 and not self.function_depth:
                self.module.class_attrs.setdefault(owner, {})[parts[0]] = cls_of

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._record(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._record(node.target, node.value)


def _param_of(expr: cst.BaseExpression | None, names: set[str]) -> str | None:
    """The parameter an argument passes on: ``p``, ``p or x``, ``str(p)``, ``dict(p)``."""
    if expr is None:
        return None
    if isinstance(expr, cst.Name):
        return expr.value if expr.value in names else None
    if isinstance(expr, cst.BooleanOperation):
        return _param_of(expr.left, names)
    if isinstance(expr, cst.Call) and len(expr.args) == 1:
        callee = _dotted(expr.func)
        if callee and callee[-1] in ("str", "dict", "copy", "deepcopy"):
            return _param_of(expr.args[0].value, names)
    if (  # ``props.copy()``
        isinstance(expr, cst.Call)
        and not expr.args
        and isinstance(expr.func, cst.Attribute)
        and expr.func.attr.value == "copy"
    ):
        return _param_of(expr.func.value, names)
    if isinstance(expr, cst.Dict):
        for element in expr.elements:
            if isinstance(element, cst.StarredDictElement):
                found = _param_of(element.value, names)
                if found:
                    return found
    return None


def _mentions(expr: cst.BaseExpression, names: set[str]) -> str | None:
    """A parameter name used anywhere inside ``expr`` (for undecided helpers)."""
    found: list[str] = []

    class _Finder(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            if node.value in names:
                found.append(node.value)

    expr.visit(_Finder())
    return found[0] if found else None


@dataclass
class _Row:
    target: str
    signature: Signature
    is_wrapper: bool


def _bind(call: cst.Call, row: _Row, bound_method: bool) -> dict[str, cst.BaseExpression] | None:
    positional: list[cst.BaseExpression] = []
    keywords: dict[str, cst.BaseExpression] = {}
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is not None:
            keywords[arg.keyword.value] = arg.value
        else:
            positional.append(arg.value)
    bound = row.signature.bind(positional, keywords, bound_method=bound_method)
    if bound.extra_positional:
        return None  # not a call this signature accepts (e.g. TP501 legacy positional capture)
    roles: dict[str, cst.BaseExpression] = {}
    for role in ROLES:
        value = bound.first(role)
        if value is not None:
            roles[role] = value
    if row.signature.varkw_role == "properties" and bound.extra_keywords:
        roles.setdefault("properties", cst.Dict([]))
    return roles


def _signature_text(fn: _Function, roles: Mapping[str, str]) -> str:
    by_param = {param: role for role, param in roles.items()}
    pieces: list[str] = []
    seen_kwonly_marker = False
    posonly = [p for p in fn.params if p.kind == "posonly"]
    for param in fn.params:
        role = by_param.get(param.name)
        if param.kind == "varargs":
            pieces.append(f"*{param.name}")
            seen_kwonly_marker = True
            continue
        if param.kind == "varkw":
            if role == "properties" and param.name != "properties":
                pieces.append(f"**{param.name}: properties")
            elif role is None and param.name == "properties":
                pieces.append("**properties: None")
            else:
                pieces.append(f"**{param.name}")
            continue
        if param.kind == "kwonly" and not seen_kwonly_marker:
            pieces.append("*")
            seen_kwonly_marker = True
        if role is not None and role != param.name:
            text = f"{param.name}: {role}"
        elif role is None and param.name in ROLES:
            text = f"{param.name}: None"
        else:
            text = param.name
        if param.has_default:
            text += " = None" if ":" in text else "=None"
        pieces.append(text)
        if posonly and param is posonly[-1]:
            pieces.append("/")
    return "(" + ", ".join(pieces) + ")"


def _examine(fn: _Function, module: _Module, rows: Mapping[str, _Row]) -> WrapperCandidate | None:
    names = {p.name for p in fn.params if p.kind not in ("varargs",)}
    if fn.is_method and fn.params:
        names.discard(fn.params[0].name)
    varkw = next((p.name for p in fn.params if p.kind == "varkw"), None)
    decided: WrapperCandidate | None = None
    undecided: WrapperCandidate | None = None

    class _Calls(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is fn.node

        def visit_Call(self, node: cst.Call) -> None:
            nonlocal decided, undecided
            if decided is not None:
                return
            target, through_instance = _call_target(node, module, fn)
            row = rows.get(target) if target else None
            if row is None or row.target == fn.qualname:
                return
            roles = _bind(node, row, bound_method=through_instance and row.is_wrapper)
            if roles is None or "event" not in roles:
                return
            event_param = _param_of(roles["event"], names)
            if event_param is None:
                used = _mentions(roles["event"], names)
                if used is not None and undecided is None:
                    code = cst.Module([]).code_for_node(roles["event"])
                    undecided = WrapperCandidate(
                        fn.qualname,
                        None,
                        str(module.path),
                        module.line_of(fn.node),
                        row.target,
                        f"the event name is built from `{used}` ({code}), not passed on",
                    )
                return
            assigned = {"event": event_param}
            for role in ("distinct_id", "properties"):
                param = _param_of(roles.get(role), names)
                if param is not None and param not in assigned.values():
                    assigned[role] = param
            if "properties" not in assigned and varkw is not None:
                props = roles.get("properties")
                if props is not None and _param_of(props, {varkw}) == varkw:
                    assigned["properties"] = varkw
            text = _signature_text(fn, assigned)
            try:
                parse_signature(text)
            except SignatureError as exc:
                undecided = WrapperCandidate(
                    fn.qualname,
                    None,
                    str(module.path),
                    module.line_of(fn.node),
                    row.target,
                    str(exc),
                )
                return
            decided = WrapperCandidate(
                fn.qualname, text, str(module.path), module.line_of(fn.node), row.target
            )

    fn.node.visit(_Calls())
    return decided or undecided


def _load(path: Path, root: Path) -> _Module | None:
    name = module_name(path, root)
    if name is None:
        return None
    module = _Module(name, path, path.name == "__init__.py")
    try:
        tree = cst.parse_module(path.read_bytes())
        tree.visit(_Collector(module))
    except (OSError, cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    module.module = tree
    return module


def infer_wrappers(root: Path, files: Iterable[Path], posthog_major: int) -> list[WrapperCandidate]:
    """Every wrapper (and undecided helper) in ``files``, sorted by qualified name.

    Rounds repeat with the wrappers found so far as known callables, so a helper that
    calls another helper is found too.
    """
    rows: dict[str, _Row] = {
        target: _Row(target, row.signature, False)
        for target, row in builtin_rows(posthog_major).items()
        if row.record
    }
    found: dict[str, WrapperCandidate] = {}
    modules: list[_Module] = []
    unmatched = list(files)  # files not parsed yet: re-read each round, never all kept
    words = tuple(word.encode() for word in SDK_MODULES)
    for _ in range(_MAX_ROUNDS):
        still: list[Path] = []
        for path in unmatched:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if b"def " not in data or not any(word in data for word in words):
                still.append(path)
                continue
            module = _load(path, root)
            if module is not None:
                modules.append(module)
        unmatched = still
        before = {(q, c.signature) for q, c in found.items()}
        for module in modules:
            for fn in module.functions:
                candidate = _examine(fn, module, rows)
                if candidate is None:
                    continue
                current = found.get(fn.qualname)
                if current is None or (current.signature is None and candidate.signature):
                    found[fn.qualname] = candidate
        for qualname, candidate in found.items():
            if candidate.signature is not None:
                rows[qualname] = _Row(qualname, parse_signature(candidate.signature), True)
        if {(q, c.signature) for q, c in found.items()} == before:
            break
        words = tuple(c.qualname.rsplit(".", 1)[-1].encode() for c in found.values() if c.signature)
    return sorted(found.values(), key=lambda c: c.qualname)


def as_table(candidates: Sequence[WrapperCandidate]) -> dict[str, str]:
    """The decided candidates as a ``[tool.trackplan.wrappers]`` mapping."""
    return {c.qualname: c.signature for c in candidates if c.signature is not None}
