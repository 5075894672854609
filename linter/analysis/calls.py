"""Finding the tracking calls in one parsed module, by meaning.

A plain libcst visitor walks the tree once, keeps the function scopes built by
:mod:`~trackplan.linter.analysis.bindings`, and resolves each call's callee through
:class:`~trackplan.linter.analysis.resolver.Resolver`. A call is a tracking call when
its callee's qualified name is a row of the signature table; an SDK row only matches a
name that does not come from the project (a project module called ``posthog`` is not
the SDK).
"""

from __future__ import annotations

import ast
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst
from trackplan.linter.analysis.bindings import Method, ModuleInfo, Ref, Scope
from trackplan.linter.analysis.inference import (
    WrapperInference,
    call_arguments,
    flows_of_call,
    may_be_row,
    task_call,
)
from trackplan.linter.analysis.resolver import Resolver
from trackplan.linter.analysis.sdk_table import CallRow
from trackplan.linter.analysis.signatures import BoundCall

__all__ = ["CallFact", "Outline", "find_calls"]


@dataclass
class CallFact:
    """One recognised call and its arguments bound to roles."""

    node: cst.Call
    row: CallRow
    scope: Scope
    bound: BoundCall[cst.BaseExpression]
    positional: list[cst.BaseExpression]
    star_args: bool
    star_kwargs: bool
    identified: bool
    """An ``identify_context`` call came earlier in the same function."""
    index: int
    """Position of this call among all calls of the module in pre-order."""


@dataclass
class _Frame:
    scope: Scope
    passthrough: frozenset[str] = frozenset()
    identified: bool = False
    facts: list[CallFact] = field(default_factory=list)
    inferred: bool = False
    """The function is an inferred wrapper: its forwarding calls are not reported."""


@dataclass(frozen=True)
class Outline:
    """Where calls are, from CPython's ``ast`` of the very source libcst parsed.

    ``call_lines``: the (sorted) start lines of every call; ``candidate_lines``: those
    of the calls whose callee may be a row of the table (see
    :mod:`~trackplan.linter.analysis.pruning`). With an outline the finder skips the
    statements that hold no candidate call (and counts their calls from here), which
    is most of a module.
    """

    tree: ast.Module
    call_lines: Sequence[int]
    candidate_lines: Sequence[int]

    def calls_between(self, first: int, last: int, lines: Sequence[int]) -> int:
        return bisect_right(lines, last) - bisect_left(lines, first)


#: libcst statement class names whose ``ast`` twin is named differently.
_AST_NAMES = {"Del": "Delete"}

#: What the finder does with one statement of a body: visit it (None) or skip it,
#: counting this many calls.
_Step = tuple[cst.BaseStatement, int | None]


def _twins(node: cst.CSTNode, twin: ast.stmt) -> bool:
    name = type(node).__name__
    name = _AST_NAMES.get(name, name)
    found = type(twin).__name__
    return found == name or found == f"Async{name}"


