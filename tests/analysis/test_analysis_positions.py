"""Ranges taken from CPython's ast agree with libcst's PositionProvider wherever given."""

from __future__ import annotations

import ast

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider
from trackplan.linter.analysis.positions import ast_positions

TRICKY = [
    'import posthog\nposthog.capture("évènement_créé", distinct_id="ü", properties={"k": "é"})\n',
    "@deco(a(1))\ndef f(x=g(2)):\n    return h(i(3), *j(4), **k(5))(6)\n",
    "x = [f(y) for y in g(z)] + {a(): b() for c in d()}\ny = lambda: m(n(o))\n",
    "call(\n    (1, 2),\n    (x for x in y),\n    key=(value),\n    **{'a': b(), **c()},\n)\n",
    "s = f'{a(1)} and {b(c(2))}'\nt = fn('x' 'y', k=v)\n",
    "a = (\r\n    f(1)\r\n)\r\nb = g(\r\n  'x',\r\n  y={'k': 1})\r\n",
]


class _Calls(cst.CSTVisitor):
    def __init__(self) -> None:
        self.calls: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)


@pytest.mark.parametrize("source", TRICKY)
def test_ast_ranges_equal_libcst_ranges(source: str) -> None:
    module = cst.parse_module(source)
    finder = _Calls()
    module.visit(finder)
    fast = ast_positions(
        source, ast.parse(source), len(finder.calls), list(enumerate(finder.calls))
    )
    assert fast is not None
    assert all(call in fast for call in finder.calls if not call.lpar)
    slow = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert {node: slow[node] for node in fast} == dict(fast)


def test_a_call_count_mismatch_refuses_to_guess() -> None:
    source = "f(1)\n"
    module = cst.parse_module(source)
    call = module.body[0].body[0].value  # type: ignore[attr-defined]
    assert ast_positions(source, ast.parse(source), 2, [(0, call)]) is None
