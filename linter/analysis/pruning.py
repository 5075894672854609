"""Handing libcst only the code that can matter: CPython's ``ast`` decides first.

libcst builds a Python object for every token of a file, and walking that tree costs
even more: tens of milliseconds per file, nearly all of it spent on code that has
nothing to do with tracking. CPython's parser (run anyway as a guard) is an order of
magnitude faster, so it finds the *candidate calls* first: calls whose callee is an
attribute named like a row of the signature table (``x.capture(...)``) or a bare name
that the module binds somewhere (``track(...)``, ``cap(...)`` after ``from posthog
import capture as cap``). Exactly those calls can pass the call finder's own cheap test
before resolving (``_CallFinder._may_match`` in :mod:`~trackplan.linter.analysis.calls`);
every other call is skipped by it unresolved.

Every function that cannot matter is *hollowed*: from its ``def`` line to
  its last line it becomes ``def name(): '''...'''``, one string literal spanning as
  many lines, so every other line keeps its number and its text, and all positions
  stay those of the real file. A function matters when it holds a candidate call
  (in its body or its parameter defaults), a ``global``/``nonlocal`` statement (it may
  bind a module name), an assignment to an attribute of ``self``/``cls``
  (``self.client = Posthog(...)`` gives a class its attributes) or one to another
  attribute that may hold a client (``app.state.posthog = make_client()``: see
  ``_may_set_client``), a constant handed to a base constructor
  (``super().__init__(action=CHECKPOINT_RAN)``: an event class naming its event), or it
  is a ``__str__``/``__repr__`` returning an attribute of ``self`` (a value object
  holding an event name), or it returns a client or an imported name (a factory, a
  lazy import of a module: see ``_may_return_client``). Its decorators and its name
  stay, so what the module and its classes bind is unchanged; its parameters and the
  names bound in its body are only ever looked up from calls inside it, and none of
  those can match.

Modules read only for their names (the project modules a constant, a client or a
wrapper class is imported from) are pruned the same way with calls not counting at
all: only their symbol tables are used.

The result is parsed again by CPython; if that fails, the original source is used.
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from typing import NamedTuple

from trackplan.linter.analysis.forwarding import CLIENT_CONSTRUCTORS, TASK_METHODS
from trackplan.linter.analysis.forwarding import sdkish as _sdkish
from trackplan.linter.analysis.sdk_table import NAME_ALIASES

__all__ = ["Prepared", "Pruned", "prepare", "prunable", "prune"]

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_MAYBE_NAMED = (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)
_SCOPE_DECLARATIONS = (ast.Global, ast.Nonlocal)
#: The methods ``str()`` of a value object calls.
_SHOWN_AS = frozenset({"__str__", "__repr__"})


class Pruned:
    """The source (and its ``ast``) to hand libcst; ``hollowed`` counts the functions
    emptied, ``candidate_lines`` are the (sorted) lines where candidate calls start."""

    __slots__ = ("candidate_lines", "hollowed", "source", "tree")

    def __init__(
        self, source: bytes, tree: ast.Module, hollowed: int, candidate_lines: list[int]
    ) -> None:
        self.source = source
        self.tree = tree
        self.hollowed = hollowed
        self.candidate_lines = candidate_lines


class _Scan:
    """One walk over the ``ast``: candidate call lines, lines a function must keep, and
    the functions.

    A bare name is a possible callee when the module binds it somewhere by something
    other than an import or a ``def`` (an assignment, a parameter, a class, ...), or by
    an import or ``def`` of a qualified name that ends in one of ``names``: a superset
    of what the call finder's test accepts in any scope.
    """

    def __init__(self, tree: ast.Module, names: frozenset[str], calls: bool) -> None:
        self.marks: list[int] = []
        self.candidates: list[int] = []  # lines where candidate calls start
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        callable_names: set[str] = set()  # bare names a call of which may match
        bare: list[ast.Call] = []
        imported: set[str] = set()  # names bound by an import, anywhere in the module
        returned: list[ast.Return] = []  # `return name` statements
        module_names = _module_globals(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                if _sets_constant_in_base(node):
                    self.marks.append(node.lineno)
                if not calls:
                    continue
                func = node.func
                if isinstance(func, ast.Attribute):
                    inner = func.value
                    if func.attr in TASK_METHODS and isinstance(inner, ast.Name):
                        # `track_event.delay(...)`: a bare call of `track_event`
                        bare.append(ast.Call(inner, [], [], lineno=node.lineno))
                    elif func.attr in TASK_METHODS and isinstance(inner, ast.Attribute):
                        if inner.attr in names:
                            self.candidates.append(node.lineno)
                    elif func.attr in names:
                        self.candidates.append(node.lineno)
                elif isinstance(func, ast.Name):
                    bare.append(node)
            elif isinstance(node, ast.Name):
                if not isinstance(node.ctx, ast.Load):
                    callable_names.add(node.id)
            elif isinstance(node, ast.arg):
                callable_names.add(node.arg)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if node.value is not None and any(
                    _may_set_client(target, node.value) for target in targets
                ):
                    self.marks.append(node.lineno)
            elif isinstance(node, _FUNCTIONS):
                self.functions.append(node)
                if node.name in _SHOWN_AS and _returns_own_attribute(node):
                    self.marks.append(node.lineno)
                if node.name in names:
                    callable_names.add(node.name)
            elif isinstance(node, ast.ClassDef):
                callable_names.add(node.name)
            elif isinstance(node, ast.alias):
                imported.add(node.asname or node.name.split(".")[0])
                if _imports_a_name(node, names):
                    callable_names.add(node.asname or node.name.split(".")[0])
            elif isinstance(node, _SCOPE_DECLARATIONS):
                callable_names.update(node.names)
                self.marks.append(node.lineno)
            elif isinstance(node, ast.Return) and node.value is not None:
                if _may_return_client(node.value, module_names):
                    self.marks.append(node.lineno)
                elif isinstance(node.value, ast.Name):
                    returned.append(node)
            elif isinstance(node, _MAYBE_NAMED):
                if node.name:
                    callable_names.add(node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                callable_names.add(node.rest)
        for call in bare:
            if isinstance(call.func, ast.Name) and call.func.id in callable_names:
                self.candidates.append(call.lineno)
        for node in returned:  # `from app import analytics; return analytics`
            if isinstance(node.value, ast.Name) and node.value.id in imported:
                self.marks.append(node.lineno)
        self.candidates.sort()
        self.marks.extend(self.candidates)
        self.marks.sort()

    def marked(self, first: int, last: int) -> bool:
        at = bisect_left(self.marks, first)
        return at < len(self.marks) and self.marks[at] <= last


def _module_globals(tree: ast.Module) -> frozenset[str]:
    """Names a module binds by assignment at its top level, through ``global`` or by a
    top-level ``from`` import (``from app.clients import client``, re-exported by a
    getter)."""
    found: set[str] = set()
    for statement in tree.body:
        targets: list[ast.expr] = []
        if isinstance(statement, ast.ImportFrom):
            found.update(a.asname or a.name for a in statement.names if a.name != "*")
        elif isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        found.update(t.id for t in targets if isinstance(t, ast.Name))
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found.update(node.names)
    return frozenset(found)


def _may_set_client(target: ast.expr, value: ast.expr) -> bool:
    """Could this assignment give an attribute the resolver reads? ``self.x = ...`` and
    ``cls.x = ...`` give a class its attributes; any other attribute (``app.state.posthog
    = ...``, ``posthog.api_key = ...``, ``app.tracker = make_client()``) only when a name
    in it shows a client (an SDK, a client constructor, ``client``): a test's
    ``mock_gateway.return_value = RESPONSE`` does not keep its function."""
    if not isinstance(target, ast.Attribute):
        return False
    if isinstance(target.value, ast.Name) and target.value.id in ("self", "cls"):
        return True
    if _sdkish(target.attr):
        return True
    for node in (*ast.walk(target.value), *ast.walk(value)):
        name = (
            node.id
            if isinstance(node, ast.Name)
            else node.attr
            if isinstance(node, ast.Attribute)
            else ""
        )
        if name in CLIENT_CONSTRUCTORS or _sdkish(name) or "client" in name.lower():
            return True
    return False


def _sets_constant_in_base(call: ast.Call) -> bool:
    """``super().__init__(action=CHECKPOINT_RAN)``, ``Base.__init__(self, "signed_up")``:
    a constructor handing its base a constant (an event class naming its event). The
    resolver reads such calls; an argument that is not a literal or an upper-case name
    (``**kwargs``, ``name=name``) cannot name an event, so its function is not kept."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "__init__"):
        return False
    values = [*call.args, *(k.value for k in call.keywords if k.arg is not None)]
    return any(_constant_like(value) for value in values)


