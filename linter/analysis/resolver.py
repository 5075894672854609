"""Resolving expressions to meanings, lazily and across the project's modules.

:class:`ProjectIndex` maps module names to files under the project root (``root`` and
``root/src``) and parses a module only when a name imported from it must be followed.
:class:`Resolver` evaluates names, attributes and constructor calls to
:mod:`~trackplan.linter.analysis.bindings` values, and records which project files it
read (the cache dependencies of the analysed file).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
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
#: Links of ``from a import X`` re-exports :meth:`Resolver.definition` follows.
_MAX_REEXPORTS = 8
#: Method names of dependency-injection containers: ``x.require(Cls)`` is a ``Cls``.
_INJECTORS = frozenset({"require", "instance", "get_instance", "resolve", "inject", "get_service"})


class ProjectIndex:
    """The project's modules, found by path under the root and parsed on demand."""

    def __init__(self, root: Path, source_roots: Sequence[Path] | None = None) -> None:
        self.root = root.resolve()
        self.search_roots = (
            [*dict.fromkeys(p.resolve() for p in source_roots)]
            if source_roots
            else discover_source_roots(self.root)
        )
        self._paths: dict[str, tuple[Path, bool] | None] = {}
        self._tops: dict[str, bool] = {}
        self.modules: dict[str, ModuleInfo] = {}
        #: Modules parsed with their function bodies (wrapper inference reads them).
        self.full: dict[str, ModuleInfo] = {}
        #: Attribute name -> SDK class, from the whole-project pass (``state.posthog``).
        self.client_attrs: dict[str, str] = {}
        #: ``callee:slot`` -> classes given there, from the project's call sites.
        self.param_types: dict[str, tuple[str, ...]] = {}

    def is_project(self, top: str) -> bool:
        """Is ``top`` a top-level module or package of the project?"""
        known = self._tops.get(top)
        if known is None:
            known = self.find(top) is not None or any(
                (base / top).is_dir()
                and (any((base / top).glob("*.py")) or _holds_packages(base / top))
                for base in self.search_roots
            )  # a namespace package: its modules, or packages, inside
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

    def load_full(self, name: str, names: frozenset[str]) -> ModuleInfo | None:
        """Module ``name`` with the bodies of its functions that hold calls named in
        ``names`` (pruned like an analysed file); the analysed module itself when it is
        the one asked for."""
        current = self.modules.get(name)
        if current is not None and current.tree is not None:
            return current
        if name in self.full:
            return self.full[name]
        found = self.find(name)
        if found is None:
            return None
        path, is_package = found
        tree: cst.Module | None = None
        try:
            source = path.read_bytes()
            checked = ast.parse(source)
            if prunable(source):
                source = prune(source, checked, names).source
            tree = cst.parse_module(source)
        except (OSError, RecursionError, MemoryError, SyntaxError, ValueError):
            tree = None
        except (UnicodeDecodeError, cst.ParserSyntaxError):
            tree = None
        module = ModuleInfo(name, path, tree, is_package)
        try:
            collect_module(module, self.is_project)
        except RecursionError:
            module.scope.names.clear()
        self.full[name] = module
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


#: Top-level directories that never hold the application's own packages.
_NOT_SOURCE = frozenset({"tests", "test", "docs", "doc", "scripts", "examples", "venv", "env"})


#: Class names of null objects (``NoopBackend``, ``DummyClient``): never the real client.
_NULL_OBJECT = ("Noop", "NoOp", "Null", "Dummy", "Fake", "Mock", "Disabled", "Nop")


def _preferred(instances: list[Instance]) -> Instance | None:
    """The instance a factory gives for tracking: an SDK client, else the one project
    class that is not a null object."""
    for instance in instances:
        if not instance.project:
            return instance
    real = {i.cls: i for i in instances if not i.cls.rpartition(".")[2].startswith(_NULL_OBJECT)}
    if len(real) == 1:
        return next(iter(real.values()))
    return instances[0] if len({i.cls for i in instances}) == 1 else None


