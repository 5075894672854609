"""Regex and ``format`` policy for plan-supplied JSON Schema fragments.

A plan's ``pattern`` (and ``patternProperties`` keys) are run against every payload, so
one bad pattern must not be able to hang validation. trackplan evaluates patterns with
jsonschema-rs's linear-time engine (Rust ``regex``, configured by
:data:`PATTERN_OPTIONS`) and refuses at plan load what that engine cannot take:
lookaround, backreferences, atomic groups, conditionals. Dangerous-looking but
legal patterns such as ``^(a+)+$`` are accepted because the engine matches them in
linear time.

Pattern semantics are JSON Schema's (ECMA-262, unanchored search), not Python ``re``'s:
``$`` matches only at the very end of the string (``^a$`` does not match ``"a\\n"``;
Python ``re`` would), and ``\\d``/``\\w`` are ASCII. A pattern must also compile with
Python ``re`` so the exported schemas stay usable by the Python ``jsonschema``
reference implementation.

``KNOWN_FORMATS`` lists the ``format`` values that really check something; the plan
loader reports any other ``format`` as TP002 instead of silently ignoring it.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

import jsonschema_rs

__all__ = [
    "KNOWN_FORMATS",
    "MAX_PATTERN_INPUT",
    "PATTERN_OPTIONS",
    "PATTERN_SIZE_LIMIT",
    "pattern_error",
]

#: Upper bound on one compiled pattern (bytes). The engine is linear in the input, but
#: its cost per character grows with the compiled program: at 1 MiB
#: ``^(?:[ab]*a[ab]{1000}){10}$`` took 45 us per character; at this budget the worst
#: pattern found costs under 0.5 us (figures in docs/limits.md).
PATTERN_SIZE_LIMIT = 16 * 1024

#: Default longest string (characters; property values and, under
#: ``patternProperties``, keys) a plan pattern is run on. Longer strings are TP204
#: "too long to check" instead of a stall: with :data:`PATTERN_SIZE_LIMIT` the worst
#: accepted pattern takes a few milliseconds at this length.
MAX_PATTERN_INPUT = 4096

#: The regex options every trackplan validator is built with: a linear-time engine.
PATTERN_OPTIONS = jsonschema_rs.RegexOptions(size_limit=PATTERN_SIZE_LIMIT)

#: Formats that are enforced (jsonschema-rs with ``validate_formats=True``); each has a
#: test proving it rejects bad values.
KNOWN_FORMATS: frozenset[str] = frozenset(
    {
        "date",
        "date-time",
        "email",
        "hostname",
        "ipv4",
        "ipv6",
        "time",
        "uri",
        "uri-reference",
        "uuid",
    }
)

# Constructs the linear-time engine does not support, each with a human explanation.
# They are found on a copy of the pattern with escaped characters and character-class
# contents blanked out, so ``\(?=`` or ``[(?=]`` do not count.
_UNSUPPORTED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\(\?<?[=!]"), "lookaround assertions ((?=...), (?!...), (?<=...), (?<!...))"),
    (re.compile(r"\\[1-9]|\\k<|\(\?P="), "backreferences (\\1, \\k<name>, (?P=name))"),
    (re.compile(r"\(\?>"), "atomic groups ((?>...))"),
    (re.compile(r"\(\?\("), "conditional groups ((?(1)...))"),
    (re.compile(r"[*+?}]\+"), "possessive quantifiers (a*+, a++)"),
)


def _blank_escapes_and_classes(pattern: str) -> str:
    """The pattern with escapes (except backreference digits) and class bodies blanked."""
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if not in_class and (nxt in "123456789" or nxt == "k"):
                out.append(ch + nxt)
            else:
                out.append("__")
            i += 2
            continue
        if in_class:
            out.append("_")
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            out.append("_")
            if i + 1 < n and pattern[i + 1] == "^":
                out.append("_")
                i += 1
            if i + 1 < n and pattern[i + 1] == "]":
                out.append("_")
                i += 1
        else:
            out.append(ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=4096)
def pattern_error(pattern: str) -> str | None:
    """Why ``pattern`` is refused in a plan, or None when it is accepted.

    Refused: constructs the linear-time engine cannot run (lookaround,
    backreferences, atomic groups, conditionals, possessive quantifiers), syntax
    errors, patterns whose compiled program is over :data:`PATTERN_SIZE_LIMIT` (the
    engine stops compiling at the limit, so refusing is fast), and patterns Python
    ``re`` cannot compile.
    """
    skeleton = _blank_escapes_and_classes(pattern)
    for finder, what in _UNSUPPORTED:
        if finder.search(skeleton):
            return (
                f"regex uses {what}, which the linear-time regex engine does not support "
                "(it keeps one payload from hanging validation); rewrite it without them"
            )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"regex does not compile: {exc}"
    try:
        validator = jsonschema_rs.validator_for(
            {"pattern": pattern}, validate_formats=True, pattern_options=PATTERN_OPTIONS
        )
        validator.is_valid("")
    except Exception:  # the engine reports syntax and size errors alike
        # Python ``re`` compiled it and the constructs above are ruled out, so what the
        # engine refused is almost always the size budget.
        return (
            "regex is refused by the linear-time regex engine: its compiled program is "
            f"over the {PATTERN_SIZE_LIMIT // 1024} KiB budget (large or nested counted "
            "repetitions such as `(?:[ab]{1000}){10}`, big classes repeated many times) "
            "or it uses syntax the engine lacks; a pattern this large makes every check "
            "slow: simplify it, or bound the value with `maxLength`/`enum` instead"
        )
    return None
