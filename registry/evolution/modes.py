"""Compatibility modes and the directions each one checks (no heavy imports)."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["DIRECTIONS", "MODES", "directions_of", "modes_broken"]

DIRECTIONS = ("backward", "forward")
MODES = (
    "backward",
    "forward",
    "full",
    "none",
    "backward_transitive",
    "forward_transitive",
    "full_transitive",
)


def directions_of(mode: str) -> tuple[str, ...]:
    """The directions a mode checks (``full`` is both, ``none`` is none)."""
    base = mode.removesuffix("_transitive")
    if base == "full":
        return DIRECTIONS
    if base == "none":
        return ()
    return (base,)


def modes_broken(directions: Iterable[str]) -> list[str]:
    """The modes a change breaking these directions fails (``none`` never fails)."""
    broken = set(directions)
    return [mode for mode in MODES if broken & set(directions_of(mode))]
