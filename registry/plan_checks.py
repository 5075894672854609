"""Checks over the names a loaded plan defines: naming rules, collisions, `$` names, funnels.

The loader collects every name it reads as a :class:`NameSite` (what it names, where it
was written, which namespace it lives in); these checks only read that list, so they
run the same on one file or a merged directory of them.

- TP101/TP102: event names against the plan's ``naming`` (skipped for ``naming: legacy``
  events and for PostHog's own events).
- TP103: property names at every depth against the property case.
- TP104: a custom ``$`` name (PostHog's own ``$`` events and properties are fine).
- TP003: two names in one namespace that are equal after normalising case and
  separators (``user_signed_up`` vs ``UserSignedUp``).
- TP004: a funnel step that is not a planned event.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from trackplan.registry.diagnostics import Diagnostic
from trackplan.registry.naming import check_event_name, check_property_name, normalise_name
from trackplan.registry.naming.config import EventNaming, Naming, PropertyNaming
from trackplan.registry.plan import Location
from trackplan.registry.posthog_names import POSTHOG_EVENTS, SURVEY_EVENTS
from trackplan.registry.rules import diagnostic

__all__ = ["FunnelStep", "NameSite", "check_names", "display_location"]

#: PostHog's own properties a plan may declare (posthog-facts.md, "Reserved names").
POSTHOG_PROPERTIES = frozenset(
    {
        "$set",
        "$set_once",
        "$unset",
        "$anon_distinct_id",
        "$groups",
        "$group_type",
        "$group_key",
        "$group_set",
        "$process_person_profile",
        "$geoip_disable",
        "$session_id",
        "$window_id",
        "$current_url",
        "$pathname",
        "$host",
        "$referrer",
        "$referring_domain",
        "$lib",
        "$lib_version",
        "$is_server",
        "$active_feature_flags",
        "$context_tags",
        "$os",
        "$browser",
        "$device_type",
        "$ip",
        "$timestamp",
        "$screen_name",
        "$exception_list",
        "$exception_fingerprint",
        "$feature_flag",
        "$feature_flag_response",
        "$survey_id",
        "$survey_response",
    }
)
_POSTHOG_PROPERTY_PREFIXES = ("$feature/", "$initial_", "$ai_", "$exception_", "$survey_")


@dataclass(frozen=True, slots=True)
class NameSite:
    """One name the plan defines, where, and in which namespace.

    ``namespace`` groups names that must not collide: ``events``, ``properties``
    (event properties and shared definitions, plan-wide), ``person_properties``, or
    the JSON Pointer of the object schema a nested property sits in.
    ``top_level`` is true for properties of an event (where PostHog's own ``$``
    properties live), false for properties nested in an object.
    """

    kind: Literal["event", "property"]
    name: str
    location: Location
    namespace: str
    where: str
    legacy: bool = False
    top_level: bool = True


@dataclass(frozen=True)
class FunnelStep:
    """One step of a funnel, as written."""

    funnel: str
    index: int
    event: str
    location: Location


def display_location(location: Location) -> str:
    """``path:line:col`` with the path relative to the working directory when below it."""
    path = location.path
    try:
        rel = os.path.relpath(path)
        if not rel.startswith(".."):
            path = rel
    except ValueError:
        pass
    return f"{path.replace(os.sep, '/')}:{location.line}:{location.column}"


def _at(code: str, message: str, site: Location, **fields: object) -> Diagnostic:
    return diagnostic(code, message, path=site.path, line=site.line, column=site.column, **fields)


def _is_posthog_property(name: str) -> bool:
    return name in POSTHOG_PROPERTIES or name.startswith(_POSTHOG_PROPERTY_PREFIXES)


@lru_cache(maxsize=16384)
def _event_problems(name: str, rules: EventNaming) -> tuple[tuple[str, str], ...]:
    return tuple((p.code, p.message) for p in check_event_name(name, rules))


@lru_cache(maxsize=16384)
def _property_problems(name: str, rules: PropertyNaming) -> tuple[tuple[str, str], ...]:
    return tuple((p.code, p.message) for p in check_property_name(name, rules))


def _naming(site: NameSite, naming: Naming) -> Iterable[Diagnostic]:
    if site.name.startswith("$"):
        posthogs = (
            site.name in POSTHOG_EVENTS
            if site.kind == "event"
            else site.top_level and _is_posthog_property(site.name)
        )
        if not posthogs:
            yield _at(
                "TP104",
                f"custom {site.where} uses PostHog's reserved `$` prefix; "
                f"PostHog does not define `{site.name}` (drop the `$`)",
                site.location,
                event=site.name if site.kind == "event" else None,
            )
        return
    if site.kind == "event":
        if site.legacy or site.name in SURVEY_EVENTS:
            return
        for code, message in _event_problems(site.name, naming.events):
            yield _at(code, message, site.location, event=site.name)
    else:
        for code, message in _property_problems(site.name, naming.properties):
            yield _at(code, f"{message} (in {site.where})", site.location)


def _collisions(sites: Sequence[NameSite]) -> Iterable[Diagnostic]:
    first: dict[tuple[str, str], NameSite] = {}
    reported: set[tuple[str, str]] = set()
    for site in sites:
        key = (site.namespace, normalise_name(site.name))
        seen = first.setdefault(key, site)
        if seen.name == site.name or (site.namespace, site.name) in reported:
            continue
        reported.add((site.namespace, site.name))
        yield _at(
            "TP003",
            f"{site.where} collides with `{seen.name}` "
            f"(defined at {display_location(seen.location)}) after normalising case and "
            "separators; use one spelling",
            site.location,
        )


def _funnels(steps: Sequence[FunnelStep], events: Iterable[str]) -> Iterable[Diagnostic]:
    planned = set(events)
    for step in steps:
        if step.event in planned or step.event.startswith("$") or step.event in SURVEY_EVENTS:
            continue
        yield _at(
            "TP004",
            f"step {step.index + 1} of funnel `{step.funnel}` is `{step.event}`, "
            "which is not a planned event",
            step.location,
            event=step.event,
        )


def check_names(
    sites: Sequence[NameSite],
    naming: Naming,
    funnel_steps: Sequence[FunnelStep] = (),
    events: Iterable[str] = (),
    *,
    lint: bool = True,
) -> list[Diagnostic]:
    """Every naming, collision, reserved-prefix and funnel finding for these names.

    With ``lint=False`` only the findings that can stop a plan from being built
    (collisions, TP003) are computed: loading a plan to validate with it need not pay
    for the naming lexicon.
    """
    found: list[Diagnostic] = []
    if lint:
        for site in sites:
            found.extend(_naming(site, naming))
    found.extend(_collisions(sites))
    if lint:
        found.extend(_funnels(funnel_steps, events))
    return found
