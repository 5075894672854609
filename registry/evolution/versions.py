"""The plan's ``version`` and the bump a change requires.

``version`` is the plan's own release number: a positive integer ``N`` (read as
``N.0.0``) or ``"MAJOR.MINOR.PATCH"`` (missing parts are 0). A change that makes a
payload valid under the old plan invalid (backward-incompatible) needs a MAJOR bump;
one that only lets new payloads through that the old plan refuses
(forward-incompatible) needs a MINOR bump; a change that alters no payload's validity
needs a PATCH bump; no change needs none.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["BUMPS", "bump_satisfied", "parse_version", "required_bump"]

BUMPS = ("none", "patch", "minor", "major")


def parse_version(value: int | str) -> tuple[int, int, int]:
    """``3`` -> (3, 0, 0); ``"1.2"`` -> (1, 2, 0); ValueError when not a version."""
    if isinstance(value, bool):
        raise ValueError(f"not a version: {value!r}")
    if isinstance(value, int):
        return (value, 0, 0)
    parts = [int(p) for p in str(value).split(".")]
    if not 1 <= len(parts) <= 3 or any(p < 0 for p in parts):
        raise ValueError(f"not a version: {value!r}")
    parts += [0] * (3 - len(parts))
    return (parts[0], parts[1], parts[2])


def required_bump(
    *, backward: bool, forward: bool, changed: bool, checked: Sequence[str] = ()
) -> str:
    """The smallest bump for a change with these compatibilities.

    A direction that was not checked counts as incompatible (the sound answer).
    """
    if "backward" not in checked or not backward:
        return "major" if changed else "none"
    if "forward" not in checked or not forward:
        return "minor"
    return "patch" if changed else "none"


def bump_satisfied(old: int | str, new: int | str, bump: str) -> bool:
    """True when going from ``old`` to ``new`` bumps at least the ``bump`` part."""
    a, b = parse_version(old), parse_version(new)
    if bump == "major":
        return b[0] > a[0]
    if bump == "minor":
        return b[0] > a[0] or (b[0] == a[0] and b[1] > a[1])
    if bump == "patch":
        return b > a
    return b >= a
