"""Naming conventions for events and properties: cases, grammar, tense, verb lexicon.

A plan's ``naming:`` block becomes a :class:`Naming` (:meth:`Naming.from_config`);
:func:`check_event_name` and :func:`check_property_name` report :class:`NameProblem`
values with catalogue codes (TP101, TP102, TP103) and a suggested name when one exists.
See ``docs/naming.md``.
"""

from __future__ import annotations

from trackplan.registry.naming.config import (
    CASES,
    GRAMMARS,
    POSTHOG_VERBS,
    PRESETS,
    TENSES,
    Case,
    EventNaming,
    Grammar,
    Naming,
    NamingConfigError,
    PropertyNaming,
    Tense,
)
from trackplan.registry.naming.names import (
    EXEMPT_EVENTS,
    EXEMPT_PROPERTIES,
    NameProblem,
    check_event_name,
    check_property_name,
    is_exempt_event,
    normalise_name,
    suggest_event_name,
)

__all__ = [
    "CASES",
    "EXEMPT_EVENTS",
    "EXEMPT_PROPERTIES",
    "GRAMMARS",
    "POSTHOG_VERBS",
    "PRESETS",
    "TENSES",
    "Case",
    "EventNaming",
    "Grammar",
    "NameProblem",
    "Naming",
    "NamingConfigError",
    "PropertyNaming",
    "Tense",
    "check_event_name",
    "check_property_name",
    "is_exempt_event",
    "normalise_name",
    "suggest_event_name",
]
