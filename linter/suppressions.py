"""Inline suppressions: a comment on the reported line silences a finding there.

Recognised comments (one regex, :data:`SUPPRESSION`, case-insensitive):

- ``# trackplan: ignore[TP201]`` or ``# trackplan: ignore[TP201, TP3]``: those codes, or
  code prefixes, on this line;
- ``# trackplan: ignore``: every code on this line;
- ``# noqa: TP201`` (flake8/ruff style, may list other tools' codes too, e.g.
  ``# noqa: E501, TP201``): the TP codes listed. A bare ``# noqa`` does **not** silence
  trackplan: it is usually meant for another linter.

Only real comments count: text that looks like a suppression inside a string literal is
ignored (checked with :mod:`tokenize`, and only when the cheap line regex matched).
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Mapping, Sequence

from trackplan.registry.diagnostics import Diagnostic

__all__ = ["SUPPRESSION", "apply_suppressions", "suppressions_in"]

SUPPRESSION = re.compile(
    r"""
    \#\s*
    (?:
        trackplan\s*:\s*ignore
        (?:\s*\[\s*(?P<codes>[A-Z0-9_,\s]*?)\s*\])?      # optional [TP201, TP3]
      |
        noqa\s*:\s*
        (?P<noqa>[A-Z]+[0-9]+(?:\s*,?\s*[A-Z]+[0-9]+)*)  # noqa: E501, TP201
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: ``None`` means every code is silenced on that line.
Silenced = frozenset[str] | None


def _codes_of(match: re.Match[str]) -> Silenced:
    if match["noqa"] is not None:
        codes = re.split(r"[\s,]+", match["noqa"].strip())
        return frozenset(c.upper() for c in codes if c.upper().startswith("TP"))
    if match["codes"] is None:
        return None
    return frozenset(c.strip().upper() for c in match["codes"].split(",") if c.strip())


def _merge(a: Silenced, b: Silenced) -> Silenced:
    return None if a is None or b is None else a | b


def _scan(texts: Iterable[tuple[int, str]]) -> dict[int, Silenced]:
    found: dict[int, Silenced] = {}
    for line, text in texts:
        for match in SUPPRESSION.finditer(text):
            codes = _codes_of(match)
            found[line] = _merge(found[line], codes) if line in found else codes
    return found


def _comments(source: str) -> list[tuple[int, str]]:
    comments = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments.append((token.start[0], token.string))
    return comments


def suppressions_in(source: str, lines: Iterable[int] | None = None) -> Mapping[int, Silenced]:
    """Line number -> silenced codes (None: all) for the suppression comments of ``source``.

    With ``lines``, only those lines are looked at (the lines that have findings).
    """
    all_lines = source.splitlines()
    wanted = range(1, len(all_lines) + 1) if lines is None else sorted(set(lines))
    candidates = {
        n: all_lines[n - 1] for n in wanted if 0 < n <= len(all_lines) and "#" in all_lines[n - 1]
    }
    rough = _scan(candidates.items())
    if not rough:
        return {}
    try:
        comments = [(n, text) for n, text in _comments(source) if n in candidates]
    except (tokenize.TokenError, SyntaxError, ValueError):
        return rough  # not tokenizable: the plain line match is the best we have
    return _scan(comments)


def apply_suppressions(diagnostics: Sequence[Diagnostic], source: str) -> list[Diagnostic]:
    """``diagnostics`` of one file without those silenced by a comment on their line."""
    if not diagnostics or "#" not in source:
        return list(diagnostics)
    silenced = suppressions_in(source, (d.line for d in diagnostics if d.line))
    if not silenced:
        return list(diagnostics)
    kept = []
    for diag in diagnostics:
        if diag.line is not None and diag.line in silenced:
            codes = silenced[diag.line]
            if codes is None or any(diag.code.startswith(code) for code in codes):
                continue
        kept.append(diag)
    return kept
