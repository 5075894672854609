"""The cheap text test that decides which files are worth parsing at all.

Parsing with libcst costs milliseconds per file; reading bytes and searching them costs
microseconds. A file can only hold a tracking call if it mentions one of the analyzer's
trigger tokens (``ProjectAnalyzer.trigger_tokens()``: SDK module names, wrapper names,
...), so every other file is skipped unread by libcst. A mention on a line that is
nothing but a comment does not count: such a line is never code (in code it is a
comment, inside a triple-quoted string it is text), so skipping it cannot hide a call.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["MAX_NESTING", "TokenMatcher", "may_track", "nesting_depth"]


def _in_comment_line(data: bytes, start: int) -> bool:
    newline = data.rfind(b"\n", 0, start)
    line_start = max(newline, data.rfind(b"\r", newline + 1, start)) + 1
    return data[line_start:start].lstrip(b" \t\f").startswith(b"#")


def may_track(data: bytes, tokens: Sequence[bytes]) -> bool:
    """Whether ``data`` (a file's bytes) may hold a tracking call.

    False only when no token occurs outside whole-line comments.
    """
    for token in tokens:
        start = data.find(token)
        while start != -1:
            if not _in_comment_line(data, start):
                return True
            start = data.find(token, start + len(token))
    return False


#: Tokens per re2 alternation (each compiles to its own DFA; see ``TokenMatcher``).
_CHUNK = 200


def _minimal(tokens: Iterable[bytes]) -> list[bytes]:
    """The tokens without those containing another token (a match of the shorter one
    is already a match)."""
    unique = sorted(set(tokens), key=len)
    kept: list[bytes] = []
    for token in unique:
        if token and not any(shorter in token for shorter in kept):
            kept.append(token)
    return sorted(kept)


class TokenMatcher:
    """:func:`may_track` for one token set, compiled once.

    With ``google-re2`` (a dependency), all tokens are searched in one linear pass (an
    alternation compiled to a DFA): about 3x faster than one ``bytes.find`` per token
    over a 4,338-file real tree (stdlib ``re`` is slower than ``find`` on the same
    alternation). Where its wheel cannot be installed, the per-token search is used.
    """

    def __init__(self, tokens: Iterable[bytes]) -> None:
        self.tokens = tuple(_minimal(tokens))
        self._regex: Any = None
        self._regexes: list[Any] = []
        self._compiled = False  # compiled at the first file read (a warm run reads none)

    def _compile(self) -> None:
        self._compiled = True
        if not self.tokens:
            return
        try:
            re2: Any = importlib.import_module("re2")
        except ImportError:  # pragma: no cover - depends on the environment
            return
        # Latin-1: every byte is one character, so the match is exactly bytewise (in
        # re2's default UTF-8 mode a token or a file that is not UTF-8 would not be).
        options = re2.Options()
        options.encoding = re2.Options.Encoding.LATIN1
        # Inferred wrapper names can make the token set large (thousands on a real app):
        # one alternation of them all outgrows re2's DFA budget, which then falls back to
        # a slow NFA and logs "DFA out of memory" to the user's stderr on every file. So
        # the tokens are split into alternations of at most _CHUNK, each its own DFA.
        options.log_errors = False
        tokens = self.tokens
        try:
            self._regexes = [
                re2.compile(b"|".join(re.escape(t) for t in tokens[i : i + _CHUNK]), options)
                for i in range(0, len(tokens), _CHUNK)
            ]
        except Exception:  # pragma: no cover - refused: the per-token search
            self._regexes = []
        self._regex = self._regexes[0] if self._regexes else None

    def __call__(self, data: bytes) -> bool:
        if not self._compiled:
            self._compile()
        if self._regex is None:
            return may_track(data, self.tokens)
        return any(_found(regex, data) for regex in self._regexes)


def _found(regex: Any, data: bytes) -> bool:
    """True when ``regex`` matches ``data`` outside a comment line."""
    position = 0
    while True:
        match = regex.search(data, position)
        if match is None:
            return False
        if not _in_comment_line(data, match.start()):
            return True
        position = match.end()


#: CPython's own limit ("too many nested parentheses"): deeper is never valid Python, and
#: libcst's native parser can overflow the C stack on such files instead of failing.
MAX_NESTING = 200

_BRACKETS = bytes(range(256)).translate(None, b"()[]{}")
_DEPTH_STEP = {ord("("): 1, ord("["): 1, ord("{"): 1, ord(")"): -1, ord("]"): -1, ord("}"): -1}


def _raw_depth(data: bytes) -> int:
    depth = deepest = 0
    for byte in data.translate(None, _BRACKETS):
        depth += _DEPTH_STEP[byte]
        deepest = max(deepest, depth)
    return deepest


def nesting_depth(data: bytes) -> int:
    """The deepest bracket nesting of Python source ``data``.

    Counted on raw bytes first (cheap, an upper bound); only when that exceeds
    :data:`MAX_NESTING` are strings and comments told apart with :mod:`tokenize`.
    """
    deepest = _raw_depth(data)
    if deepest <= MAX_NESTING:
        return deepest
    import io
    import tokenize

    depth = deepest = 0
    try:
        for token in tokenize.tokenize(io.BytesIO(data).readline):
            if token.type == tokenize.OP and token.string in "([{)]}":
                depth += 1 if token.string in "([{" else -1
                deepest = max(deepest, depth)
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, ValueError):
        pass  # keep the depth reached so far
    return deepest
