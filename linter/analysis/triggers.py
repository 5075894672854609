"""The prefilter's trigger tokens, computed without importing libcst.

A file that contains none of these bytes cannot hold a tracking call. The parent process
of a lint run needs them before it knows whether anything must be parsed at all, so this
module (like :mod:`~trackplan.linter.analysis.sdk_table`) depends on the standard library
only.
"""

from __future__ import annotations

from collections.abc import Iterable

from trackplan.linter.analysis.sdk_table import SDK_MODULES

__all__ = ["METHOD_TOKENS", "trigger_tokens"]

#: Method calls of SDK clients: a file calling a client imported from another project
#: module may mention nothing else. (``.set(`` is left out: far too common.)
METHOD_TOKENS = (
    b".capture(",
    b".track(",
    b".identify(",
    b".people_set(",
    b".set_once(",
    b".group_identify(",
)


def trigger_tokens(wrappers: Iterable[str]) -> tuple[bytes, ...]:
    """Bytes one of which every file holding a tracking call contains, for the SDK
    table and the declared wrappers (their qualified names)."""
    tokens = {name.encode() for name in SDK_MODULES if name != "segment"}
    # "segment" alone is a common word; Segment 2.x is always reached through these
    tokens |= {b"segment.analytics", b"from segment import", b"Mixpanel", *METHOD_TOKENS}
    for target in wrappers:
        parts = target.split(".")
        tokens.update(part.encode() for part in parts[1:] or parts)
    return tuple(sorted(tokens))
