"""Compatibility modes and the directions each one checks (no heavy imports)."""

from __future__ import annotations

__all__ = ["DIRECTIONS", "MODES", "directions_of"]

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
