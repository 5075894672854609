"""The loaded tracking plan: an immutable model every enforcement point reads.

A plan is loaded (``trackplan.registry.loader``) from one YAML file or a directory of
them. By the time a :class:`Plan` exists the document has been checked against the
plan format and every property's ``schema`` is a plain JSON Schema 2020-12 fragment:
trackplan keys (``required``, ``pii``, ``description``, ``deprecated``,
``examples``) are taken out of it, a nested ``required: true`` has become the parent
object's ``required`` list, and the shared definition of a same-named property has
been merged in underneath the event's own keywords.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from trackplan.registry.naming.config import Naming

__all__ = ["EventSpec", "Location", "Plan", "PropertySpec"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a plan node was written: file path and 1-based line and column."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class PropertySpec:
    """One declared property of an event (or a person property)."""

    name: str
    schema: Mapping[str, Any]
    required: bool = False
    description: str | None = None
    pii: bool = False
    deprecated: str | None = None
    examples: tuple[Any, ...] = ()
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class EventSpec:
    """One planned event."""

    name: str
    properties: Mapping[str, PropertySpec] = field(default_factory=dict)
    additional_properties: bool = True
    description: str | None = None
    owner: str | None = None
    deprecated: str | None = None
    legacy_name: bool = False
    location: Location | None = None
    #: Earlier names of this event (``renamed_from:``); metadata for ``trackplan diff``.
    renamed_from: tuple[str, ...] = ()

    @property
    def required_properties(self) -> tuple[str, ...]:
        return tuple(name for name, spec in self.properties.items() if spec.required)


@dataclass(frozen=True)
class Plan:
    """A whole tracking plan.

    ``events`` keeps the order in which the events were written (file order, then
    position). ``digest`` is a stable hash of the plan's content, for cache keys.
    """

    #: The plan's own version: a positive integer (``N`` is ``N.0.0``) or
    #: ``"MAJOR.MINOR.PATCH"``; ``trackplan diff`` says which part a change must bump.
    version: int | str = 1
    naming: Naming = field(default_factory=Naming)
    events: Mapping[str, EventSpec] = field(default_factory=dict)
    properties: Mapping[str, PropertySpec] = field(default_factory=dict)
    person_properties: Mapping[str, PropertySpec] = field(default_factory=dict)
    additional_properties: bool = True
    funnels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    digest: str = ""

    def event(self, name: str) -> EventSpec | None:
        return self.events.get(name)
