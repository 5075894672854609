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
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "FileSummary",
    "ProjectFacts",
    "infer_facts",
    "iter_python_files",
    "project_facts",
    "scan_project",
    "summarise",
    "summarise_source",
]

#: Constructors of SDK clients, by last name (``Posthog(...)``, ``posthog.Client(...)``).
CLIENT_CONSTRUCTORS = frozenset({"Posthog", "Client", "Mixpanel"})
#: Modules a ``Client`` must come from to count as an SDK client here.
_CLIENT_MODULES = ("posthog", "posthoganalytics", "segment", "analytics", "rudderstack", "mixpanel")
_MAX_ROUNDS = 6
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

    def to_json(self) -> dict[str, Any]:
        return {
            "forwards": [[n, list(c)] for n, c in self.forwards],
            "attrs": [*self.client_attrs],
            "args": [*self.arg_types],
            "classes": [*self.classes],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileSummary:
        return cls(
            tuple((str(n), tuple(str(x) for x in c)) for n, c in data.get("forwards", ())),
            tuple(str(a) for a in data.get("attrs", ())),
            tuple(str(a) for a in data.get("args", ())),
            tuple(str(a) for a in data.get("classes", ())),
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


def _names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _body_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """Every node of the function's body, not descending into nested scopes."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = list(reversed(function.body))
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, (*_FUNCTIONS, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return out


def _forwards(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every += [a for a in (args.vararg, args.kwarg) if a is not None]
    tainted = {a.arg for a in every} - {"self", "cls"}
    if not tainted:
        return ()
    nodes = _body_nodes(function)
    assigns: list[tuple[list[str], ast.AST]] = []
    for node in nodes:
        if isinstance(node, ast.Assign):
            targets = [n for t in node.targets for n in _target_names(t)]
            assigns.append((targets, node.value))
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            assigns.append((_target_names(node.target), node.value))
        elif isinstance(node, ast.NamedExpr):
            assigns.append(([node.target.id], node.value))
    for node in nodes:  # `kw["distinct_id"] = user`: the dict carries the parameter
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    assigns.append(([target.value.id], node.value))
    changed = True
    while changed:
        changed = False
        for targets, value in assigns:
            if set(targets) - tainted and _names_in(value) & tainted:
                tainted.update(targets)
                changed = True
    called: set[str] = set()
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        parts = _dotted(node.func)
        if not parts:
            continue
        values = [*node.args, *(k.value for k in node.keywords)]
        if any(_names_in(v) & tainted for v in values):
            called.add(parts[-1])
    return tuple(sorted(called))


def _target_names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _target_names(e)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _imports(tree: ast.Module) -> dict[str, str]:
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


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


def _constructed(value: ast.AST, imports: Mapping[str, str]) -> str | None:
    """The class ``value`` constructs, when it is ``Cls(...)`` of a capitalised name:
    qualified through the imports, else the bare name."""
    if not isinstance(value, ast.Call):
        return None
    parts = _dotted(value.func)
    if not parts or not parts[-1][:1].isupper():
        return None
    origin = imports.get(parts[0])
    return ".".join([origin, *parts[1:]]) if origin else ".".join(parts)


def _arg_types(
    body: Sequence[ast.AST],
    imports: Mapping[str, str],
    out: set[str],
    owner: str | None = None,
    params: Mapping[str, int | None] | None = None,
) -> None:
    """``callee:slot=Class`` for the arguments in ``body`` (one scope's nodes) that are
    a constructor call or a name bound (anywhere in the scope) to one; and
    ``callee:slot=@owner:param|position`` for a parameter of the enclosing function
    passed on unchanged (its type is then whatever the enclosing function's callers
    give, by name or position; ``params`` maps each to its position without ``self``)."""
    params = params or {}
    bound: dict[str, str | None] = {}
    for node in body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            made = _constructed(node.value, imports)
            for target in targets:
                if isinstance(target, ast.Name):
                    seen = bound.get(target.id, made)
                    bound[target.id] = made if seen == made else None
    for node in body:
        if not isinstance(node, ast.Call):
            continue
        parts = _dotted(node.func)
        if not parts:
            continue
        slots = [(str(i), a) for i, a in enumerate(node.args)]
        slots += [(k.arg, k.value) for k in node.keywords if k.arg]
        for slot, value in slots:
            if isinstance(value, ast.Starred):
                break
            cls = bound.get(value.id) if isinstance(value, ast.Name) else None
            cls = cls or _constructed(value, imports)
            if cls is not None:
                out.add(f"{parts[-1]}:{slot}={cls}")
            elif (
                owner is not None
                and isinstance(value, ast.Name)
                and value.id in params
                and value.id not in bound
            ):
                position = params[value.id]
                where = f"{value.id}|{owner}:{position}" if position is not None else value.id
                out.add(f"{parts[-1]}:{slot}=@{owner}:{where}")


def summarise(tree: ast.Module) -> FileSummary:
    """The module's :class:`FileSummary` (see the module docstring)."""
    forwards: dict[str, set[str]] = {}
    attrs: set[str] = set()
    args: set[str] = set()
    imports = _imports(tree)
    module_nodes: list[ast.AST] = []
    stack: list[ast.AST] = list(tree.body)
    while stack:  # the module's own scope (class bodies included)
        node = stack.pop()
        module_nodes.append(node)
        if not isinstance(node, (*_FUNCTIONS, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    _arg_types(module_nodes, imports, args)
    owners: dict[int, str] = {}  # `__init__` is called by its class's name
    classes: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = [p[-1] for p in map(_dotted, node.bases) if p]
            if bases:
                classes.add(f"{node.name}<{','.join(bases)}")
            for item in node.body:
                if isinstance(item, _FUNCTIONS) and item.name == "__init__":
                    owners[id(item)] = node.name
    for node in ast.walk(tree):
        if isinstance(node, _FUNCTIONS):
            positional = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
            if positional and positional[0] in ("self", "cls"):
                positional = positional[1:]
            params: dict[str, int | None] = {a.arg: None for a in node.args.kwonlyargs}
            params.update({name: index for index, name in enumerate(positional)})
            _arg_types(_body_nodes(node), imports, args, owners.get(id(node), node.name), params)
            if node.name in _SKIP_NAMES:
                continue
            called = _forwards(node)
            if called:
                forwards.setdefault(node.name, set()).update(called)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute):
                    cls = _client_class(node.value, imports)
                    if cls is not None:
                        attrs.add(f"{target.attr}={cls}")
    return FileSummary(
        tuple((name, tuple(sorted(called))) for name, called in sorted(forwards.items())),
        tuple(sorted(attrs)),
        tuple(sorted(args)),
        tuple(sorted(classes)),
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


def infer_facts(
    summaries: Iterable[FileSummary] | Mapping[str, FileSummary], base_names: Iterable[str]
) -> ProjectFacts:
    """The fixpoint: candidate wrapper names reachable from ``base_names`` (the last names
    of the signature table's rows). With summaries by path, subclasses are recorded too."""
    base = frozenset(base_names)
    forwards: dict[str, set[str]] = {}
    attrs: set[str] = set()
    args: set[str] = set()
    subclasses: set[str] = set()
    if isinstance(summaries, Mapping):
        for path, summary in summaries.items():
            for item in summary.classes:
                sub, _, bases = item.partition("<")
                subclasses.update(f"{b}>{path}>{sub}" for b in bases.split(",") if b)
        summaries = list(summaries.values())
    for summary in summaries:
        for name, called in summary.forwards:
            forwards.setdefault(name, set()).update(called)
        attrs.update(summary.client_attrs)
        args.update(summary.arg_types)
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        known = base | found
        for name, targets in forwards.items():
            if name not in found and targets & known:
                found.add(name)
                changed = True
    return ProjectFacts(frozenset(found), frozenset(attrs), frozenset(args), frozenset(subclasses))


def project_facts(
    files: Sequence[str],
    tokens: Iterable[bytes],
    base_names: Iterable[str],
    read: Callable[[str], bytes | None],
    summary_of: Callable[[str, bytes], FileSummary] | None = None,
) -> tuple[ProjectFacts, set[str]]:
    """Run the rounds over ``files`` (paths); return the facts and the files that matched
    any token (the SDK ``tokens`` or a candidate's).

    ``read(path)`` gives a file's bytes (None when unreadable); ``summary_of(path, data)``
    may serve summaries from a cache (default: :func:`summarise_source`).
    """
    summarise_one = summary_of or (lambda _path, data: summarise_source(data))
    base = tuple(base_names)
    wanted = tuple(tokens)
    matched: set[str] = set()
    summaries: dict[str, FileSummary] = {}
    facts = ProjectFacts()
    pending = list(files)
    for _ in range(_MAX_ROUNDS):
        still: list[str] = []
        for path in pending:
            data = read(path)
            if data is None:
                continue
            if any(token in data for token in wanted):
                matched.add(path)
                summaries[path] = summarise_one(path, data)
            else:
                still.append(path)
        pending = still
        new = infer_facts(summaries, base)
        added = new.tokens() - facts.tokens()
        facts = new
        if not added or not pending:
            break
        wanted = tuple(added)
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
    facts, _ = project_facts(files, trigger_tokens(wrappers), base_names, _read)
    return facts