def discover_source_roots(root: Path) -> list[Path]:
    """Where the project's top-level packages live when nothing is configured: ``src/``
    for a src layout; else the one top-level directory that is not a package itself but
    holds packages (``backend/app/__init__.py``), when there is exactly one and the root
    holds no package; else, in a monorepo, every second-level directory holding packages
    (``packages/sdk/sdk_pkg/__init__.py``); and always the root itself, last."""
    src = root / "src"
    if src.is_dir() and not (src / "__init__.py").is_file():
        return [src, root]
    try:
        tops = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))]
    except OSError:
        return [root]
    if any((p / "__init__.py").is_file() for p in tops):
        return [root]
    candidates = [p for p in tops if _may_hold_source(p)]
    holders = [p for p in candidates if _holds_packages(p, 0)]
    if len(holders) == 1:
        return [holders[0], root]
    if holders:
        return [root]
    # a monorepo: `packages/<project>/<package>/__init__.py` (namespace packages too), in
    # project directories (a pyproject.toml, setup.py or setup.cfg) one level deeper
    nested: list[Path] = []
    for top in sorted(candidates)[:50]:
        try:
            inner = sorted(p for p in top.iterdir() if p.is_dir() and _may_hold_source(p))
        except OSError:
            continue
        nested += [p for p in inner[:100] if _is_project(p) and _holds_packages(p)]
    return [*nested, root]


def _is_project(directory: Path) -> bool:
    return any((directory / n).is_file() for n in ("pyproject.toml", "setup.py", "setup.cfg"))


def _may_hold_source(directory: Path) -> bool:
    return (
        not directory.name.startswith((".", "_"))
        and directory.name not in _NOT_SOURCE
        and not (directory / "__init__.py").is_file()
        and not (directory / "pyvenv.cfg").exists()
    )


