"""Source positions of the few nodes a finding points at, without a full-tree pass.

libcst's PositionProvider regenerates the whole module's code to compute every node's
range: about twice the cost of parsing. The analyzer needs ranges for a handful of
nodes (the tracking calls and some of their arguments), and CPython's ``ast`` (parsed
anyway as a guard) carries ranges on every expression. Calls are paired by order:
libcst's pre-order walk visits calls in the order of their (start, -end) positions,
which is how the ``ast`` calls are sorted here. Each pairing is verified on the
callee's source text; any mismatch returns None and the caller falls back to
PositionProvider.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence

import libcst as cst
from libcst.metadata import CodePosition, CodeRange

__all__ = ["ast_positions"]

_NEWLINE = re.compile(rb"\r\n|\r|\n")
_SPACE = re.compile(r"\s+")
_EMPTY = cst.Module([])

Located = ast.expr | ast.keyword


class _Lines:
    """Converts ``ast``'s UTF-8 byte columns to the character columns libcst uses."""

    def __init__(self, text: str) -> None:
        self.lines = _NEWLINE.split(text.encode("utf-8"))

    def position(self, line: int, byte_column: int) -> CodePosition:
        raw = self.lines[line - 1] if 0 < line <= len(self.lines) else b""
        return CodePosition(line, len(raw[:byte_column].decode("utf-8", "replace")))

    def range(self, node: Located) -> CodeRange:
        end_line = node.end_lineno or node.lineno
        end_column = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return CodeRange(
            self.position(node.lineno, node.col_offset), self.position(end_line, end_column)
        )

    def segment(self, node: ast.expr) -> str:
        rng = self.range(node)
        lines = [
            self.lines[i].decode("utf-8", "replace")
            for i in range(rng.start.line - 1, rng.end.line)
        ]
        if not lines:
            return ""
        lines[-1] = lines[-1][: rng.end.column]
        lines[0] = lines[0][rng.start.column :]
        return "\n".join(lines)


def _start(node: Located) -> tuple[int, int, int, int]:
    return (
        node.lineno,
        node.col_offset,
        -(node.end_lineno or 0),
        -(node.end_col_offset or 0),
    )


class _Pairer:
    def __init__(self, lines: _Lines) -> None:
        self.lines = lines
        self.out: dict[cst.CSTNode, CodeRange] = {}

    def pair(self, node: cst.CSTNode, twin: ast.expr) -> bool:
        # ast ranges of tuples and generator expressions (and of anything in
        # parentheses) differ from libcst's: leave those to the slow path.
        if not (isinstance(node, (cst.Tuple, cst.GeneratorExp)) or getattr(node, "lpar", None)):
            self.out[node] = self.lines.range(twin)
        if isinstance(node, cst.Call):
            return isinstance(twin, ast.Call) and self.call(node, twin)
        if isinstance(node, cst.Dict):
            return isinstance(twin, ast.Dict) and self.dict(node, twin)
        return True

    def call(self, node: cst.Call, twin: ast.Call) -> bool:
        items: list[Located] = sorted([*twin.args, *twin.keywords], key=_start)
        if len(items) != len(node.args):
            return False
        for arg, item in zip(node.args, items, strict=True):
            if isinstance(item, ast.keyword):
                if arg.keyword is not None:
                    start = self.lines.position(item.lineno, item.col_offset)
                    end = CodePosition(start.line, start.column + len(arg.keyword.value))
                    self.out[arg.keyword] = CodeRange(start, end)
                if not self.pair(arg.value, item.value):
                    return False
            elif isinstance(item, ast.Starred):
                if not self.pair(arg.value, item.value):
                    return False
            elif not self.pair(arg.value, item):
                return False
        return True

    def dict(self, node: cst.Dict, twin: ast.Dict) -> bool:
        if len(node.elements) != len(twin.values):
            return False
        for element, key, value in zip(node.elements, twin.keys, twin.values, strict=True):
            if isinstance(element, cst.DictElement):
                if key is None or not self.pair(element.key, key):
                    return False
            elif key is not None:
                return False
            if not self.pair(element.value, value):
                return False
        return True


def ast_positions(
    text: str,
    tree: ast.Module,
    total_calls: int,
    wanted: Sequence[tuple[int, cst.Call]],
) -> Mapping[cst.CSTNode, CodeRange] | None:
    """Ranges for the ``wanted`` calls (pre-order index, node) and their arguments.

    ``text`` is the decoded source, ``tree`` its ``ast``, ``total_calls`` the number of
    calls libcst's walk saw. None when the two trees cannot be paired with certainty.
    """
    calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=_start)
    if len(calls) != total_calls:
        return None
    lines = _Lines(text)
    pairer = _Pairer(lines)
    for index, node in wanted:
        twin = calls[index]
        expected = _SPACE.sub("", _EMPTY.code_for_node(node.func))
        if _SPACE.sub("", lines.segment(twin.func)) != expected:
            return None
        if not pairer.pair(node, twin):
            return None
    return pairer.out
