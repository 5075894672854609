"""The ``trackplan_server`` pytest fixture, used the way an app's test suite uses it."""

from __future__ import annotations

import pytest
from serve_support import PLAN

TESTS = """
import posthog

def _client(server):
    return posthog.Posthog("phc_app", host=server.url, sync_mode=True)

def test_good(trackplan_server):
    trackplan_server.reset()
    _client(trackplan_server).capture(
        "user_logged_in", distinct_id="u1", properties={"login_method": "sso"}
    )
    trackplan_server.assert_all_valid()
    assert trackplan_server.stats()["total"] == 1

def test_expected_violations(trackplan_server):
    trackplan_server.reset()
    _client(trackplan_server).capture(
        "user_logged_in", distinct_id="u1", properties={"login_method": "fax"}
    )
    trackplan_server.assert_violations([("user_logged_in", "TP204", "/properties/login_method")])

def test_unexpected_violations(trackplan_server):
    trackplan_server.reset()
    client = _client(trackplan_server)
    client.capture("user_logged_in", distinct_id="u1", properties={"login_method": "fax"})
    client.capture("invite_sent", distinct_id="u1", properties={"project_id": 1})
    trackplan_server.assert_violations([("user_logged_in", "TP204", "/properties/login_method")])

def test_invalid_listing(trackplan_server):
    trackplan_server.reset()
    _client(trackplan_server).capture("nope", distinct_id="u1")
    trackplan_server.assert_all_valid()
"""


def test_fixture_serves_the_sdk_and_shows_a_readable_diff(pytester: pytest.Pytester) -> None:
    pytester.makeini(f"[pytest]\ntrackplan_serve_plan = {PLAN}\n")
    pytester.makepyfile(test_app=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*violations differ (-expected +stored):*",
            "*--- expected*",
            "*+++ stored*",
            "+invite_sent  TP202  /properties/invitee_role",
            "*1 event(s) broke the plan:*",
            "*#* nope (distinct_id=u1)",
            "*TP201 /event: event `nope` is not in the plan",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_fixture_with_a_broken_plan_fails_with_positions(pytester: pytest.Pytester) -> None:
    plan = pytester.path / "plan.yaml"
    plan.write_text("version: 1\nevents:\n  x: [unclosed\n")
    pytester.makeini(f"[pytest]\ntrackplan_serve_plan = {plan}\n")
    pytester.makepyfile(test_app="def test_it(trackplan_server):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*trackplan_server: the plan*cannot be used:*", "*plan.yaml:*TP001*"]
    )
    assert "Traceback" not in result.stdout.str()