def _first_line(twin: ast.stmt) -> int:
    """The statement's first line: its first decorator's, if it has any."""
    if isinstance(twin, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return min([twin.lineno, *(d.lineno for d in twin.decorator_list)])
    return twin.lineno


class _Planner:
    """Pairs libcst bodies with their ``ast`` twins and decides what to skip."""

    def __init__(self, outline: Outline) -> None:
        self.outline = outline
        self.bodies: dict[int, list[_Step]] = {}

    def body(
        self, owner: cst.CSTNode, statements: Sequence[cst.BaseStatement], twins: Sequence[ast.stmt]
    ) -> None:
        """Plan ``statements`` (the body held by ``owner``); when the two trees do not
        line up, nothing of it is planned and the finder visits it all."""
        groups: list[tuple[cst.BaseStatement, Sequence[ast.stmt]]] = []
        at = 0
        for statement in statements:
            parts: Sequence[cst.CSTNode] = (
                statement.body if isinstance(statement, cst.SimpleStatementLine) else [statement]
            )
            group = twins[at : at + len(parts)]
            if len(group) != len(parts) or not all(map(_twins, parts, group)):
                return
            groups.append((statement, group))
            at += len(parts)
        if at != len(twins):
            return
        steps: list[_Step] = []
        outline = self.outline
        for statement, group in groups:
            first = min(_first_line(twin) for twin in group)
            last = max(twin.end_lineno or twin.lineno for twin in group)
            if not outline.calls_between(first, last, outline.candidate_lines):
                steps.append((statement, outline.calls_between(first, last, outline.call_lines)))
                continue
            steps.append((statement, None))
            twin = group[0]
            if (
                isinstance(statement, (cst.FunctionDef, cst.ClassDef))
                and isinstance(statement.body, cst.IndentedBlock)
                and isinstance(twin, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            ):
                self.body(statement.body, statement.body.body, twin.body)
        self.bodies[id(owner)] = steps


class _CallFinder(cst.CSTVisitor):
    def __init__(
        self,
        module: ModuleInfo,
        resolver: Resolver,
        table: Mapping[str, CallRow],
        outline: Outline | None = None,
        inference: WrapperInference | None = None,
    ) -> None:
        self.module = module
        self.resolver = resolver
        self.table = table
        self.inference = inference
        self.frames = [_Frame(module.scope)]
        self.facts: list[CallFact] = []
        self.names = frozenset(target.rpartition(".")[2] for target in table)
        if inference is not None:
            self.names |= inference.candidates
        self.call_count = 0
        self.bodies: dict[int, list[_Step]] = {}
        if outline is not None and module.tree is not None:
            planner = _Planner(outline)
            planner.body(module.tree, module.tree.body, outline.tree.body)
            self.bodies = planner.bodies

    def on_visit(self, node: cst.CSTNode) -> bool:
        steps = self.bodies.get(id(node))
        if steps is None:
            return super().on_visit(node)
        # A planned body (the module's, or a function's or class's inside the frame the
        # normal walk set up): visit only the statements that hold candidate calls.
        for statement, skipped_calls in steps:
            if skipped_calls is None:
                statement.visit(self)
            else:
                self.call_count += skipped_calls
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope = self.module.functions.get(id(node)) or self.frames[-1].scope
        row = self.table.get(scope.qual)
        passthrough = (
            frozenset(scope.params) - {"self", "cls"}
            if row is not None and row.sdk is None
            else frozenset()
        )
        inferred = (
            row is None
            and self.inference is not None
            and self.inference.is_candidate(scope.qual)
            and self.inference.wrapper(scope.qual) is not None
        )
        self.frames.append(_Frame(scope, passthrough, inferred=inferred))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.frames.pop()

    def visit_Call(self, node: cst.Call) -> None:
        index = self.call_count
        self.call_count += 1
        frame = self.frames[-1]
        call = task_call(node)  # `track_event.delay(...)`: a call of `track_event`
        if not self._may_match(call.func, frame.scope):
            return
        callee = self.resolver.resolve(call.func, frame.scope)
        if not isinstance(callee, (Ref, Method)):
            return
        if call is not node and not callee.project:
            return  # only the project's own functions are tasks here
        if self.inference is not None:
            row = self.inference.inner_row(callee, self.resolver)
        else:
            row = self.table.get(callee.qual)
            if row is not None and row.sdk is not None and callee.project:
                row = None
        if row is None:
            return
        if row.kind == "identify_context":
            frame.identified = True
        arguments = call_arguments(call, frame.scope, self.resolver)
        positional = arguments.positional
        star_args, star_kwargs = arguments.star_args, arguments.star_kwargs
        bound = row.signature.bind(
            positional, arguments.keywords, bound_method=isinstance(callee, Method)
        )
        if frame.passthrough and _passes_through(call, row, bound, frame.passthrough):
            return  # the SDK call inside a declared wrapper: the wrapper's callers are checked
        if frame.inferred and flows_of_call(frame.scope, self.resolver, row, bound, arguments):
            return  # the forwarding call inside an inferred wrapper: its callers are checked
        self.facts.append(
            CallFact(
                node,
                row,
                frame.scope,
                bound,
                positional,
                star_args,
                star_kwargs,
                frame.identified,
                index,
            )
        )

    def _may_match(self, func: cst.BaseExpression, scope: Scope) -> bool:
        """Cheap test before resolving (see :func:`may_be_row`)."""
        return may_be_row(func, scope, self.resolver, self.names)


def _mentions(node: cst.CSTNode, params: frozenset[str]) -> bool:
    if isinstance(node, cst.Name):
        return node.value in params
    return any(_mentions(child, params) for child in node.children)


def _passes_through(
    node: cst.Call,
    row: CallRow,
    bound: BoundCall[cst.BaseExpression],
    params: frozenset[str],
) -> bool:
    """Does this SDK call inside a wrapper send what the wrapper was given?

    When the SDK call has an event, it passes through when its event is built from a
    wrapper parameter (``capture(event, ...)``, ``capture(f"app:{name}")``); an SDK
    call with its own literal event inside a wrapper is an ordinary call. Without an
    event (``set``), any argument that is a wrapper parameter makes it pass through.
    """
    if "event" in row.signature.roles():
        event = bound.first("event")
        return event is not None and _mentions(event, params)
    return any(_mentions(arg.value, params) for arg in node.args)


def find_calls(
    module: ModuleInfo,
    resolver: Resolver,
    table: Mapping[str, CallRow],
    outline: Outline | None = None,
    inference: WrapperInference | None = None,
) -> tuple[list[CallFact], int]:
    """Every tracking call in ``module`` (its tree must be set), in source order, and
    the number of calls of any kind in the module (each call's pre-order index among
    them is its :attr:`CallFact.index`)."""
    assert module.tree is not None
    finder = _CallFinder(module, resolver, table, outline, inference)
    module.tree.visit(finder)
    return finder.facts, finder.call_count
