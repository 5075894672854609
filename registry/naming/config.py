"""Naming configuration: the typed form of a plan's ``naming:`` block, and its presets.

A plan writes ``naming: posthog`` (a preset name) or a mapping
``{preset?, events?: {case, grammar, tense, verbs, allowed_verbs}, properties?: {case}}``.
:meth:`Naming.from_config` turns that YAML value into frozen dataclasses, starting from
the preset (``default`` unless named) and overriding it key by key. The plan format's
JSON Schema (``registry/data/plan.schema.json``) rejects most bad values; ``from_config``
still raises :class:`NamingConfigError` on anything else so a library
caller can never build an unusable configuration.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast, get_args

__all__ = [
    "CASES",
    "GRAMMARS",
    "POSTHOG_VERBS",
    "PRESETS",
    "TENSES",
    "Case",
    "EventNaming",
    "Grammar",
    "Naming",
    "NamingConfigError",
    "PropertyNaming",
    "Tense",
]

Case = Literal["snake_case", "lower_space", "kebab-case", "camelCase", "PascalCase", "Title Case"]
Grammar = Literal["object_verb", "verb_object", "category:object_action", "none"]
Tense = Literal["past", "present", "any"]

CASES: tuple[Case, ...] = get_args(Case)
GRAMMARS: tuple[Grammar, ...] = get_args(Grammar)
TENSES: tuple[Tense, ...] = get_args(Tense)

#: The fixed verb list of PostHog's product-analytics best-practices guide.
POSTHOG_VERBS: tuple[str, ...] = (
    "click",
    "submit",
    "create",
    "view",
    "add",
    "invite",
    "update",
    "delete",
    "remove",
    "start",
    "end",
    "cancel",
    "fail",
    "generate",
    "send",
)


class NamingConfigError(ValueError):
    """The ``naming:`` value is not a valid naming configuration."""


@dataclass(frozen=True)
class EventNaming:
    """How event names must look.

    ``verbs`` extends the built-in lexicon (each entry ``base`` or ``base past
    [participle]``); ``allowed_verbs``, when set, is the only verbs (by base form) an
    event name may use.
    """

    case: Case = "snake_case"
    grammar: Grammar = "object_verb"
    tense: Tense = "past"
    verbs: tuple[str, ...] = ()
    allowed_verbs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class PropertyNaming:
    """How property names must look (only their case is checked)."""

    case: Case = "snake_case"


@dataclass(frozen=True)
class Naming:
    """The naming conventions of one plan."""

    events: EventNaming = field(default_factory=EventNaming)
    properties: PropertyNaming = field(default_factory=PropertyNaming)

    @classmethod
    def from_config(cls, raw: object) -> Naming:
        """Build from the YAML value of ``naming:`` (a preset name, a mapping or None)."""
        if raw is None:
            return PRESETS["default"]
        if isinstance(raw, str):
            return _preset(raw)
        if not isinstance(raw, Mapping):
            raise NamingConfigError(
                f"naming must be a preset name ({_choices(PRESETS)}) or a mapping, "
                f"not {type(raw).__name__}"
            )
        _reject_unknown(raw, ("preset", "events", "properties"), "naming")
        preset = raw.get("preset", "default")
        if not isinstance(preset, str):
            raise NamingConfigError(f"naming.preset must be one of {_choices(PRESETS)}")
        base = _preset(preset)
        return cls(
            events=_events(base.events, raw.get("events")),
            properties=_properties(base.properties, raw.get("properties")),
        )


def _preset(name: str) -> Naming:
    try:
        return PRESETS[name]
    except KeyError:
        raise NamingConfigError(
            f"unknown naming preset {name!r}: expected one of {_choices(PRESETS)}"
        ) from None


def _events(base: EventNaming, raw: object) -> EventNaming:
    if raw is None:
        return base
    if not isinstance(raw, Mapping):
        raise NamingConfigError("naming.events must be a mapping")
    keys = ("case", "grammar", "tense", "verbs", "allowed_verbs")
    _reject_unknown(raw, keys, "naming.events")
    changes: dict[str, Any] = {}
    if "case" in raw:
        changes["case"] = _choice(raw["case"], CASES, "naming.events.case")
    if "grammar" in raw:
        changes["grammar"] = _choice(raw["grammar"], GRAMMARS, "naming.events.grammar")
    if "tense" in raw:
        changes["tense"] = _choice(raw["tense"], TENSES, "naming.events.tense")
    if "verbs" in raw:
        changes["verbs"] = _words(raw["verbs"], "naming.events.verbs", allow_empty=True)
    if "allowed_verbs" in raw:
        value = raw["allowed_verbs"]
        changes["allowed_verbs"] = (
            None if value is None else _words(value, "naming.events.allowed_verbs")
        )
    return replace(base, **changes)


def _properties(base: PropertyNaming, raw: object) -> PropertyNaming:
    if raw is None:
        return base
    if not isinstance(raw, Mapping):
        raise NamingConfigError("naming.properties must be a mapping")
    _reject_unknown(raw, ("case",), "naming.properties")
    if "case" in raw:
        return PropertyNaming(case=_choice(raw["case"], CASES, "naming.properties.case"))
    return base


def _choice(value: object, choices: Sequence[str], where: str) -> Any:
    if not isinstance(value, str) or value not in choices:
        raise NamingConfigError(f"{where} must be one of {_choices(choices)}, not {value!r}")
    return value


def _words(value: object, where: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise NamingConfigError(f"{where} must be a list of verbs")
    words: list[str] = []
    for item in cast(Sequence[object], value):
        if not isinstance(item, str) or not re.match(_VERB_ENTRY, item):
            raise NamingConfigError(
                f"{where} entries must be 'base' or 'base past [participle]' "
                f"(letters only), not {item!r}"
            )
        words.append(" ".join(item.lower().split()))
    if not words and not allow_empty:
        raise NamingConfigError(f"{where} must name at least one verb (or be null)")
    return tuple(words)


def _reject_unknown(raw: Mapping[Any, Any], known: Sequence[str], where: str) -> None:
    for key in raw:
        if key not in known:
            raise NamingConfigError(
                f"unknown key {key!r} in {where}: expected one of {_choices(known)}"
            )


def _choices(choices: Mapping[str, Any] | Sequence[str]) -> str:
    return ", ".join(f"{choice!r}" for choice in choices)


PRESETS: Mapping[str, Naming] = {
    "default": Naming(),
    "posthog": Naming(
        events=EventNaming(
            case="snake_case",
            grammar="category:object_action",
            tense="present",
            allowed_verbs=POSTHOG_VERBS,
        ),
        properties=PropertyNaming(case="snake_case"),
    ),
}

_VERB_ENTRY = r"^\s*[A-Za-z]+(\s+[A-Za-z]+){0,2}\s*$"
