from __future__ import annotations

from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule


class StaleBaselineEntry(Rule):
    """A baseline entry no longer matches any finding.

    **What it catches.** An entry in the file given to ``trackplan lint --baseline`` whose
    finding is gone: the call was fixed, deleted, or its code changed enough that its
    fingerprint (path, code, event name and the whitespace-normalised source of the call)
    no longer matches. Reported at the entry's line in the baseline file.

    **Why it matters.** A baseline grandfathers today's findings so a codebase can adopt
    trackplan without fixing everything first. It should only ever shrink: an entry left
    behind after its finding is fixed would silently re-admit the same mistake later.

    **Example.** The baseline holds ``{"code": "TP101", "event": "Signup", ...}`` for
    ``app/auth.py`` and the call now sends ``user_signed_up``: the entry is stale.

    **Fix.** Regenerate the baseline with ``trackplan lint --write-baseline FILE`` (it
    only keeps findings that still exist), or delete the entry by hand.
    """

    code = "TP903"
    slug = "stale-baseline-entry"
    default_severity = Severity.INFO
    scopes = frozenset({"code"})
    NO_EXAMPLES_REASON = "a baseline check comparing a baseline file with a whole lint run"
    summary = "baseline entry no longer matches a finding (remove it)"
