"""What libcst's native parser must never be handed: it crashes the whole process (a
stack overflow in native code, not an exception) on an expression nested a few thousand
levels deep, where CPython's parser either refuses cleanly or succeeds.

:func:`libcst_refusal` is asked before every ``libcst.parse_module`` of the analyzer
(the analysed file and every module read for its names). With CPython's tree of the
exact source libcst would see, it measures the tree's depth (chains like
``a + a + ...``, ``not not ...``, ``x.a.a...`` or ``f()()()...`` nest one level per
link); when CPython could not parse the source (syntax newer than the running Python, a
real syntax error), it bounds each expression's chain of operations from the tokens
instead (:func:`_longest_chain`). With a tree, the chains of every expression longer than
:data:`MAX_EXPRESSION_BYTES` are measured that way too (CPython keeps ``a or b or ...`` and
``"a" "b" ...`` flat, libcst nests them). Measured here: libcst 1.x survives every such chain
3,000 deep and crashes on some at 10,000; the limits below leave a margin.
"""

from __future__ import annotations

import ast
import io
import tokenize

__all__ = ["MAX_CHAIN", "MAX_EXPRESSION_BYTES", "MAX_TREE_DEPTH", "libcst_refusal"]

#: Deepest CPython tree handed to libcst (real code stays under 100).
MAX_TREE_DEPTH = 2000

#: Longest chain of operations (see :func:`_longest_chain`) handed to libcst.
MAX_CHAIN = 2000

#: Expressions shorter than this are never tokenized: each link of a chain costs at
#: least a byte, so they cannot hold one longer than :data:`MAX_CHAIN`.
MAX_EXPRESSION_BYTES = MAX_CHAIN

_LINE_ENDS = (tokenize.NEWLINE, tokenize.ENDMARKER)
_NOT_COUNTED = (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)


def _deeper_than(tree: ast.AST, limit: int) -> bool:
    """Whether libcst's tree of this source may be deeper than ``limit`` (CPython keeps
    ``a or b or c`` flat where libcst nests one level per operand)."""
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.BoolOp):
            depth += len(node.values)
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return False


def _long_expressions(source: bytes, tree: ast.AST) -> list[bytes]:
    """The source of every statement-level expression over :data:`MAX_EXPRESSION_BYTES`
    (the only ones that can hold a chain too long for libcst: one link costs a byte)."""
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    found: list[bytes] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.expr) or child.end_lineno is None:
                continue
            if child.end_lineno - child.lineno > len(starts):
                continue
            begin = starts[child.lineno - 1] + child.col_offset
            end = starts[min(child.end_lineno, len(starts)) - 1] + (child.end_col_offset or 0)
            if end - begin > MAX_EXPRESSION_BYTES:
                found.append(source[begin:end])
    return found


_CHAIN_KEYWORDS = frozenset(
    ("not", "and", "or", "if", "else", "lambda", "await", "is", "in", "yield", "from")
)
_TRAILER_AFTER = frozenset((tokenize.NAME, tokenize.STRING, tokenize.NUMBER))


def _longest_chain(source: bytes) -> int | None:
    """An upper bound of the deepest chain libcst would build from ``source``: per
    logical line, the links (operators, chain keywords, call and subscript trailers,
    implicitly concatenated strings) counted along the enclosing brackets, restarting
    at each ``,`` or ``;`` (a flat literal of any length is not a chain). None when the
    tokenizer gives up."""
    deepest = total = 0
    stack = [0]
    previous: tokenize.TokenInfo | None = None
    try:
        for token in tokenize.tokenize(io.BytesIO(source).readline):
            kind, text = token.type, token.string
            if kind in _LINE_ENDS:
                stack, total = [0], 0
            elif kind == tokenize.OP:
                if text in "([{":
                    trailer = previous is not None and (
                        previous.type in _TRAILER_AFTER or previous.string in (")", "]")
                    )
                    if trailer and text != "{":
                        stack[-1] += 1
                        total += 1
                    stack.append(0)
                elif text in ")]}":
                    if len(stack) > 1:
                        total -= stack.pop()
                elif text in (",", ";"):
                    total -= stack[-1]
                    stack[-1] = 0
                elif text not in (":", "="):
                    stack[-1] += 1
                    total += 1
            elif (kind == tokenize.NAME and text in _CHAIN_KEYWORDS) or (
                kind == tokenize.STRING and previous is not None and previous.type == kind
            ):
                stack[-1] += 1
                total += 1
            if kind not in _NOT_COUNTED:
                previous = token
            if total > deepest:
                deepest = total
                if deepest > MAX_CHAIN:
                    return deepest
    except UnicodeDecodeError:
        return 0  # libcst decodes the whole file before parsing: it refuses it the same way
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError):
        return None
    return deepest


def libcst_refusal(source: bytes, tree: ast.Module | None) -> str | None:
    """Why libcst must not parse ``source`` (``tree``: CPython's tree of exactly this
    source, None when CPython refused it); None when it is safe."""
    if tree is not None:
        if _deeper_than(tree, MAX_TREE_DEPTH):
            return f"an expression is nested more than {MAX_TREE_DEPTH} levels deep"
        for text in _long_expressions(source, tree):
            links = _longest_chain(b"(" + text + b"\n)\n")
            if links is None or links > MAX_CHAIN:
                return f"an expression chains more than {MAX_CHAIN} operations"
        return None
    links = _longest_chain(source)
    if links is None:
        return "the file cannot be tokenized"
    if links > MAX_CHAIN:
        return f"an expression chains more than {MAX_CHAIN} operations"
    return None
