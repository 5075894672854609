"""Resolving expressions to meanings, lazily and across the project's modules.

:class:`ProjectIndex` maps module names to files under the project root (``root`` and
``root/src``) and parses a module only when a name imported from it must be followed.
:class:`Resolver` evaluates names, attributes and constructor calls to
:mod:`~trackplan.linter.analysis.bindings` values, and records which project files it
read (the cache dependencies of the analysed file).
"""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
from trackplan.linter.analysis.bindings import (
    Binding,
    ClassInfo,
    Const,
    Entry,
    Instance,
    Lazy,
    Method,
    ModuleInfo,
    Ref,
    Scope,
    Unknown,
    collect_module,
)
from trackplan.linter.analysis.guards import libcst_refusal
from trackplan.linter.analysis.pruning import prunable, prune
from trackplan.linter.analysis.sdk_table import INSTANCE_CLASSES, normalise
from trackplan.linter.limits import SOURCE_READ_MAX_BYTES
from trackplan.registry.fileio import read_bytes_capped

__all__ = ["ProjectIndex", "Resolver", "string_value"]

_MAX_DEPTH = 40


class ProjectIndex:
    """The project's modules, found by path under the root and parsed on demand."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        src = self.root / "src"
        self.search_roots = [src, self.root] if src.is_dir() else [self.root]
        self._paths: dict[str, tuple[Path, bool] | None] = {}
        self._tops: dict[str, bool] = {}
        self.modules: dict[str, ModuleInfo] = {}

    def is_project(self, top: str) -> bool:
        """Is ``top`` a top-level module or package of the project?"""
        known = self._tops.get(top)
        if known is None:
            known = self.find(top) is not None or any(
                (base / top).is_dir() and any((base / top).glob("*.py"))
                for base in self.search_roots
            )
            self._tops[top] = known
        return known

    def find(self, name: str) -> tuple[Path, bool] | None:
        """(file, is_package) of module ``name``, or None when not in the project."""
        if name in self._paths:
            return self._paths[name]
        found: tuple[Path, bool] | None = None
        parts = name.split(".")
        if all(part.isidentifier() for part in parts):
            for base in self.search_roots:
                module = base.joinpath(*parts)
                if module.with_suffix(".py").is_file():
                    found = (module.with_suffix(".py"), False)
                    break
                if (module / "__init__.py").is_file():
                    found = (module / "__init__.py", True)
                    break
        self._paths[name] = found
        return found

    def module_name(self, path: Path) -> tuple[str, bool]:
        """The dotted module name of a file (and whether it is a package's ``__init__``)."""
        resolved = path.resolve()
        for base in self.search_roots:
            try:
                parts = list(resolved.relative_to(base).with_suffix("").parts)
            except ValueError:
                continue
            if parts and parts[-1] == "__init__":
                return ".".join(parts[:-1]), True
            return ".".join(parts), False
        return resolved.stem, False

    def load(self, name: str) -> ModuleInfo | None:
        """The parsed, collected module ``name`` (None when absent or unparseable)."""
        if name in self.modules:
            return self.modules[name]
        found = self.find(name)
        if found is None:
            return None
        path, is_package = found
        tree: cst.Module | None = None
        try:
            source = _names_only(read_bytes_capped(path, SOURCE_READ_MAX_BYTES))
            if source is not None:
                tree = cst.parse_module(source)
        except (
            OSError,  # also InputFileError: not a regular file, or over the size cap
            RecursionError,
            MemoryError,
            UnicodeDecodeError,
            cst.ParserSyntaxError,
            ValueError,
        ):
            tree = None
        module = self.register(name, path, tree, is_package)
        module.tree = None  # only the symbol tables are needed from a dependency
        return module

    def register(
        self, name: str, path: Path | None, tree: cst.Module | None, is_package: bool
    ) -> ModuleInfo:
        module = ModuleInfo(name, path, tree, is_package)
        self.modules[name] = module
        try:
            collect_module(module, self.is_project)
        except RecursionError:
            module.scope.names.clear()
        return module


def _names_only(source: bytes) -> bytes | None:
    """What libcst must parse of a module read only for its names: its functions
    hollowed (see :mod:`~trackplan.linter.analysis.pruning`). None when CPython finds
    the nesting too deep (libcst's parser would crash); the source itself when CPython
    cannot parse it otherwise (libcst decides)."""
    try:
        tree = ast.parse(source)
    except (RecursionError, MemoryError):
        return None
    except SyntaxError as exc:
        if "too many nested" in str(exc.msg):
            return None
        return None if libcst_refusal(source, None) else source
    except ValueError:
        return None if libcst_refusal(source, None) else source
    if not prunable(source):
        return None if libcst_refusal(source, tree) else source
    pruned = prune(source, tree, frozenset(), calls=False)
    return None if libcst_refusal(pruned.source, pruned.tree) else pruned.source


class Resolver:
    """Evaluates expressions to bindings; one per analysed file."""

    def __init__(self, index: ProjectIndex) -> None:
        self.index = index
        self.used: set[Path] = set()
        self._depth = 0
        self._active: set[str] = set()

    # -- names and entries -------------------------------------------------

    def lookup(self, name: str, scope: Scope) -> Binding | None:
        current: Scope | None = scope
        while current is not None:
            entry = current.names.get(name)
            if entry is not None:
                return self.follow(self.force(entry))
            current = current.parent
        return None

    def raw_lookup(self, name: str, scope: Scope) -> Entry | None:
        """What ``name`` is bound to, without evaluating or following it."""
        current: Scope | None = scope
        while current is not None:
            entry = current.names.get(name)
            if entry is not None:
                return entry
            current = current.parent
        return None

    def force(self, entry: Entry) -> Binding | None:
        if not isinstance(entry, Lazy):
            return entry
        if entry.result is not None:
            return entry.result
        if entry.busy or self._depth > _MAX_DEPTH:
            return None
        entry.busy = True
        self._depth += 1
        try:
            result: Binding | None = None
            if entry.value is not None:
                result = self.value_of(entry.value, entry.scope)
            if (result is None or isinstance(result, Unknown)) and entry.annotation is not None:
                result = self.instance_of_type(entry.annotation, entry.scope)
        finally:
            entry.busy = False
            self._depth -= 1
        entry.result = result if result is not None else Unknown()
        return entry.result

    def follow(self, binding: Binding | None) -> Binding | None:
        """A name imported from a project module: what it is bound to there."""
        if not isinstance(binding, Ref) or not binding.project or self._depth > _MAX_DEPTH:
            return binding
        self._depth += 1
        try:
            found = self.project_qual(binding.qual)
        finally:
            self._depth -= 1
        return found if found is not None else binding

    # -- expressions -------------------------------------------------------

    def resolve(self, expr: cst.BaseExpression, scope: Scope) -> Binding | None:
        """What a name, attribute or constructor call refers to."""
        if isinstance(expr, cst.Name):
            return self.lookup(expr.value, scope)
        if isinstance(expr, cst.Attribute):
            base = self.resolve(expr.value, scope)
            return self.member(base, expr.attr.value) if base is not None else None
        if isinstance(expr, cst.Call):
            return self.instance_of_call(expr, scope)
        return None

    def value_of(self, expr: cst.BaseExpression, scope: Scope) -> Binding | None:
        """The binding an assignment's value gives its target."""
        text = string_value(expr)
        if text is not None:
            return Const(text)
        if isinstance(expr, (cst.Name, cst.Attribute, cst.Call)):
            return self.resolve(expr, scope)
        if isinstance(expr, (cst.BooleanOperation, cst.IfExp)):
            # `client or Posthog(...)`, `Posthog(...) if key else None`: the client side
            sides = (
                (expr.left, expr.right)
                if isinstance(expr, cst.BooleanOperation)
                else (expr.body, expr.orelse)
            )
            for side in sides:
                found = self.value_of(side, scope)
                if isinstance(found, Instance):
                    return found
        return Unknown()

    def instance_of_call(self, call: cst.Call, scope: Scope) -> Binding | None:
        return self.instance_of_class(self.resolve(call.func, scope))

    def instance_of_class(self, cls: Binding | None) -> Binding | None:
        if isinstance(cls, ClassInfo):
            return Instance(cls.qual, True)
        if isinstance(cls, Ref) and not cls.project and cls.qual in INSTANCE_CLASSES:
            return Instance(INSTANCE_CLASSES[cls.qual], False)
        return None

    def instance_of_type(self, note: cst.BaseExpression, scope: Scope) -> Binding | None:
        """The instance an annotation names (``Posthog``, ``Optional[Posthog]``, ``X | None``)."""
        if isinstance(note, cst.Subscript):
            for element in note.slice:
                if isinstance(element.slice, cst.Index):
                    found = self.instance_of_type(element.slice.value, scope)
                    if found is not None:
                        return found
            return None
        if isinstance(note, cst.BinaryOperation):
            return self.instance_of_type(note.left, scope) or self.instance_of_type(
                note.right, scope
            )
        if isinstance(note, (cst.Name, cst.Attribute)):
            return self.instance_of_class(self.resolve(note, scope))
        return None

    # -- attributes --------------------------------------------------------

    def member(self, base: Binding, attr: str) -> Binding | None:
        if isinstance(base, Ref):
            qual = f"{base.qual}.{attr}"
            if not base.project:
                return Ref(normalise(qual), False)
            found = self.project_qual(qual)
            return found if found is not None else Ref(qual, True)
        if isinstance(base, ClassInfo):
            entry = base.attrs.get(attr)
            if entry is not None:
                return self.force(entry)
            return Ref(f"{base.qual}.{attr}", True)
        if isinstance(base, Instance):
            if not base.project:
                return Method(normalise(f"{base.cls}.{attr}"), False)
            return self.instance_member(base.cls, attr)
        if isinstance(base, Const) and attr == "value":
            return base
        return None

    def instance_member(self, cls_qual: str, attr: str) -> Binding | None:
        info = self.project_qual(cls_qual)
        if isinstance(info, ClassInfo):
            found = self.class_member(info, attr, set())
            if found is not None:
                return found
        return Method(f"{cls_qual}.{attr}", True)

    def class_member(self, info: ClassInfo, attr: str, seen: set[str]) -> Binding | None:
        """An attribute of an instance of ``info``, searching base classes."""
        if attr in info.methods:
            return Method(f"{info.qual}.{attr}", True)
        entry = info.attrs.get(attr)
        if entry is not None:
            return self.force(entry)
        seen.add(info.qual)
        for base_expr in info.bases:
            base = self.resolve(base_expr, info.scope)
            if isinstance(base, ClassInfo) and base.qual not in seen:
                found = self.class_member(base, attr, seen)
                if found is not None:
                    return found
            elif isinstance(base, Ref) and not base.project and base.qual in INSTANCE_CLASSES:
                return Method(normalise(f"{INSTANCE_CLASSES[base.qual]}.{attr}"), False)
        return None

    def project_qual(self, qual: str) -> Binding | None:
        """Follow a project qualified name (``app.events.SIGNED_UP``) into its module."""
        if qual in self._active or self._depth > _MAX_DEPTH:
            return None  # a re-export cycle, or a chain too long to be worth following
        self._active.add(qual)
        self._depth += 1
        try:
            return self._project_qual(qual)
        finally:
            self._active.discard(qual)
            self._depth -= 1

    def _project_qual(self, qual: str) -> Binding | None:
        parts = qual.split(".")
        for cut in range(len(parts), 0, -1):
            module_name = ".".join(parts[:cut])
            if module_name not in self.index.modules and self.index.find(module_name) is None:
                continue
            if cut == len(parts):
                return Ref(qual, True)
            module = self.index.load(module_name)
            if module is None:
                return None
            if module.path is not None:
                self.used.add(module.path)
            entry = module.scope.names.get(parts[cut])
            if entry is None:
                return None
            binding = self.follow(self.force(entry))
            for attr in parts[cut + 1 :]:
                if binding is None:
                    return None
                binding = self.member(binding, attr)
            return binding
        return None


def string_value(expr: cst.BaseExpression) -> str | None:
    """The value of a string literal (implicit concatenation and placeholder-free
    f-strings included), else None."""
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(expr, cst.ConcatenatedString):
        left = string_value(expr.left)
        right = string_value(expr.right)
        return left + right if left is not None and right is not None else None
    if isinstance(expr, cst.FormattedString):
        texts = [part for part in expr.parts if isinstance(part, cst.FormattedStringText)]
        if len(texts) == len(expr.parts):
            return "".join(part.value for part in texts)
    return None
