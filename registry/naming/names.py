"""Checking event and property names against a plan's naming conventions.

The public face of the naming package: :func:`check_event_name` (TP101 case, TP102
grammar), :func:`check_property_name` (TP103 case), :func:`suggest_event_name` and
:func:`normalise_name` (the case- and separator-blind key collision checks compare).
The case and the grammar are judged independently: ``userSignedUp`` breaks only the
case, because its words (``user signed up``) follow the grammar.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from trackplan.registry.naming.cases import CASE_DESCRIPTIONS, matches_case, render, split_words
from trackplan.registry.naming.config import Case, EventNaming, PropertyNaming
from trackplan.registry.naming.grammar import Verdict, WordGrammar
from trackplan.registry.naming.lexicon import lexicon_for

__all__ = [
    "EXEMPT_EVENTS",
    "EXEMPT_PROPERTIES",
    "NameProblem",
    "check_event_name",
    "check_property_name",
    "is_exempt_event",
    "normalise_name",
    "suggest_event_name",
]

#: PostHog's survey events: PostHog names them, so no plan convention applies.
EXEMPT_EVENTS = frozenset({"survey sent", "survey shown", "survey dismissed"})
#: Campaign properties PostHog's SDKs set under these exact names.
EXEMPT_PROPERTIES = frozenset(
    {"utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "gclid", "fbclid"}
)

_SEPARATORS = re.compile(r"[\s_\-.:/]+")
_CATEGORY = "category:object_action"


@dataclass(frozen=True)
class NameProblem:
    """One naming finding: its catalogue code, the message, and a conforming name."""

    code: str
    message: str
    suggestion: str | None = None


def is_exempt_event(name: str) -> bool:
    """PostHog's own events (``$pageview``) and survey events follow PostHog's names."""
    return name.startswith("$") or name in EXEMPT_EVENTS


def normalise_name(name: str) -> str:
    """The collision key: case-folded, with separators (space ``_ - . : /``) removed.

    ``user_signed_up``, ``userSignedUp`` and ``User Signed Up`` share one key; a ``$``
    prefix is kept, so ``$pageview`` and ``pageview`` do not collide.
    """
    return _SEPARATORS.sub("", name.casefold())


def check_event_name(name: str, rules: EventNaming) -> list[NameProblem]:
    """TP101 when the case is wrong, TP102 when the words break the grammar."""
    if is_exempt_event(name):
        return []
    case_ok, verdict = _judge(name, rules)
    if case_ok and verdict.reason is None:
        return []
    suggestion = _suggest(name, rules, verdict)
    tail = f"; did you mean `{suggestion}`?" if suggestion else ""
    problems: list[NameProblem] = []
    if not case_ok:
        expected = _case_expectation(rules.case, name)
        if rules.grammar == _CATEGORY:
            expected += ", on each side of `:`"
        problems.append(
            NameProblem("TP101", f"event name `{name}` is not {expected}{tail}", suggestion)
        )
    if verdict.reason is not None:
        problems.append(
            NameProblem(
                "TP102",
                f"event name `{name}` breaks the {rules.grammar} grammar: {verdict.reason}; "
                f"expected {_grammar_expectation(rules)}{tail}",
                suggestion,
            )
        )
    return problems


def check_property_name(name: str, rules: PropertyNaming) -> list[NameProblem]:
    """TP103 when a property name is not in the configured case (``$`` names exempt)."""
    if name.startswith("$") or name in EXEMPT_PROPERTIES or matches_case(name, rules.case):
        return []
    suggestion: str | None = render(split_words(name), rules.case)
    if not suggestion or suggestion == name or not matches_case(suggestion, rules.case):
        suggestion = None
    tail = f"; did you mean `{suggestion}`?" if suggestion else ""
    message = f"property name `{name}` is not {_case_expectation(rules.case, name)}{tail}"
    return [NameProblem("TP103", message, suggestion)]


def suggest_event_name(name: str, rules: EventNaming) -> str | None:
    """A different name that follows ``rules`` and keeps the meaning, or None.

    Fixes the case (``userSignedUp`` -> ``user_signed_up``), moves a misplaced verb
    (``started_trial`` -> ``trial_started``) and changes a common verb's tense
    (``trial_start`` -> ``trial_started``); it never invents words, so a name without a
    verb or an object (``purchase``, ``signup_button``) gets None.
    """
    if is_exempt_event(name):
        return None
    case_ok, verdict = _judge(name, rules)
    if case_ok and verdict.reason is None:
        return None
    return _suggest(name, rules, verdict)


# -- internals --------------------------------------------------------------------


def _judge(name: str, rules: EventNaming) -> tuple[bool, Verdict]:
    """Whether the case is right, and the grammar's verdict on the words."""
    if rules.grammar == _CATEGORY and ":" in name:
        case_ok = all(matches_case(part, rules.case) for part in name.split(":"))
    else:
        case_ok = matches_case(name, rules.case)
    if rules.grammar == "none":
        return case_ok, Verdict()
    grammar = _word_grammar(rules)
    if rules.grammar != _CATEGORY:
        return case_ok, grammar.judge(split_words(name), verb_last=rules.grammar == "object_verb")
    parts = name.split(":")
    if len(parts) != 2:
        found = "none" if len(parts) == 1 else str(len(parts) - 1)
        return case_ok, Verdict(
            f"it needs exactly one `:` between the category and the object_action (found {found})"
        )
    if not split_words(parts[0]):
        return case_ok, Verdict("the category before `:` is empty")
    return case_ok, grammar.judge(split_words(parts[1]), verb_last=True)


