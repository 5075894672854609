"""Naming configuration (placeholder shape; the naming module owns and extends this)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["EventNaming", "Naming", "PropertyNaming"]


@dataclass(frozen=True)
class EventNaming:
    case: str = "snake_case"
    grammar: str = "object_verb"
    tense: str = "past"
    verbs: tuple[str, ...] = ()
    allowed_verbs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class PropertyNaming:
    case: str = "snake_case"


@dataclass(frozen=True)
class Naming:
    events: EventNaming = field(default_factory=EventNaming)
    properties: PropertyNaming = field(default_factory=PropertyNaming)
