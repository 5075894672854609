"""The whole-project pass of wrapper inference: which names may be tracking wrappers.

Wrapper inference has two halves. This one is cheap, syntactic and libcst-free (CPython's
``ast`` only), so the lint parent can run it before any worker starts:

- :func:`summarise` reads one module into a :class:`FileSummary`: for each function, the
  last names of the calls that receive one of its parameters (directly, through a local
  computed from one, or through ``*args``/``**kwargs``), and the attribute names the module
  assigns an SDK client to (``app.state.posthog = Posthog(...)``). A summary depends on
  the file's bytes only, so it can be cached by content digest.
- :func:`infer_facts` runs a fixpoint over the summaries: a function is a *candidate
  wrapper* when it forwards a parameter to a call named like a row of the signature table
  or like another candidate. The result, :class:`ProjectFacts`, is a few sets of names:
  prefilter tokens, names the pruning must keep, names the call finder must resolve.
- :func:`project_facts` drives the rounds over a project's files: the files holding SDK
  tokens first, then the files that mention a new candidate name (a wrapper of a wrapper
  lives where the inner wrapper is called), until no name is new.

The precise half (is this candidate really a wrapper, which parameter is the event, the
distinct id, the properties) runs in the analyzer with the one resolver: see
:mod:`~trackplan.linter.analysis.inference`. Names only widen what is looked at here; a
name that is not a wrapper costs time, never a finding.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "FileSummary",
    "ProjectFacts",
    "Scanned",
    "infer_facts",
    "iter_python_files",
    "project_facts",
    "scan_project",
    "sdkish",
    "summarise",
    "summarise_source",
]

#: Constructors of SDK clients, by last name (``Posthog(...)``, ``posthog.Client(...)``).
CLIENT_CONSTRUCTORS = frozenset({"Posthog", "Client", "Mixpanel"})
#: Modules a ``Client`` must come from to count as an SDK client here.
_CLIENT_MODULES = ("posthog", "posthoganalytics", "segment", "analytics", "rudderstack", "mixpanel")
_MAX_ROUNDS = 6
#: Methods that run a task function later with the arguments given (Celery's
#: ``delay``/``apply_async``): the call is one of the task function itself. (The same
#: set as :data:`~trackplan.linter.analysis.inference.TASK_METHODS`, which imports it.)
TASK_METHODS = frozenset({"delay", "apply_async"})
#: Words that make a module path or a receiver name an SDK's (see :func:`sdkish`).
_SDK_WORDS = ("posthog", "segment", "analytics", "rudderstack", "mixpanel")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SKIP_NAMES = frozenset({"__init__", "__new__", "__post_init__"})


@dataclass(frozen=True)
class FileSummary:
    """What one module tells the whole-project pass (JSON-ready through :meth:`to_json`)."""

    forwards: tuple[tuple[str, tuple[str, ...]], ...] = ()
    client_attrs: tuple[str, ...] = ()
    arg_types: tuple[str, ...] = ()
    #: ``Sub<Base1,Base2`` for each class with bases (last names).
    classes: tuple[str, ...] = ()
    #: ``Cls:slot>attr`` for each ``self.attr = param`` in a class's ``__init__`` (the
    #: slot as in :attr:`arg_types`: a position not counting ``self``, or the name).
    param_attrs: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "forwards": [[n, list(c)] for n, c in self.forwards],
            "attrs": [*self.client_attrs],
            "args": [*self.arg_types],
            "classes": [*self.classes],
            "pattrs": [*self.param_attrs],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileSummary:
        return cls(
            tuple((str(n), tuple(str(x) for x in c)) for n, c in data.get("forwards", ())),
            tuple(str(a) for a in data.get("attrs", ())),
            tuple(str(a) for a in data.get("args", ())),
            tuple(str(a) for a in data.get("classes", ())),
            tuple(str(a) for a in data.get("pattrs", ())),
        )


@dataclass(frozen=True)
class ProjectFacts:
    """What the whole-project pass found: handed to every analyzer of a run.

    ``wrapper_names``: last names of functions that may be tracking wrappers.
    ``client_attrs``: ``attr=qualified.Class`` for each attribute name some module assigns
    an SDK client to (``state.posthog = Posthog(...)`` gives ``posthog=posthog.Posthog``).
    """

    wrapper_names: frozenset[str] = frozenset()
    client_attrs: frozenset[str] = frozenset()
    arg_types: frozenset[str] = frozenset()
    #: ``Base>path>Sub``: project classes by the last name of a base, with their file.
    subclasses: frozenset[str] = frozenset()

    def digest(self) -> str:
        parts = [*sorted(self.wrapper_names), "--", *sorted(self.client_attrs), "--"]
        parts += [*sorted(self.arg_types), "--", *sorted(self.subclasses)]
        text = "\n".join(parts).encode()
        return hashlib.sha256(text).hexdigest()[:24]

    def param_types(self) -> dict[str, tuple[str, ...]]:
        """``callee:slot`` -> the classes call sites pass there (``onboard(io,
        Analytics())`` gives ``onboard:1`` -> ``app.analytics.Analytics``; a slot is a
        position, not counting ``self``, or a keyword). The resolver uses a slot only when
        exactly one of its classes is a project class it can find (a test's
        ``DummyAnalytics`` defined in the test module is not)."""
        out: dict[str, list[str]] = {}
        for item in sorted(self.arg_types):
            slot, _, cls = item.partition("=")
            out.setdefault(slot, []).append(cls)
        return {k: tuple(v) for k, v in out.items()}

    def tokens(self) -> frozenset[bytes]:
        """Prefilter tokens: a call of a wrapper, or a use of a client attribute, names it."""
        return frozenset(n.encode() for n in self.wrapper_names) | frozenset(
            f".{a.partition('=')[0]}".encode() for a in self.client_attrs
        )

    def client_attr_classes(self) -> dict[str, str]:
        """Attribute name -> SDK class (an attribute assigned two SDKs' clients is left out)."""
        out: dict[str, str] = {}
        clashes: set[str] = set()
        for item in self.client_attrs:
            name, _, cls = item.partition("=")
            if out.setdefault(name, cls) != cls:
                clashes.add(name)
        return {k: v for k, v in out.items() if k not in clashes}


def _dotted(node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else [*base, node.attr]
    return None


def _target_names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _target_names(e)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


class _Scope:
    """What one function (or the module) holds, gathered in the single pass."""

    __slots__ = (
        "assigns",
        "bound",
        "calls",
        "cls",
        "name",
        "owner",
        "params",
        "self_name",
        "slots",
    )

    def __init__(
        self,
        name: str | None,
        owner: str | None,
        params: dict[str, int | None],
        cls: str | None = None,
        self_name: str | None = None,
    ):
        self.name = name
        self.owner = owner
        self.params = params
        #: The class of a method, and its instance parameter (``self``): passing it on
        #: passes an instance of that class (``Commands(self.io, self)``).
        self.cls = cls
        self.self_name = self_name
        self.assigns: list[tuple[list[str], set[str]]] = []
        #: (callee last name, receiver root, receiver last name, names passed)
        self.calls: list[tuple[str, str, str, set[str]]] = []
        #: (callee, slot, constructed class parts, or the bare name passed)
        self.slots: list[tuple[str, str, list[str] | None, str | None]] = []
        self.bound: dict[str, list[str] | None] = {}  # name -> constructor parts


def _constructor(value: ast.AST) -> list[str] | None:
    """``Cls(...)`` of a capitalised (dotted) name: its parts."""
    if not isinstance(value, ast.Call):
        return None
    parts = _dotted(value.func)
    return parts if parts and parts[-1][:1].isupper() else None


class _Summariser:
    """One recursive pass over a module: every node is visited once."""

    def __init__(self) -> None:
        self.imports: dict[str, str] = {}
        self.scopes: list[_Scope] = []
        self.attrs: list[tuple[str, ast.AST]] = []
        self.classes: set[str] = set()
        self.param_attrs: set[str] = set()
        #: ``from m import name as alias`` (also relative, also in a function): alias -> name
        self.aliases: dict[str, str] = {}

    def run(self, tree: ast.Module) -> None:
        module = _Scope(None, None, {})
        self.scopes.append(module)
        for statement in tree.body:
            self.visit(statement, module, None)

    def function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, outer: _Scope, cls: str | None
    ) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator, outer, None)
        for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]:
            self.visit(default, outer, None)
        positional = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
        decorators = {d.id for d in node.decorator_list if isinstance(d, ast.Name)}
        self_name: str | None = None
        if cls is not None and positional and "staticmethod" not in decorators:
            if "classmethod" not in decorators:
                self_name = positional[0]
            positional = positional[1:]
        params: dict[str, int | None] = {a.arg: None for a in node.args.kwonlyargs}
        params.update({name: index for index, name in enumerate(positional)})
        for extra in (node.args.vararg, node.args.kwarg):
            if extra is not None:
                params[extra.arg] = None
        owner = cls if node.name == "__init__" and cls is not None else node.name
        scope = _Scope(node.name, owner, params, cls if self_name else None, self_name)
        self.scopes.append(scope)
        for statement in node.body:
            self.visit(statement, scope, None)

    def visit(self, node: ast.AST, scope: _Scope, cls: str | None) -> set[str]:
        """Visit ``node`` in ``scope``; the names it loads (for expressions)."""
        if isinstance(node, ast.Name):
            return {node.id}
        if isinstance(node, _FUNCTIONS):
            self.function(node, scope, cls)
            return set()
        if isinstance(node, ast.ClassDef):
            bases = [p[-1] for p in map(_dotted, node.bases) if p]
            if bases:
                self.classes.add(f"{node.name}<{','.join(bases)}")
            for base in [*node.bases, *node.decorator_list]:
                self.visit(base, scope, None)
            for statement in node.body:
                self.visit(statement, scope, node.name)
            return set()
        if isinstance(node, ast.Lambda):
            return set()
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    self.imports[top] = top
            return set()
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname and alias.asname != alias.name:
                    self.aliases[alias.asname] = alias.name
                if node.module and not node.level:
                    self.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            return set()
        if isinstance(node, ast.Call):
            names = self.visit(node.func, scope, cls)
            parts = _dotted(node.func)
            if parts and len(parts) > 1 and parts[-1] in TASK_METHODS:
                parts = parts[:-1]  # `track_event.delay(...)` calls `track_event`
            if parts and len(parts) == 1 and parts[0] in self.aliases:
                # `from app.analytics import capture as _capture`: a call of `capture`
                parts = [self.aliases[parts[0]]]
            argument_names: set[str] = set()
            starred = False
            for index, arg in enumerate(node.args):
                found = self.visit(arg, scope, cls)
                argument_names |= found
                starred = starred or isinstance(arg, ast.Starred)
                if parts and not starred:
                    self._slot(scope, parts[-1], str(index), arg)
            for keyword in node.keywords:
                found = self.visit(keyword.value, scope, cls)
                argument_names |= found
                if parts and keyword.arg:
                    self._slot(scope, parts[-1], keyword.arg, keyword.value)
            if parts and argument_names:
                receiver = parts[-2] if len(parts) > 1 else ""
                scope.calls.append((parts[-1], parts[0], receiver, argument_names))
            return names | argument_names
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            value = node.value
            loaded = self.visit(value, scope, cls) if value is not None else set()
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound_names: list[str] = []
            for target in targets:
                self.visit(target, scope, cls)
                bound_names += _target_names(target)
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    bound_names.append(target.value.id)  # `kw["distinct_id"] = user`
                if isinstance(target, ast.Attribute) and value is not None:
                    self.attrs.append((target.attr, value))
                    self._param_attr(scope, target, value)
            scope.assigns.append((bound_names, loaded))
            if value is not None and not isinstance(node, ast.AugAssign):
                made = _constructor(value)
                for target in targets:
                    if isinstance(target, ast.Name):
                        seen = scope.bound.get(target.id, made)
                        scope.bound[target.id] = made if seen == made else None
            return loaded
        loads: set[str] = set()
        for child in ast.iter_child_nodes(node):
            loads |= self.visit(child, scope, cls)
        return loads

    def _param_attr(self, scope: _Scope, target: ast.Attribute, value: ast.AST) -> None:
        """``self.client = client`` in ``__init__``: which constructor slot feeds which
        attribute (a client passed in makes the attribute a client receiver)."""
        if (
            scope.name == "__init__"
            and scope.owner
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
            and isinstance(value, ast.Name)
            and value.id in scope.params
        ):
            position = scope.params[value.id]
            self.param_attrs.add(f"{scope.owner}:{value.id}>{target.attr}")
            if position is not None:
                self.param_attrs.add(f"{scope.owner}:{position}>{target.attr}")

    def _slot(self, scope: _Scope, callee: str, slot: str, value: ast.AST) -> None:
        if isinstance(value, ast.Name):
            scope.slots.append((callee, slot, None, value.id))
        else:
            made = _constructor(value)
            if made is not None:
                scope.slots.append((callee, slot, made, None))

    def qualify(self, parts: list[str]) -> str:
        origin = self.imports.get(parts[0])
        return ".".join([origin, *parts[1:]]) if origin else ".".join(parts)


