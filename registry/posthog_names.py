"""PostHog's own names: ``$`` events and properties, and the generic distinct ids.

PostHog's events and properties start with ``$``; a plan never has to declare them.
The generic distinct ids are the values PostHog refuses to merge persons on
(``nodejs/src/common/persons/person-utils.ts`` in PostHog/posthog): some compared
case-insensitively, some exactly, each also in single- and double-quoted form. Sending
one of them as a distinct id lumps every such user into one person.

Case-insensitive comparison here is ASCII-only (``"GUEST"`` matches ``guest``, a
Kelvin sign does not match ``k``), so the Python check and the compiled JSON Schema
pattern (see :func:`generic_distinct_id_pattern`) agree on every input.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "CASE_INSENSITIVE_GENERIC_IDS",
    "EXACT_GENERIC_IDS",
    "POSTHOG_EVENTS",
    "SURVEY_EVENTS",
    "generic_distinct_id_pattern",
    "generic_distinct_id_patterns",
    "generic_distinct_id_reason",
    "generic_distinct_id_values",
    "is_posthog_event",
    "is_reserved_property",
]

#: Events PostHog defines (``posthog/taxonomy/taxonomy.py``); any other ``$`` name is
#: accepted as PostHog's too, but these are the known ones.
POSTHOG_EVENTS: frozenset[str] = frozenset(
    {
        "$pageview",
        "$pageleave",
        "$autocapture",
        "$screen",
        "$identify",
        "$create_alias",
        "$merge_dangerously",
        "$groupidentify",
        "$set",
        "$set_once",
        "$exception",
        "$rageclick",
        "$dead_click",
        "$web_vitals",
        "$feature_flag_called",
        "$feature_view",
        "$feature_interaction",
        "$opt_in",
        "$copy_autocapture",
        "$ai_generation",
        "$ai_trace",
        "$ai_span",
        "$ai_embedding",
        "$ai_metric",
        "$ai_feedback",
        "$ai_evaluation",
        "$csp_violation",
        "$snapshot",
    }
)

#: PostHog's survey events, which do not carry the ``$`` prefix.
SURVEY_EVENTS: frozenset[str] = frozenset({"survey sent", "survey shown", "survey dismissed"})

#: Generic ids compared case-insensitively (ASCII).
CASE_INSENSITIVE_GENERIC_IDS: tuple[str, ...] = (
    "anonymous",
    "guest",
    "distinctid",
    "distinct_id",
    "id",
    "not_authenticated",
    "email",
    "undefined",
    "true",
    "false",
)

#: Generic ids compared exactly.
EXACT_GENERIC_IDS: tuple[str, ...] = (
    "[object Object]",
    "NaN",
    "None",
    "none",
    "null",
    "0",
    "undefined",
)

_QUOTES = ("", '"', "'")
_EXACT = frozenset(q + v + q for v in EXACT_GENERIC_IDS for q in _QUOTES)
_FOLDED = frozenset(q + v + q for v in CASE_INSENSITIVE_GENERIC_IDS for q in _QUOTES)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def is_posthog_event(name: str) -> bool:
    """True for PostHog's own events: any ``$`` name, and the survey events."""
    return name.startswith("$") or name in SURVEY_EVENTS


def is_reserved_property(name: str) -> bool:
    """True for PostHog's own properties (every name starting with ``$``)."""
    return name.startswith("$")


def generic_distinct_id_reason(value: str) -> str | None:
    """Why ``value`` is a generic distinct id PostHog refuses to merge on, or None."""
    if value in _EXACT:
        return f"{value!r} is a placeholder PostHog refuses to merge persons on"
    if len(value) <= 19 and value.translate(_ASCII_LOWER) in _FOLDED:
        return (
            f"{value!r} is a generic id PostHog refuses to merge persons on "
            "(compared case-insensitively)"
        )
    return None


def generic_distinct_id_values() -> tuple[str, ...]:
    """Every exact generic id (with its quoted forms), for a JSON Schema ``enum``."""
    return tuple(sorted(_EXACT))


def _ascii_fold(word: str) -> str:
    out = []
    for ch in word:
        if ch.isascii() and ch.isalpha():
            out.append(f"[{ch.lower()}{ch.upper()}]")
        elif ch in r"\.^$|?*+()[]{}":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=1)
def generic_distinct_id_pattern() -> str:
    """A JSON Schema ``pattern`` matching every generic id string (quoted forms too).

    Exact ids are escaped literals; case-insensitive ones are written with explicit
    ``[aA]`` classes rather than an ``(?i)`` flag so every regex engine reads them the
    same way. One anchored alternation is much cheaper for jsonschema-rs than an
    ``enum`` of every value.
    """
    words = "|".join(
        [_ascii_fold(w) for w in CASE_INSENSITIVE_GENERIC_IDS]
        + [_ascii_fold_exact(w) for w in EXACT_GENERIC_IDS]
    )
    return f"^(?:(?:{words})|\"(?:{words})\"|'(?:{words})')$"


def generic_distinct_id_patterns() -> tuple[str, str, str]:
    """:func:`generic_distinct_id_pattern` as three patterns: bare, double-, single-quoted.

    A string is generic when any of them matches. Each compiles to about a third of
    the single pattern's program, under the plan-pattern size budget
    (:data:`trackplan.registry.patterns.PATTERN_SIZE_LIMIT`) every validator is built
    with; the single pattern is not.
    """
    words = "|".join(
        [_ascii_fold(w) for w in CASE_INSENSITIVE_GENERIC_IDS]
        + [_ascii_fold_exact(w) for w in EXACT_GENERIC_IDS]
    )
    return f"^(?:{words})$", f'^"(?:{words})"$', f"^'(?:{words})'$"


def _ascii_fold_exact(word: str) -> str:
    return "".join("\\" + ch if ch in r"\.^$|?*+()[]{}" else ch for ch in word)
