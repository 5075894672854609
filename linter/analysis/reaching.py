"""Reaching definitions of a local at one call, inside one function.

The symbol tables of :mod:`~trackplan.linter.analysis.bindings` are flow-insensitive
(the last assignment of a name wins), which is right for module globals and wrong for a
local assigned more than once::

    name = "signup_started"
    if done:
        name = "signup_completed"
    posthog.capture(name, ...)      # either name, each checked

:func:`reaching_values` walks the function's statements in order, keeping for each
name the assignments that may reach the current point (branches of ``if``/``try``/
``match`` merged, loop bodies merged with what was there before), and stops at the
statement holding the call. Only plain ``name = value`` assignments are tracked; any
other binding of the name (``for``, ``with ... as``, augmented assignment, walrus,
tuple unpacking) makes its value unknown from there on.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

__all__ = ["UNKNOWN_VALUE", "reaching_values"]

#: Marks a binding whose value is not a plain assignment.
UNKNOWN_VALUE = cst.Name("__trackplan_unknown__")

_Env = dict[str, tuple[cst.BaseExpression, ...]]


class _Found(Exception):
    def __init__(self, env: _Env) -> None:
        self.env = env


def _contains(node: cst.CSTNode, target: cst.CSTNode) -> bool:
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if current is target:
            return True
        if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and current is not node:
            continue
        stack.extend(current.children)
    return False


def _merge(*envs: _Env) -> _Env:
    out: _Env = {}
    for env in envs:
        for name, values in env.items():
            out[name] = tuple(dict.fromkeys([*out.get(name, ()), *values]))
    return out


def _names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _names(e.value)]
    if isinstance(target, cst.StarredElement):
        return _names(target.value)
    return []


class _Walker:
    def __init__(self, call: cst.CSTNode) -> None:
        self.call = call
        self.armed = True  # False while a loop body is walked for its carried values

    def check(self, node: cst.CSTNode, env: _Env) -> None:
        if self.armed and _contains(node, self.call):
            raise _Found(env)

    def block(self, suite: cst.BaseSuite | None, env: _Env) -> _Env:
        if suite is None:
            return env
        if isinstance(suite, cst.IndentedBlock):
            return self.statements(suite.body, env)
        if isinstance(suite, cst.SimpleStatementSuite):
            return self.smalls(suite, suite.body, env)
        return env

    def statements(self, body: Sequence[cst.BaseStatement], env: _Env) -> _Env:
        for statement in body:
            env = self.statement(statement, env)
        return env

    def smalls(self, owner: cst.CSTNode, body: Sequence[cst.BaseSmallStatement], env: _Env) -> _Env:
        for small in body:
            self.check(small, env)
            env = self.small(small, env)
        return env

    def small(self, node: cst.BaseSmallStatement, env: _Env) -> _Env:
        env = dict(env)
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    env[target.target.value] = (node.value,)
                else:
                    for name in _names(target.target):
                        env[name] = (UNKNOWN_VALUE,)
        elif isinstance(node, cst.AnnAssign) and node.value is not None:
            if isinstance(node.target, cst.Name):
                env[node.target.value] = (node.value,)
        elif isinstance(node, cst.AugAssign):
            for name in _names(node.target):
                env[name] = (UNKNOWN_VALUE,)
        return env

    def statement(self, node: cst.BaseStatement, env: _Env) -> _Env:
        if isinstance(node, cst.SimpleStatementLine):
            return self.smalls(node, node.body, env)
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            return env
        if isinstance(node, cst.If):
            self.check(node.test, env)
            body = self.block(node.body, env)
            orelse = node.orelse
            if orelse is None:
                return _merge(env, body)
            other = (
                self.statement(orelse, env)
                if isinstance(orelse, cst.If)
                else self.block(orelse.body, env)
            )
            return _merge(body, other)
        if isinstance(node, (cst.For, cst.While)):
            head = node.iter if isinstance(node, cst.For) else node.test
            self.check(head, env)
            start = dict(env)
            if isinstance(node, cst.For):
                for name in _names(node.target):
                    start[name] = (UNKNOWN_VALUE,)
            armed, self.armed = self.armed, False
            try:
                once = self.block(node.body, start)  # what one round carries into the next
            finally:
                self.armed = armed
            again = self.block(node.body, _merge(start, once))
            after = _merge(env, once, again)
            if node.orelse is not None:
                after = self.block(node.orelse.body, after)
            return after
        if isinstance(node, cst.With):
            start = dict(env)
            for item in node.items:
                self.check(item.item, env)
                if item.asname is not None:
                    for name in _names(item.asname.name):
                        start[name] = (UNKNOWN_VALUE,)
            return self.block(node.body, start)
        if isinstance(node, (cst.Try, cst.TryStar)):
            body = self.block(node.body, env)
            anywhere = _merge(env, body)
            outs = [body]
            for handler in node.handlers:
                outs.append(self.block(handler.body, anywhere))
            merged = _merge(*outs)
            if node.orelse is not None:
                merged = _merge(self.block(node.orelse.body, body), *outs[1:])
            if node.finalbody is not None:
                merged = self.block(node.finalbody.body, merged)
            return merged
        if isinstance(node, cst.Match):
            self.check(node.subject, env)
            return _merge(env, *(self.block(case.body, env) for case in node.cases))
        return env


def reaching_values(
    function: cst.FunctionDef, call: cst.CSTNode, name: str, params: Sequence[str] = ()
) -> tuple[cst.BaseExpression, ...] | None:
    """The values of the assignments to ``name`` that may reach ``call`` inside
    ``function`` (:data:`UNKNOWN_VALUE` for a binding that is not a plain assignment,
    such as the value a parameter came with); None when no assignment in the function
    reaches it or the call is not found."""
    try:
        _Walker(call).block(function.body, {p: (UNKNOWN_VALUE,) for p in params})
    except _Found as found:
        values = found.env.get(name)
        return values if values else None
    except RecursionError:
        return None
    return None
