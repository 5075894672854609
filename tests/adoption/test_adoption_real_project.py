"""`trackplan init` measured on real code: three files of the PostHog server (MIT, 2022).

PostHog's own backend sends most events directly (`posthoganalytics.capture(user.distinct_id,
"user signed up", ...)`) and the rest through its wrapper `report_user_action(user, event,
properties)`. The literal event names below were read off the files by hand. See
`projects/posthog_2022/SOURCE.md` for provenance and licence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from adoption_helpers import trackplan_cli
from trackplan.linter.config import Config
from trackplan.linter.runner import run_lint

#: Every event name written as a string literal in a tracking call in the fixture files.
LITERAL_EVENTS = {
    # posthog/event_usage.py, direct posthoganalytics.capture calls
    "user signed up",
    "user joined organization",
    "user logged in",
    "user updated",
    "user password reset",
    "team invite executed",
    "user invited",
    "bulk invite executed",
    "organization usage report",
    "organization usage report failure",
    "organization deleted",
    "first ingestion reminder email sent",
    "second ingestion reminder email sent",
    # posthog/api/action.py, through the report_user_action wrapper
    "action created",
    "action updated",
}


def drafted_events(root: Path) -> set[str]:
    plan = yaml.safe_load((root / "plans" / "events.yaml").read_text())
    return set(plan["events"])


def test_init_drafts_every_literal_event_name_of_the_real_project(
    project: Callable[[str], Path],
) -> None:
    root = project("posthog_2022")
    done = trackplan_cli("init", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "wrapper posthog.event_usage.report_user_action = (user, event, properties=None)" in (
        done.stdout
    )
    drafted = drafted_events(root)
    share = len(drafted & LITERAL_EVENTS) / len(LITERAL_EVENTS)
    print(f"init drafted {len(drafted & LITERAL_EVENTS)}/{len(LITERAL_EVENTS)} = {share:.0%}")
    assert share == 1.0
    assert drafted == LITERAL_EVENTS  # and nothing that is not an event

    # lint infers the wrapper by itself: with no configuration at all, every event
    plain = run_lint([root], Config(root=root), use_cache=False)
    found = {c.event for c in plain.calls if c.kind == "capture" and c.event}
    assert found == LITERAL_EVENTS
    # ... and without inference the wrapper's call sites would be missed
    wrapped = {
        c.event
        for c in plain.calls
        if c.target == "posthog.event_usage.report_user_action" and c.event
    }
    assert wrapped == {"action created", "action updated"}


def test_after_init_check_and_lint_pass_on_the_real_project(
    project: Callable[[str], Path],
) -> None:
    root = project("posthog_2022")
    assert trackplan_cli("init", cwd=root).returncode == 0
    assert trackplan_cli("check", "plans", cwd=root).returncode == 0
    linted = trackplan_cli("lint", "--baseline", ".trackplan-baseline.json", cwd=root)
    assert linted.returncode == 0
    findings = [line for line in linted.stdout.splitlines() if ": TP" in line]
    # the one call init cannot plan: an event name built with an f-string
    assert findings == [
        "posthog/mixins.py:70:42: TP401 event name cannot be resolved statically (an f-string);"
        " use a string literal, a module constant or an Enum member"
    ]
    covered = trackplan_cli("coverage", cwd=root)
    assert covered.returncode == 0
    assert covered.stdout.splitlines()[-1] == (
        "15 planned event(s), 15 captured (100%), 0 never captured, 0 unplanned"
    )