def _forwards(scope: _Scope, key: Callable[[str, str, str], str]) -> set[str]:
    tainted = {name for name in scope.params if name not in ("self", "cls")}
    if not tainted or not scope.calls:
        return set()
    changed = True
    while changed:
        changed = False
        for targets, loaded in scope.assigns:
            if loaded & tainted and not tainted.issuperset(targets):
                tainted.update(targets)
                changed = True
    return {key(callee, root, recv) for callee, root, recv, names in scope.calls if names & tainted}


def _arg_types(summariser: _Summariser, scope: _Scope, out: set[str]) -> None:
    for callee, slot, made, name in scope.slots:
        if made is None and name is not None:
            made = scope.bound.get(name)
        if made is not None:
            out.add(f"{callee}:{slot}={summariser.qualify(made)}")
        elif name is not None and name == scope.self_name and scope.cls is not None:
            out.add(f"{callee}:{slot}=^{scope.cls}")  # a class of this file
        elif name is not None and scope.owner is not None and name in scope.params:
            if name in scope.bound:
                continue  # rebound in the function: not the parameter any more
            position = scope.params[name]
            where = f"{name}|{scope.owner}:{position}" if position is not None else name
            out.add(f"{callee}:{slot}=@{scope.owner}:{where}")


def _client_class(value: ast.AST, imports: Mapping[str, str]) -> str | None:
    """The qualified name of the SDK class ``value`` constructs, if it is such a call."""
    if not isinstance(value, ast.Call):
        return None
    parts = _dotted(value.func)
    if not parts or parts[-1] not in CLIENT_CONSTRUCTORS:
        return None
    origin = imports.get(parts[0], "")
    if origin.split(".")[0] not in _CLIENT_MODULES:
        return None
    return ".".join([origin, *parts[1:]])


