from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule


class EventNameGrammar(Rule):
    """An event name does not follow the configured grammar.

    **What it catches.** An event name, in the plan or at a call site, that is in the right
    case but not in the configured shape. The default grammar `object_verb` in the past
    tense wants an object followed by a past-tense verb from the built-in lexicon (regular
    and irregular forms and phrasal verbs such as `signed_up`, `logged_in`):
    `user_signed_up`, `plan_purchased`, `trial_started` pass; `started_trial`,
    `viewed_content`, `purchase`, `signup_button` and `clicked` do not. Other grammars are
    `verb_object`, `category:object_action` (PostHog's best-practices style, present tense
    verbs from its fixed list, e.g. `signup_flow:pricing_page_view`) and `none`; tense is
    `past`, `present` or `any`; `verbs:` adds your own verbs to the lexicon.

    **Why it matters.** The same action tracked as `started_trial` by one team and
    `trial_started` by another ends up as two events nobody knows to combine. A fixed
    shape makes names guessable when building an insight and makes an event list sort by
    object, so everything that happens to a trial sits together.

    **Example.** `viewed_content` is reported with the suggestion `content_viewed`.

    **Fix.** Reorder the name into the configured shape (`content_viewed`), or add a
    domain verb the lexicon lacks with `naming: {events: {verbs: [churned]}}`. Mark an
    established name `naming: legacy` in the plan rather than renaming it.
    """

    code = "TP102"
    slug = "event-name-grammar"
    default_severity = Severity.ERROR
    scopes = frozenset({"plan", "code"})
    summary = "event name breaks the configured grammar (object-verb, tense, verb list)"
    VALID = (
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  user_signed_up: {}\n"
            "  user_logged_in: {}\n"
            "  plan_purchased: {}\n"
            "  trial_started: {}\n"
            "  content_viewed: {}\n"
            "  password_reset: {}\n"
            "  invite_sent: {}\n",
        ),
        Example(
            "plan",
            "version: 1\nnaming: posthog\nevents:\n  signup_flow:pricing_page_view: {}\n",
        ),
        Example(
            "code", 'import posthog\n\nposthog.capture("trial_started", distinct_id=user.id)\n'
        ),
    )
    INVALID = (
        Example("plan", "version: 1\nevents:\n  started_trial: {}\n"),
        Example("plan", "version: 1\nevents:\n  signup_button: {}\n"),
        Example("plan", "version: 1\nevents:\n  purchase: {}\n"),
        Example(
            "code", 'import posthog\n\nposthog.capture("viewed_content", distinct_id=user.id)\n'
        ),
        Example("code", 'import posthog\n\nposthog.capture("clicked", distinct_id=user.id)\n'),
    )
