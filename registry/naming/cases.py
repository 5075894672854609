"""Letter cases of names: recognising them, splitting names into words, rendering words.

A word starts with a letter; digits may follow it (``registration_v2``). Splitting is
case- and separator-blind (``userSignedUp``, ``User Signed Up`` and ``user-signed-up``
all give ``user signed up``) so the grammar can judge the words of a name whose case is
wrong, and a suggestion can re-render them in the configured case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from trackplan.registry.naming.config import Case

__all__ = ["CASE_DESCRIPTIONS", "matches_case", "render", "split_words"]

_LOWER = r"[a-z][a-z0-9]*"
_UPPER = r"[A-Z][a-z0-9]*"

_PATTERNS: Mapping[Case, re.Pattern[str]] = {
    "snake_case": re.compile(rf"{_LOWER}(?:_{_LOWER})*"),
    "lower_space": re.compile(rf"{_LOWER}(?: {_LOWER})*"),
    "kebab-case": re.compile(rf"{_LOWER}(?:-{_LOWER})*"),
    "camelCase": re.compile(rf"{_LOWER}(?:{_UPPER})*"),
    "PascalCase": re.compile(rf"(?:{_UPPER})+"),
    "Title Case": re.compile(rf"{_UPPER}(?: {_UPPER})*"),
}

#: What each case looks like, for messages (every word starts with a letter).
CASE_DESCRIPTIONS: Mapping[Case, str] = {
    "snake_case": "lower-case words joined by `_`",
    "lower_space": "lower-case words separated by single spaces",
    "kebab-case": "lower-case words joined by `-`",
    "camelCase": "words run together, each after the first capitalised",
    "PascalCase": "capitalised words run together",
    "Title Case": "capitalised words separated by single spaces",
}

# separator, capitalise the first word, capitalise the others
_STYLES: Mapping[Case, tuple[str, bool, bool]] = {
    "snake_case": ("_", False, False),
    "lower_space": (" ", False, False),
    "kebab-case": ("-", False, False),
    "camelCase": ("", False, True),
    "PascalCase": ("", True, True),
    "Title Case": (" ", True, True),
}

_NOT_WORD = re.compile(r"[\W_]+")
_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def matches_case(text: str, case: Case) -> bool:
    """Whether ``text`` is written in ``case`` (the whole of it)."""
    return _PATTERNS[case].fullmatch(text) is not None


def split_words(text: str) -> list[str]:
    """The lower-cased words of ``text``, whatever its case and separators."""
    words: list[str] = []
    for chunk in _NOT_WORD.split(text):
        if chunk:
            words.extend(part.lower() for part in _HUMP.sub(" ", chunk).split())
    return words


def render(words: Sequence[str], case: Case) -> str:
    """Join lower-case ``words`` in ``case``."""
    separator, first_capital, rest_capital = _STYLES[case]
    return separator.join(
        _capitalise(word) if (rest_capital if index else first_capital) else word
        for index, word in enumerate(words)
    )


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:]