def sdkish(name: str) -> bool:
    """Whether a module path or a receiver's name mentions an SDK (``posthog``,
    ``app.posthog_client``, ``self._mixpanel``, ``segment_analytics``...)."""
    lowered = name.lower()
    return any(sdk in lowered for sdk in _SDK_WORDS)


def summarise(tree: ast.Module) -> FileSummary:
    """The module's :class:`FileSummary` (see the module docstring): one pass over it.

    A forwarded-to call is recorded by its last name when the module shows an SDK (it
    imports one, from any module path naming one, or assigns an SDK client to an
    attribute) or when the call's root name is imported from one; otherwise as
    ``name@receiver`` (``gateway.capture(payment)`` in a payments module gives
    ``capture@gateway``), which :func:`infer_facts` counts only as a call of a candidate
    wrapper or of an SDK client it can name (see there).
    """
    summariser = _Summariser()
    summariser.run(tree)
    attrs = set()
    for attr, value in summariser.attrs:
        cls = _client_class(value, summariser.imports)
        if cls is not None:
            attrs.add(f"{attr}={cls}")
    shows_sdk = bool(attrs) or any(
        sdkish(f"{alias}.{origin}") for alias, origin in summariser.imports.items()
    )

    def key(callee: str, root: str, receiver: str) -> str:
        if shows_sdk or sdkish(summariser.imports.get(root, "")):
            return callee
        return f"{callee}@{receiver}"

    forwards: dict[str, set[str]] = {}
    args: set[str] = set()
    for scope in summariser.scopes:
        _arg_types(summariser, scope, args)
        if scope.name is None or scope.name in _SKIP_NAMES:
            continue
        called = _forwards(scope, key)
        if called:
            forwards.setdefault(scope.name, set()).update(called)
    return FileSummary(
        tuple((name, tuple(sorted(called))) for name, called in sorted(forwards.items())),
        tuple(sorted(attrs)),
        tuple(sorted(args)),
        tuple(sorted(summariser.classes)),
        tuple(sorted(summariser.param_attrs)),
    )


