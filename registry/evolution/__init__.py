"""Plan evolution: is a new tracking plan compatible with an old one, and why not.

Pure semantics (no CLI, no git): :func:`~trackplan.registry.evolution.diff.diff_plans`
compares two loaded plans under
the validation policy and returns a :class:`PlanDiff` with

- ``incompatibilities``: per direction (``backward``: every payload valid under OLD
  stays valid under NEW; ``forward``: every payload valid under NEW is valid under
  OLD), each with the event, JSON pointer, reason and a checked witness payload, or
  "cannot prove" (which counts as incompatible: the answer is sound);
- ``changes``: every change classified with a TP7xx code and the directions it breaks;
- the version bump the change needs (:mod:`~trackplan.registry.evolution.versions`).

Modes (:data:`MODES`) pick the directions: ``backward``, ``forward``, ``full`` (both),
``none``, and ``*_transitive`` (the same against every earlier version; the caller
supplies the versions).
"""

from __future__ import annotations

from trackplan.registry.evolution.modes import DIRECTIONS, MODES, directions_of

__all__ = ["DIRECTIONS", "MODES", "directions_of"]
