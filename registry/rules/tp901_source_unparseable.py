from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule


class SourceUnparseable(Rule):
    """A source file cannot be read or parsed, so its tracking calls were not checked.

    **What it catches.** A Python file that `trackplan lint` was asked to check but could
    not analyse: a syntax error, bytes that are not valid in the declared encoding
    (non-UTF-8 without a coding line), NUL bytes, a file that cannot be read, or one
    nested too deeply for the parser. The run reports it at the offending position and
    goes on with the other files.

    **Why it matters.** A file that cannot be parsed is a file whose tracking calls were
    not checked at all. Reporting it, instead of crashing the run or skipping it in
    silence, keeps "no findings" meaning "checked and clean".

    **Example.** `def on_signup(user:` (an unclosed parenthesis) is reported at the line
    where the parser failed.

    **Fix.** Fix the syntax or the encoding (save as UTF-8), or exclude generated and
    vendored files with `exclude` in `[tool.trackplan]`.
    """

    code = "TP901"
    slug = "source-unparseable"
    default_severity = Severity.ERROR
    scopes = frozenset({"code"})
    summary = "a source file cannot be read or parsed"
    VALID = (
        Example(
            "code",
            "import posthog\n\n\n"
            "def on_signup(user):\n"
            '    posthog.capture("user_signed_up", distinct_id=str(user.id))\n',
        ),
    )
    INVALID = (
        Example(
            "code",
            "import posthog\n\n\n"
            "def on_signup(user:\n"
            '    posthog.capture("user_signed_up", distinct_id=str(user.id))\n',
        ),
        Example(
            "code",
            'import posthog\n\nposthog.capture("user_signed_up", distinct_id=str(user.id)\n',
        ),
    )