def summarise_source(source: bytes) -> FileSummary:
    """:func:`summarise` of a file's bytes; an unparseable file summarises to nothing."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return FileSummary()
    try:
        return summarise(tree)
    except RecursionError:
        return FileSummary()


@functools.cache
def sdk_call_names() -> frozenset[str]:
    """The last names of the SDK rows under any posthog major version (``capture``,
    ``set``, ``group``...): generic words, so a call of one in a module that shows no
    SDK needs a client-like receiver to count (see :func:`infer_facts`)."""
    from trackplan.linter.analysis.sdk_table import builtin_rows, call_names

    names: frozenset[str] = frozenset()
    for major in range(1, 10):
        names |= call_names(builtin_rows(major))
    return names


def infer_facts(
    summaries: Iterable[FileSummary] | Mapping[str, FileSummary],
    base_names: Iterable[str],
    declared: Iterable[str] = (),
) -> ProjectFacts:
    """The fixpoint: candidate wrapper names reachable from ``base_names`` (the last names
    of the signature table's rows). With summaries by path, subclasses and the classes of
    methods passing their own ``self`` on (``Commands(self.io, self)``) are recorded too.

    A call recorded as ``name@receiver`` (in a module that shows no SDK) counts when
    ``name`` is a candidate already, or a declared wrapper's name that is no SDK method's,
    or an SDK method's name on a client-like receiver: an attribute some module assigns
    an SDK client to, an attribute ``__init__`` sets from a parameter that call sites
    pass an SDK client (``Service(Posthog(...))`` with ``self.client = client``), a name
    mentioning an SDK (``self.posthog_client``), or a part of a
    declared wrapper's qualified name (``telemetry`` for ``app.telemetry.capture``). So
    ``gateway.capture(payment)`` in a shop's payment code makes nothing a candidate.
    """
    base = frozenset(base_names)
    generic = sdk_call_names()
    forwards: dict[str, set[str]] = {}
    attrs: set[str] = set()
    args: set[str] = set()
    param_attrs: set[str] = set()
    subclasses: set[str] = set()
    by_path = summaries.items() if isinstance(summaries, Mapping) else (("", s) for s in summaries)
    for path, summary in by_path:
        for item in summary.classes:
            sub, _, bases = item.partition("<")
            if path:
                subclasses.update(f"{b}>{path}>{sub}" for b in bases.split(",") if b)
        for name, called in summary.forwards:
            forwards.setdefault(name, set()).update(called)
        attrs.update(summary.client_attrs)
        for item in summary.arg_types:
            slot, _, cls = item.partition("=")
            if cls.startswith("^"):  # `self` passed on: the class, by its file
                if path:
                    args.add(f"{slot}=^{path}>{cls[1:]}")
            else:
                args.add(item)
        param_attrs.update(summary.param_attrs)
    receivers = {a.partition("=")[0] for a in attrs}
    client_slots = {
        slot for slot, _, cls in (a.partition("=") for a in args) if sdkish(cls.split("|")[0])
    }
    for item in param_attrs:
        slot, _, attr = item.partition(">")
        if slot in client_slots:
            receivers.add(attr)
    for target in declared:
        receivers.update(target.split(".")[:-1])

    def seed(callee: str) -> bool:
        name, at, receiver = callee.partition("@")
        if not at:
            return name in base
        if name not in base:
            return False
        return name not in generic or receiver in receivers or sdkish(receiver)

    found: set[str] = set()
    seeded = {name for name, targets in forwards.items() if any(map(seed, targets))}
    changed = True
    while changed:
        changed = False
        for name, targets in forwards.items():
            if name in found:
                continue
            if name in seeded or any(t.partition("@")[0] in found for t in targets):
                found.add(name)
                changed = True
    return ProjectFacts(frozenset(found), frozenset(attrs), frozenset(args), frozenset(subclasses))


def _matcher(tokens: Sequence[bytes]) -> Callable[[bytes], bool]:
    """The prefilter's matcher for ``tokens`` (one pass over a file with re2; a mention
    on a comment line does not count)."""
    from trackplan.linter.prefilter import TokenMatcher

    return TokenMatcher(tokens)


@dataclass
class Scanned:
    """What :func:`project_facts` read, for a caller that would read every file again
    to prefilter it with the same tokens (the lint run): the bytes of each file that
    matched a token, and the files read that matched none. Filled only when the rounds
    ran to the end (every file was tried against every token)."""

    hits: dict[str, bytes] = field(default_factory=dict)
    misses: set[str] = field(default_factory=set)
    #: ``os.stat`` of each file the pass stat'ed (a warm run's check that nothing
    #: changed), so the prefilter need not stat it again
    stats: dict[str, os.stat_result] = field(default_factory=dict)


def project_facts(
    files: Sequence[str],
    tokens: Iterable[bytes],
    base_names: Iterable[str],
    read: Callable[[str], bytes | None],
    summary_of: Callable[[str, bytes], FileSummary] | None = None,
    declared: Iterable[str] = (),
    scanned: Scanned | None = None,
) -> tuple[ProjectFacts, set[str]]:
    """Run the rounds over ``files`` (paths); return the facts and the files that matched
    any token (the SDK ``tokens`` or a candidate's).

    ``read(path)`` gives a file's bytes (None when unreadable); ``summary_of(path, data)``
    may serve summaries from a cache (default: :func:`summarise_source`); ``declared``
    are the declared wrappers' qualified names (see :func:`infer_facts`).
    """
    summarise_one = summary_of or (lambda _path, data: summarise_source(data))
    base = tuple(base_names)
    declared = tuple(declared)
    wanted = tuple(tokens)
    matched: set[str] = set()
    summaries: dict[str, FileSummary] = {}
    facts = ProjectFacts()
    pending = list(files)
    matcher = _matcher(wanted)
    hits: dict[str, bytes] = {}
    complete = False
    for _ in range(_MAX_ROUNDS):
        still: list[str] = []
        for path in pending:
            data = read(path)
            if data is None:
                continue
            if matcher(data):
                matched.add(path)
                summaries[path] = summarise_one(path, data)
                if scanned is not None:
                    hits[path] = data
            else:
                still.append(path)
        pending = still
        new = infer_facts(summaries, base, declared)
        added = new.tokens() - facts.tokens()
        facts = new
        if not added or not pending:
            complete = True
            break
        wanted = tuple(added)
        matcher = _matcher(wanted)
    if scanned is not None and complete:
        scanned.hits = hits
        scanned.misses = set(pending)
    return facts, matched


#: Directory names never holding the project's own code.
_SKIP_DIRS = frozenset(
    {"node_modules", "site-packages", "__pycache__", "venv", "env", "build", "dist"}
)


def iter_python_files(root: Path) -> Iterator[Path]:
    """The ``.py`` files under ``root``, skipping hidden directories, virtual
    environments and build output (for callers without the lint discovery: the
    analyzer's own whole-project pass, ``--show-wrappers``)."""
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if (
                        not name.startswith(".")
                        and name not in _SKIP_DIRS
                        and not (Path(entry.path) / "pyvenv.cfg").exists()
                    ):
                        stack.append(Path(entry.path))
                elif name.endswith(".py") and entry.is_file():
                    yield Path(entry.path)
            except OSError:
                continue


def _read(path: str) -> bytes | None:
    from trackplan.registry.fileio import InputFileError, read_bytes_capped

    try:
        return read_bytes_capped(path, _MAX_BYTES)
    except InputFileError:
        return None


_MAX_BYTES = 8 * 1024 * 1024


def scan_project(root: Path, wrappers: Iterable[str], base_names: Iterable[str]) -> ProjectFacts:
    """:func:`project_facts` over every Python file under ``root`` with the analyzer's own
    tokens (what an analyzer does when no run handed it the facts)."""
    from trackplan.linter.analysis.triggers import trigger_tokens

    files = [str(p) for p in iter_python_files(root)]
    wrappers = tuple(wrappers)
    facts, _ = project_facts(files, trigger_tokens(wrappers), base_names, _read, declared=wrappers)
    return facts
