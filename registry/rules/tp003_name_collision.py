from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule


class NameCollision(Rule):
    """Two names in the plan are the same once case and separators are ignored.

    **What it catches.** Two events, two properties of one event, two shared property
    definitions or two person properties whose names differ only in case or separators
    (`user_signed_up`, `user-signed-up`, `User Signed Up`, `userSignedUp`). Both places
    are named. Events merged from a directory of plan files are compared too.

    **Why it matters.** PostHog treats every spelling as a different event or property, so
    a collision splits one metric across two names: half the signups land in each, every
    funnel and dashboard built on one of them undercounts, and nobody can tell from the
    numbers. Tools like Avo and Amplitude flag the same thing for the same reason.

    **Example.** An event declaring both `signup_method` and `signupMethod` is reported at
    the second one, naming the first.

    **Fix.** Keep one spelling (the one your naming convention prescribes), delete the
    other from the plan and rename it wherever the code still sends it.
    """

    code = "TP003"
    slug = "name-collision"
    default_severity = Severity.ERROR
    scopes = frozenset({"plan"})
    summary = "two events or properties collide after normalising case and separators"
    VALID = (
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  user_signed_up:\n"
            "    properties:\n"
            "      signup_method: {type: string}\n"
            "      signup_source: {type: string}\n"
            "  user_logged_in: {}\n",
        ),
    )
    INVALID = (
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  user_signed_up:\n"
            "    properties:\n"
            "      signup_method: {type: string}\n"
            "      signupMethod: {type: string}\n",
        ),
        Example(
            "plan",
            "version: 1\nevents:\n  user_signed_up: {}\n  user-signed-up: {}\n",
        ),
    )
