"""What libcst's native parser must never be handed: it crashes the whole process (a
stack overflow in native code, not an exception) on an expression nested a few thousand
levels deep, where CPython's parser either refuses cleanly or succeeds.

:func:`libcst_refusal` is asked before every ``libcst.parse_module`` of the analyzer
(the analysed file and every module read for its names). Every link of a chain (``a +
a + ...``, ``not not ...``, ``x.a.a...``, ``f()()...``, ``a or a or ...``, ``"a" "a"
...``) nests libcst's tree one level deeper and costs at least one byte of source, so
only expressions longer than :data:`MAX_EXPRESSION_BYTES` can be too deep. With
CPython's tree of the exact source libcst would see, those are found by visiting the
statements only, and their chains are bounded from their tokens
(:func:`_longest_chain`); when CPython could not parse the source (syntax newer than the
running Python, a real syntax error), the whole file's tokens are. Brackets are bounded
separately (200, :data:`trackplan.linter.prefilter.MAX_NESTING`). Measured here: libcst
1.x survives every such chain 3,000 deep and crashes on some at 10,000.
"""

from __future__ import annotations

import ast
import io
import tokenize

__all__ = ["MAX_CHAIN", "MAX_EXPRESSION_BYTES", "libcst_refusal"]

#: Longest chain of operations (see :func:`_longest_chain`) handed to libcst.
MAX_CHAIN = 2000

#: Expressions shorter than this are never tokenized: each link of a chain costs at
#: least a byte, so they cannot hold one longer than :data:`MAX_CHAIN`.
MAX_EXPRESSION_BYTES = MAX_CHAIN

_LINE_ENDS = (tokenize.NEWLINE, tokenize.ENDMARKER)
_NOT_COUNTED = (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)


def _long_expressions(source: bytes, tree: ast.Module) -> list[bytes]:
    """The source of every statement-level expression over :data:`MAX_EXPRESSION_BYTES`
    (the only ones that can hold a chain too long for libcst: one link costs a byte).

    Only statements are visited (not every node): a simple statement shorter than the
    limit cannot hold such an expression, so most of the tree is never looked at.
    """
    starts: list[int] | None = None
    found: list[bytes] = []
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        first, last = getattr(node, "lineno", 0), getattr(node, "end_lineno", None) or 0
        compound = hasattr(node, "body") or isinstance(node, _HANDLER_HOLDERS)
        if not compound and last - first < 1 and _one_line_span(node) <= MAX_EXPRESSION_BYTES:
            continue
        for child in _top_parts(node):
            if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
                stack.append(child)
            elif isinstance(child, ast.expr) and child.end_lineno is not None:
                if starts is None:
                    starts = [0]
                    for line in source.splitlines(keepends=True):
                        starts.append(starts[-1] + len(line))
                if child.lineno > len(starts) or child.end_lineno > len(starts):
                    continue
                begin = starts[child.lineno - 1] + child.col_offset
                end = starts[child.end_lineno - 1] + (child.end_col_offset or 0)
                if end - begin > MAX_EXPRESSION_BYTES:
                    found.append(source[begin:end])
    return found


_HANDLER_HOLDERS = (ast.Try, ast.Match)
_STATEMENTS = (ast.stmt, ast.excepthandler, ast.match_case)


def _top_parts(node: ast.AST) -> list[ast.AST]:
    """The statements and outermost expressions directly under ``node``, looking through
    the nodes that are neither (``arguments``, ``withitem``, ``keyword``, patterns...)."""
    parts: list[ast.AST] = []
    pending = list(ast.iter_child_nodes(node))
    while pending:
        child = pending.pop()
        if isinstance(child, (*_STATEMENTS, ast.expr)):
            parts.append(child)
        else:
            pending.extend(ast.iter_child_nodes(child))
    return parts


def _one_line_span(node: ast.AST) -> int:
    return (getattr(node, "end_col_offset", 0) or 0) - getattr(node, "col_offset", 0)


_CHAIN_KEYWORDS = frozenset(
    ("not", "and", "or", "if", "else", "lambda", "await", "is", "in", "yield", "from", "for")
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