def _suggest(name: str, rules: EventNaming, verdict: Verdict) -> str | None:
    prefix: list[str] = []
    main = name
    if rules.grammar == _CATEGORY:
        parts = name.split(":")
        if len(parts) != 2 or not split_words(parts[0]):
            return None
        prefix = [render(split_words(parts[0]), rules.case), ":"]
        main = parts[1]
    for words in (tuple(split_words(main)), *verdict.fixes):
        if not words:
            continue
        candidate = "".join([*prefix, render(words, rules.case)])
        if candidate == name:
            continue
        case_ok, candidate_verdict = _judge(candidate, rules)
        if case_ok and candidate_verdict.reason is None:
            return candidate
    return None


def _word_grammar(rules: EventNaming) -> WordGrammar:
    return WordGrammar(rules, lexicon_for(rules.verbs + (rules.allowed_verbs or ())))


def _case_expectation(case: Case, name: str) -> str:
    expected = f"{case} ({CASE_DESCRIPTIONS[case]})"
    if any(word[0].isdigit() for word in split_words(name)):
        expected += " with every word starting with a letter"
    return expected


_EXAMPLES: dict[str, tuple[Sequence[str], Sequence[str], str, str | None]] = {
    # grammar: category words, object words, verb, particle
    "object_verb": ((), ("user",), "sign", "up"),
    "verb_object": ((), ("content",), "view", None),
    _CATEGORY: (("signup", "flow"), ("pricing", "page"), "view", None),
}


def _grammar_expectation(rules: EventNaming) -> str:
    """What the grammar wants, with an example in the configured case and tense."""
    tense = {"past": "a past-tense verb", "present": "a present-tense verb"}.get(
        rules.tense, "a verb"
    )
    shape = {
        "object_verb": f"object words, then {tense}",
        "verb_object": f"{tense}, then object words",
        _CATEGORY: f"a category, `:`, then object words and {tense}",
    }[rules.grammar]
    if rules.allowed_verbs:
        shape += f" from the allowed verbs ({', '.join(rules.allowed_verbs)})"
    return f"{shape}, as in `{_example(rules)}`"


def _example(rules: EventNaming) -> str:
    category, objects, lemma, particle = _EXAMPLES[rules.grammar]
    lexicon = lexicon_for(rules.verbs + (rules.allowed_verbs or ()))
    if rules.allowed_verbs and lemma not in {entry.split()[0] for entry in rules.allowed_verbs}:
        lemma, particle = rules.allowed_verbs[0].split()[0], None
    verb = lexicon.verb(lemma)
    word = lemma
    if verb is not None and rules.tense != "present":
        word = (verb.past if rules.grammar == "verb_object" else verb.participle)[0]
    tail = [word, *([particle] if particle else [])]
    words = [*tail, *objects] if rules.grammar == "verb_object" else [*objects, *tail]
    rendered = render(words, rules.case)
    return f"{render(category, rules.case)}:{rendered}" if category else rendered