def _holds_packages(directory: Path, depth: int = 1) -> bool:
    """Does ``directory`` hold a package (or a namespace package holding one)?"""
    try:
        children = [p for p in directory.iterdir() if p.is_dir() and p.name.isidentifier()]
    except OSError:
        return False
    if any((p / "__init__.py").is_file() for p in children):
        return True
    return depth > 0 and any(_holds_packages(p, depth - 1) for p in children[:20])


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
            if (result is None or isinstance(result, Unknown)) and entry.param is not None:
                result = self.param_type(entry.param, entry.scope)
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
            found = self.member(base, expr.attr.value) if base is not None else None
            if (
                found is None
                or isinstance(found, Unknown)
                or (isinstance(found, (Ref, Method)) and found.project)
            ):
                client = self.client_attribute(expr.attr.value, scope, base)
                if client is not None:
                    return client
            return found
        if isinstance(expr, cst.Call):
            return self.instance_of_call(expr, scope)
        return None

    def client_attribute(self, attr: str, scope: Scope, base: Binding | None) -> Binding | None:
        """``anything.posthog`` where the project assigns an SDK client to an attribute
        of that name (``app.state.posthog = Posthog(...)``, in this module or, through
        the whole-project pass, anywhere). A name the base really has wins."""
        if isinstance(base, Ref) and not base.project:
            return None
        if isinstance(base, Method) and base.project:
            return None
        if isinstance(base, ClassInfo) and attr in base.methods:
            return None
        if isinstance(base, Instance) and base.project:
            info = self.project_qual(base.cls)
            if isinstance(info, ClassInfo) and self.class_member(info, attr, set()) is not None:
                return None
        for entry in scope.module.attr_values.get(attr, ()):
            found = self.force(entry)
            if isinstance(found, Instance) and not found.project:
                return found
        cls = self.index.client_attrs.get(attr)
        if cls is not None:
            return self.instance_of_class(Ref(normalise(cls), False))
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

    def param_type(self, keys: tuple[str, ...], scope: Scope) -> Binding | None:
        """What the project's call sites pass to an unannotated parameter: a project
        class instance (flow-insensitive, by callee name and slot; see
        :meth:`ProjectFacts.param_types`)."""
        for key in keys:
            # classes imported by a caller first: a bare name is a class of the calling
            # module itself (a test's stand-in, more often than not)
            imported: set[str] = set()
            local: set[str] = set()
            sdk: set[str] = set()
            for cls in self.index.param_types.get(key, ()):
                found: Binding | None = None
                if cls.startswith("@"):  # a parameter passed on: its own callers say
                    if cls in self._active or self._depth > _MAX_DEPTH:
                        continue
                    self._active.add(cls)
                    self._depth += 1
                    try:
                        passed = self.param_type(tuple(cls[1:].split("|")), scope)
                    finally:
                        self._active.discard(cls)
                        self._depth -= 1
                    if isinstance(passed, Instance) and passed.project:
                        imported.add(passed.cls)
                    continue
                if cls.startswith("^"):  # `self` passed by a method of a class in that file
                    path, _, name = cls[1:].partition(">")
                    module, _ = self.index.module_name(Path(path))
                    found = self.project_qual(f"{module}.{name}")
                    if isinstance(found, ClassInfo):
                        imported.add(found.qual)
                    continue
                if "." in cls:
                    top = cls.split(".")[0]
                    if not self.index.is_project(top):
                        client = self.instance_of_class(Ref(normalise(cls), False))
                        if isinstance(client, Instance):
                            sdk.add(client.cls)  # `Service(Posthog(...))`
                        continue
                    found = self.project_qual(cls)
                else:
                    found = self.lookup(cls, scope)
                if isinstance(found, ClassInfo):
                    (imported if "." in cls else local).add(found.qual)
            for classes in (imported, local):
                if len(classes) == 1:
                    return Instance(classes.pop(), True)
                if classes:
                    break
            if len(sdk) == 1 and not (imported or local):
                return Instance(sdk.pop(), False)
        return None

    def instance_of_call(self, call: cst.Call, scope: Scope) -> Binding | None:
        callee = self.resolve(call.func, scope)
        found = self.instance_of_class(callee)
        if found is None and isinstance(callee, (Ref, Method)) and callee.project:
            found = self.returned(callee.qual)
        if found is None and isinstance(call.func, cst.Attribute):
            found = self._injected(call, scope)
        return found

    def _injected(self, call: cst.Call, scope: Scope) -> Binding | None:
        """Dependency injection: ``system.instance(TelemetryClient)``,
        ``self.require(TelemetryClient)`` give an instance of the project class named."""
        assert isinstance(call.func, cst.Attribute)
        if call.func.attr.value not in _INJECTORS or len(call.args) != 1 or call.args[0].keyword:
            return None
        cls = self.resolve(call.args[0].value, scope)
        return Instance(cls.qual, True) if isinstance(cls, ClassInfo) else None

    def function_scope(self, qual: str) -> Scope | None:
        """The scope of the project function or method ``qual`` (its module's names)."""
        parts = qual.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            name = ".".join(parts[:cut])
            if not self._is_module(name):
                continue
            module = self._use(name)
            return module.defs.get(qual) if module is not None else None
        return None

    def returned(self, qual: str) -> Binding | None:
        """The SDK client a project function returns (``return Posthog(...)``, ``return
        _client``), if one of its ``return`` statements gives one: a client factory. Else
        the project module it returns, when every ``return`` that is not ``None`` gives
        the same one (``from app import analytics; return analytics``: a lazy import)."""
        if qual in self._active or self._depth > _MAX_DEPTH:
            return None
        scope = self.function_scope(qual)
        if scope is None or not scope.returns:
            return None
        self._active.add(qual)
        self._depth += 1
        try:
            found_all: list[Instance] = []
            for value in scope.returns:
                found_all += self._instances(value, scope)
            if not found_all:
                return self._returned_module(scope)
        finally:
            self._active.discard(qual)
            self._depth -= 1
        return _preferred(found_all)

    def _returned_module(self, scope: Scope) -> Binding | None:
        modules: set[str] = set()
        for value in scope.returns:
            if isinstance(value, cst.Name) and value.value == "None":
                continue
            found = self.resolve(value, scope) if isinstance(value, cst.Name) else None
            if not (isinstance(found, Ref) and found.project and self.index.find(found.qual)):
                return None
            modules.add(found.qual)
        return Ref(modules.pop(), True) if len(modules) == 1 else None

    def _instances(self, value: cst.BaseExpression, scope: Scope) -> list[Instance]:
        """Every instance ``value`` can be: a name assigned several times (``_backend =
        PostHogBackend()`` / ``_backend = NoopBackend()``) gives each assignment's."""
        if isinstance(value, cst.Name):
            entry = self.raw_lookup(value.value, scope)
            owner: Scope | None = scope
            while owner is not None and value.value not in owner.names:
                owner = owner.parent
            if isinstance(entry, Lazy) and owner is not None:
                assigns = [
                    a
                    for a in owner.assigns.get(value.value, [])
                    if not (isinstance(a.value, cst.Name) and a.value.value == "None")
                ]
                if len(assigns) > 1:
                    # what is constructed, not a declared type (a Protocol, a base) that
                    # a setter's parameter carries
                    made = [
                        self.value_of(a.value, a.scope)
                        for a in assigns
                        if isinstance(a.value, cst.Call)
                    ]
                    instances = [i for i in made if isinstance(i, Instance)]
                    if _preferred(instances) is not None:
                        return instances
                    out = [self.value_of(a.value, a.scope) for a in assigns if a.value]
                    instances = [i for i in out if isinstance(i, Instance)]
                    if instances:
                        return instances
        single = self.value_of(value, scope)
        return [single] if isinstance(single, Instance) else []

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
            if attr in base.classmethods:
                return Method(f"{base.qual}.{attr}", True)  # bound to the class: no `cls`
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

    def definition(
        self, expr: cst.BaseExpression, scope: Scope
    ) -> tuple[cst.BaseExpression, Scope] | None:
        """The expression a name (``ACTION``, ``actions.ACTION``, imported or re-exported
        from a project module) was assigned, unevaluated, with the scope it was written in;
        None for anything else."""
        entry: Entry | None = None
        if isinstance(expr, cst.Name):
            entry = self.raw_lookup(expr.value, scope)
        elif isinstance(expr, cst.Attribute):
            base = self.resolve(expr.value, scope)
            if isinstance(base, Ref) and base.project:
                entry = Ref(f"{base.qual}.{expr.attr.value}", True)
        for _ in range(_MAX_REEXPORTS):
            if isinstance(entry, Lazy):
                return (entry.value, entry.scope) if entry.value is not None else None
            if not (isinstance(entry, Ref) and entry.project):
                return None
            entry = self._module_entry(entry.qual)
        return None

    def _module_entry(self, qual: str) -> Entry | None:
        """What the top-level name of ``module.name`` is bound to, unevaluated."""
        module_name, _, name = qual.rpartition(".")
        if not module_name or not self._is_module(module_name):
            return None
        module = self._use(module_name)
        return module.scope.names.get(name) if module is not None else None

    def _is_module(self, name: str) -> bool:
        return name in self.index.modules or self.index.find(name) is not None

    def _use(self, name: str) -> ModuleInfo | None:
        """Project module ``name`` (its symbol tables), recorded as a dependency."""
        module = self.index.load(name)
        if module is not None and module.path is not None:
            self.used.add(module.path)
        return module

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
            if not self._is_module(module_name):
                continue
            if cut == len(parts):
                return Ref(qual, True)
            module = self._use(module_name)
            if module is None:
                return None
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