def _constant_like(value: ast.expr) -> bool:
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str)
    name = value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", "")
    return isinstance(name, str) and name.isupper()


def _returns_own_attribute(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``def __str__(self): return self.name``: how a value object shows itself."""
    return any(
        isinstance(node, ast.Return)
        and isinstance(node.value, ast.Attribute)
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "self"
        for node in ast.walk(function)
    )


def _may_return_client(value: ast.expr, module_names: frozenset[str]) -> bool:
    """Could this ``return`` make its function a client factory? (``return Posthog(...)``,
    ``return _client`` of a module global, ``return app.state.client``.) Such functions
    keep their bodies: the resolver reads what they return."""
    if isinstance(value, ast.JoinedStr):
        return True  # an event-name helper: `return f"{category}:{noun}:{verb}"`
    for node in ast.walk(value):
        if isinstance(node, ast.Attribute) and node.attr == "__name__":
            return True  # `name` properties of event classes: `self.__class__.__name__`
        if isinstance(node, ast.Call):
            func = node.func
            last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if last in CLIENT_CONSTRUCTORS:
                return True
        elif isinstance(node, ast.Name) and node.id in module_names:
            return True
    return False


def _imports_a_name(alias: ast.alias, names: frozenset[str]) -> bool:
    """Could the name this import binds refer to a qualified name ending in ``names``?

    (``import a.b`` binds ``a``; ``import a.b as c`` binds ``a.b``; ``from m import n``
    binds ``m.n``: in every case the last part is the bound object's own name, also after
    SDK aliases are folded, which is checked too.)
    """
    if alias.name == "*":
        return False
    dotted = alias.name if alias.asname else alias.name.split(".")[0]
    last = dotted.rpartition(".")[2]
    if last in names:
        return True
    # the module part of a `from` import is unknown here: fold every alias ending in it
    return any(
        target.rpartition(".")[2] in names
        for prefix, target in NAME_ALIASES
        if prefix.rpartition(".")[2] == last
    )


def prunable(source: bytes) -> bool:
    """Only plain UTF-8 sources are pruned: a file in another encoding, with a BOM or
    not decodable at all is handed to libcst whole, to be decoded (or refused) by it
    exactly as before."""
    if source.startswith(b"\xef\xbb\xbf"):
        return False
    try:
        source.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _ending(line: bytes) -> bytes:
    """The line break ending ``line`` (empty on the last line of a file without one)."""
    return line[len(line.rstrip(b"\r\n")) :]


def prune(source: bytes, tree: ast.Module, names: frozenset[str], *, calls: bool = True) -> Pruned:
    """What of ``source`` (parsed by CPython as ``tree``) libcst must parse.

    ``names`` are the last names of the signature table's targets. Returns the source
    with the functions that cannot matter hollowed (the source itself when there are
    none, or when the result does not parse). ``calls=False`` is for a module read only
    for its names: its calls do not count.
    """
    scan = _Scan(tree, names, calls)
    lines = source.splitlines(keepends=True)
    hollowed: list[tuple[int, int, bytes]] = []
    for function in sorted(scan.functions, key=lambda f: f.lineno):
        first, last = function.lineno, function.end_lineno or function.lineno
        if hollowed and first <= hollowed[-1][1]:
            continue  # inside a function hollowed already
        if scan.marked(first, last) or last > len(lines) or not function.name.isascii():
            continue
        indent = lines[first - 1][: function.col_offset]
        if indent.strip(b" \t"):
            continue  # not plain indentation before the def: leave it alone
        hollowed.append((first, last, indent + b"def " + function.name.encode() + b"():"))
    if not hollowed:
        return Pruned(source, tree, 0, scan.candidates)
    out = list(lines)
    for first, last, header in hollowed:
        line = lines[first - 1]
        if first == last:
            out[first - 1] = header + b" pass" + _ending(line)
            continue
        # One string literal over the function's lines: a single node for libcst,
        # where blank lines would be one each.
        out[first - 1] = header + b' """' + _ending(line)
        for number in range(first + 1, last):
            out[number - 1] = _ending(lines[number - 1])
        out[last - 1] = b'"""' + _ending(lines[last - 1])
    reduced = b"".join(out)
    try:
        reduced_tree = ast.parse(reduced)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return Pruned(source, tree, 0, scan.candidates)
    return Pruned(reduced, reduced_tree, len(hollowed), scan.candidates)


class Prepared(NamedTuple):
    """A file's pruning, worked out ahead of its analysis (by the process that reads
    the file anyway): the source to hand libcst, the lines of its candidate calls, and
    the call names it was pruned for (an analyzer with other names ignores it)."""

    source: bytes
    candidate_lines: tuple[int, ...]
    names: frozenset[str]
    #: CPython's tree of ``source`` when made in the process that analyses it (not sent
    #: between processes): the analyzer then does not parse it again
    tree: ast.Module | None = None


def prepare(source: bytes, names: frozenset[str]) -> Prepared | None:
    """:func:`prune` for a whole file's bytes, with CPython alone (no libcst, so it is
    safe in a process that must not crash). None when the file needs the analyzer's full
    treatment: not plain UTF-8, NUL bytes, or CPython refuses it."""
    if b"\x00" in source or not prunable(source):
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    pruned = prune(source, tree, names)
    return Prepared(pruned.source, tuple(pruned.candidate_lines), names, pruned.tree)
