from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule

_PLAN = """\
version: 1
events:
  user_signed_up:
    description: A visitor created an account.
    properties:
      signup_method: {type: string, enum: [email, google, github], required: true}
"""


class PlanUnreadable(Rule):
    """A plan file cannot be read as YAML at all.

    **What it catches.** A plan file that is not valid YAML (an unclosed bracket or quote,
    a tab used for indentation, a bad indent), that cannot be read (missing, a permission
    error, not UTF-8, not a regular file: a FIFO or a device named as a plan or found in a
    plan directory; a plan sub-directory that cannot be listed is reported too, never
    skipped), or that the loader refuses to read: over 16 MiB, nested too deeply,
    or an alias bomb (a document that expands through YAML aliases into millions of
    values). Reported at the line and column of the YAML error when there is one.

    **Why it matters.** Nothing else can be checked until the plan parses: every other
    rule, in CI, in the linter and at runtime, depends on a plan that loads. YAML is only
    ever loaded safely, and the size and alias limits keep a hostile or generated plan from
    exhausting memory in CI or in the app that embeds the registry.

    **Example.** `enum: [email, google, github` (no closing `]`) is reported as invalid
    YAML at the position where the parser gave up, with the parser's own explanation.

    **Fix.** Correct the YAML at the reported position (indent with spaces, close every
    bracket and quote); save the file as UTF-8; split a huge plan into a directory of
    files; write repeated property specs once under the top-level `properties:` instead of
    through anchors and aliases.
    """

    code = "TP001"
    slug = "plan-unreadable"
    default_severity = Severity.ERROR
    scopes = frozenset({"plan"})
    summary = "plan file is not valid YAML / not readable"
    VALID = (Example("plan", _PLAN),)
    INVALID = (
        Example(
            "plan",
            "version: 1\n"
            "events:\n"
            "  user_signed_up:\n"
            "    properties:\n"
            "      signup_method: {type: string, enum: [email, google, github\n",
        ),
        Example("plan", "version: 1\nevents:\n\tuser_signed_up: {}\n"),
        Example("plan", 'version: 1\nevents:\n  user_signed_up:\n    description: "unclosed\n'),
    )
