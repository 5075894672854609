"""Event-name grammar over words: where the verb stands, its tense, which verbs may be used.

An event name's words (case already taken off) are judged as ``object_verb`` (object
words, then a verb, then optionally a phrasal particle: ``user_signed_up``) or
``verb_object`` (the mirror image: ``viewed_content``). ``category:object_action``
applies ``object_verb`` to the part after the colon. The verdict carries the reason a
person reads and the word sequences that could fix it, in order of preference; the
caller renders them in the configured case and keeps the first that passes.

Many English words are both noun and verb (``order``, ``reset``, ``trial``), so the
judge looks at the whole name: a leading verb in the wanted tense before a trailing word
that is not (``started_trial``) is a misplaced verb, not an odd object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trackplan.registry.naming.config import EventNaming, Tense
from trackplan.registry.naming.lexicon import Form, Lexicon

__all__ = ["TENSE_FORMS", "Verdict", "WordGrammar"]

#: The verb forms each configured tense accepts.
TENSE_FORMS: Mapping[Tense, Form] = {
    "past": Form.PAST | Form.PARTICIPLE,
    "present": Form.BASE | Form.THIRD,
    "any": Form.BASE | Form.PAST | Form.PARTICIPLE | Form.THIRD | Form.ING,
}

_INFLECTED = Form.PAST | Form.PARTICIPLE | Form.ING
_TENSE_WORDS: Mapping[Tense, str] = {"past": "past-tense ", "present": "present-tense ", "any": ""}

Words = tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """Why the words break the grammar (None: they follow it) and candidate fixes."""

    reason: str | None = None
    fixes: tuple[Words, ...] = ()


class WordGrammar:
    """Judges word sequences against one event-naming configuration."""

    def __init__(self, rules: EventNaming, lexicon: Lexicon) -> None:
        self._rules = rules
        self._lexicon = lexicon
        self._want = TENSE_FORMS[rules.tense]
        self._tense = _TENSE_WORDS[rules.tense]
        self._allowed = (
            None
            if rules.allowed_verbs is None
            else frozenset(entry.split()[0] for entry in rules.allowed_verbs)
        )

    def judge(self, words: Sequence[str], *, verb_last: bool) -> Verdict:
        """Judge ``words`` as object-then-verb (``verb_last``) or verb-then-object."""
        words = tuple(words)
        if not words:
            return Verdict("it has no words")
        if verb_last:
            return self._judge_object_verb(words)
        return self._judge_verb_object(words)

    # -- object_verb -------------------------------------------------------------

    def _judge_object_verb(self, words: Words) -> Verdict:
        forms = self._lexicon.forms
        index = self._verb_index_at_end(words)
        verb = words[index]
        lead = self._verb_phrase_length_at_start(words)
        if len(words) > lead and self._misplaced(words[0], verb, len(words) - lead):
            moved = words[lead:] + words[:lead]
            return Verdict(
                f"the verb `{words[0]}` comes before its object",
                _present(moved, self._retensed(moved, len(words) - lead, verb_last=True)),
            )
        if not forms(verb):
            return Verdict(f"it does not end in a {self._tense}verb: {self._not_a_verb(verb)}")
        if index == 0:
            return Verdict(f"it has no object before the verb `{verb}`")
        if not forms(verb) & self._want:
            return Verdict(
                f"it does not end in a {self._tense}verb: `{verb}` is {_describe(forms(verb))}",
                _present(self._retensed(words, index, verb_last=True)),
            )
        return self._judge_allowed(verb)

    # -- verb_object -------------------------------------------------------------

    def _judge_verb_object(self, words: Words) -> Verdict:
        forms = self._lexicon.forms
        verb = words[0]
        lead = self._verb_phrase_length_at_start(words)
        end = self._verb_index_at_end(words)
        if end > 0 and self._misplaced(words[end], verb, end):
            moved = words[end:] + words[:end]
            return Verdict(
                f"the verb `{words[end]}` comes after its object",
                _present(moved, self._retensed(moved, 0, verb_last=False)),
            )
        if not forms(verb):
            return Verdict(f"it does not start with a {self._tense}verb: {self._not_a_verb(verb)}")
        if len(words) == lead:
            return Verdict(f"it has no object after the verb `{verb}`")
        if not forms(verb) & self._want:
            return Verdict(
                f"it does not start with a {self._tense}verb: `{verb}` is {_describe(forms(verb))}",
                _present(self._retensed(words, 0, verb_last=False)),
            )
        return self._judge_allowed(verb)

    # -- shared ------------------------------------------------------------------

    def _judge_allowed(self, verb: str) -> Verdict:
        if self._allowed is None or self.is_allowed(verb):
            return Verdict()
        return Verdict(f"`{verb}` is not one of the allowed verbs")

    def is_allowed(self, verb: str) -> bool:
        """Whether ``verb`` (any form) is one of ``allowed_verbs`` (always, if unset)."""
        if self._allowed is None:
            return True
        if verb in self._allowed:
            return True
        return any(lemma in self._allowed for lemma in self._lexicon.lemmas(verb))

    def _fits(self, word: str) -> bool:
        """Whether ``word`` is an allowed verb in the wanted tense."""
        return bool(self._lexicon.forms(word) & self._want) and self.is_allowed(word)

    def _misplaced(self, candidate: str, slot: str, others: int) -> bool:
        """Whether ``candidate`` (at the wrong end) is the verb rather than ``slot``.

        Yes when ``candidate`` is an allowed verb in the wanted tense and ``slot`` is
        not, unless ``slot`` is unmistakably a verb in the wrong tense (a tense
        problem) or the only evidence is a base form before a non-verb (``order`` in
        ``order_summary`` is a noun). Yes too when ``candidate`` is unmistakably
        inflected (``viewed``) and ``slot`` is no inflected form and either no verb at
        all or the only other word.
        """
        forms = self._lexicon.forms
        candidate_forms, slot_forms = forms(candidate), forms(slot)
        if not candidate_forms:
            return False
        if (
            self._fits(candidate)
            and not self._fits(slot)
            and not _inflected_only(slot_forms)
            and (candidate_forms & self._want & ~Form.BASE or slot_forms)
        ):
            return True
        return (
            _inflected_only(candidate_forms)
            and not slot_forms & _INFLECTED
            and (not slot_forms or others == 1)
        )

    def _verb_index_at_end(self, words: Words) -> int:
        last = len(words) - 1
        if (
            last >= 1
            and self._lexicon.is_particle(words[last])
            and self._lexicon.forms(words[last - 1])
        ):
            return last - 1
        return last

    def _verb_phrase_length_at_start(self, words: Words) -> int:
        if (
            len(words) >= 2
            and self._lexicon.is_particle(words[1])
            and self._lexicon.forms(words[0])
        ):
            return 2
        return 1

    def _retensed(self, words: Words, index: int, *, verb_last: bool) -> Words | None:
        """``words`` with the verb at ``index`` put in the wanted tense, if one is safe.

        A base form is re-inflected only for common verbs (``start`` but not ``button``).
        """
        word = words[index]
        forms = self._lexicon.forms(word)
        if not forms or forms & self._want or self._rules.tense == "any":
            return None
        lemmas = self._lexicon.lemmas(word)
        if self._allowed is not None:
            lemmas = tuple(lemma for lemma in lemmas if lemma in self._allowed)
        for lemma in lemmas:
            verb = self._lexicon.verb(lemma)
            if verb is None or (forms & Form.BASE and not self._lexicon.is_common(lemma)):
                continue
            if self._rules.tense == "present":
                new = verb.base
            else:
                new = (verb.participle if verb_last else verb.past)[0]
            return (*words[:index], new, *words[index + 1 :])
        return None

    def _not_a_verb(self, word: str) -> str:
        return f"`{word}` is not in the verb lexicon (add it to naming.events.verbs if it is one)"


def _inflected_only(forms: Form) -> bool:
    """A past, participle or -ing form that is no verb's base form (``viewed``)."""
    return bool(forms & _INFLECTED) and not forms & Form.BASE


def _describe(forms: Form) -> str:
    if forms & Form.BASE:
        return "a base form"
    if forms & (Form.PAST | Form.PARTICIPLE):
        return "a past form"
    if forms & Form.ING:
        return "an -ing form"
    return "a third-person form"


def _present(*candidates: Words | None) -> tuple[Words, ...]:
    return tuple(candidate for candidate in candidates if candidate is not None)
