""" "Did you mean": the one place a misspelt name is matched to the closest known one.

Every surface that suggests a name (unknown config keys and rule codes, unknown plan
keys, TP206 for unknown events in code and in payloads) asks here, so the matching and
the folding of event names agree everywhere; each surface words its own message.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

__all__ = ["closest", "closest_event", "loose"]

#: How close an event name must be, after :func:`loose` folding, to be suggested.
EVENT_CUTOFF = 0.75

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s\-:.]+")


def closest(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The choice most like ``word`` (difflib's ratio at least ``cutoff``), or None."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return found[0] if found else None


def loose(name: str) -> str:
    """An event name folded for comparison: camelCase split, separators (spaces, ``-``,
    ``:``, ``.``) made ``_``, lower case (``Signed Up`` and ``signedUp`` -> ``signed_up``)."""
    return _SEPARATORS.sub("_", _CAMEL.sub("_", name)).lower()


def closest_event(name: str, table: Mapping[str, str]) -> str | None:
    """The planned event most like ``name``; ``table`` maps :func:`loose` forms to the
    planned names (build it once per plan)."""
    found = closest(loose(name), table, cutoff=EVENT_CUTOFF)
    return table[found] if found is not None else None
