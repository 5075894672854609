"""The pytest plugin against a sample app using the real posthog SDK (pytester subprocesses).

The sample app (``sample_app/``) tracks through a ``Posthog`` instance with its own
``before_send`` and through the module-level client; its tests never mention trackplan.
"""

from __future__ import annotations

import json
from importlib.metadata import entry_points
from pathlib import Path

import pytest

SAMPLE = Path(__file__).parent / "sample_app"

FAILURES = [
    "*test_shop.py::test_negative_amount sent 1 event that breaks the tracking plan plan.yaml:",
    "*  event 'order_created': TP204 at /properties/amount: property `amount` must be >= 0",
    "*test_shop.py::test_signup_with_unknown_method sent 1 event that breaks the tracking plan*",
    "*  event 'user_signed_up': TP204 at /properties/signup_method: property `signup_method`"
    ' must be one of [[]"email", "google"]',
    "*test_shop.py::test_plan_change_to_unknown_plan sent 1 event that breaks the tracking plan*",
    "*  event '$set': TP304 at /$set/plan: person property `plan` under `$set` must be one of*",
]


@pytest.fixture
def app(pytester: pytest.Pytester) -> pytest.Pytester:
    for source in SAMPLE.iterdir():
        if source.is_file():
            (pytester.path / source.name).write_text(source.read_text())
    return pytester


def test_plugin_is_registered_through_the_pytest11_entry_point() -> None:
    found = [ep for ep in entry_points(group="pytest11") if ep.name == "trackplan"]
    assert [ep.value for ep in found] == ["trackplan.registry.pytest_plugin"]


def test_off_by_default_so_violating_tests_pass(app: pytest.Pytester) -> None:
    result = app.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=6)
    assert "events checked against" not in result.stdout.str()


def test_violating_tests_fail_naming_test_event_code_path_and_message(
    app: pytest.Pytester,
) -> None:
    result = app.runpytest_subprocess("-p", "no:cacheprovider", "--trackplan=plan.yaml")
    result.assert_outcomes(passed=3, failed=3)
    result.stdout.fnmatch_lines(FAILURES, consecutive=False)
    result.stdout.fnmatch_lines(["trackplan: 6 events checked against plan.yaml, 3 broke it"])
    assert result.ret == 1


def test_ini_option_turns_it_on(app: pytest.Pytester) -> None:
    app.makeini("[pytest]\ntrackplan_plan = plan.yaml\n")
    result = app.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=3)
    result.stdout.fnmatch_lines(FAILURES[:2], consecutive=False)


def test_record_file_lists_every_event_with_its_test_and_verdict(app: pytest.Pytester) -> None:
    record = app.path / "out" / "events.jsonl"
    result = app.runpytest_subprocess(
        "-p", "no:cacheprovider", "--trackplan=plan.yaml", f"--trackplan-record={record}"
    )
    result.assert_outcomes(passed=3, failed=3)
    rows = [json.loads(line) for line in record.read_text().splitlines()]
    assert [
        (
            row["test"].split("::")[1],
            row["event"],
            row["valid"],
            row["outcome"],
            [(v["code"], v["pointer"]) for v in row["violations"]],
        )
        for row in rows
    ] == [
        ("test_order_is_tracked", "order_created", True, "sent", []),
        (
            "test_redacted_card_number_is_not_an_undeclared_property",
            "order_created",
            True,
            "sent",
            [],
        ),
        ("test_negative_amount", "order_created", False, "sent", [("TP204", "/properties/amount")]),
        (
            "test_signup_with_unknown_method",
            "user_signed_up",
            False,
            "sent",
            [("TP204", "/properties/signup_method")],
        ),
        ("test_plan_change_to_unknown_plan", "$set", False, "sent", [("TP304", "/$set/plan")]),
        ("test_signup_via_google", "user_signed_up", True, "sent", []),
    ]


def test_trackplan_events_fixture_gives_the_test_its_events(app: pytest.Pytester) -> None:
    app.makepyfile(
        test_fixture="""
        import shopapp

        def test_events(trackplan_events):
            assert not trackplan_events
            shopapp.place_order("u1", "o-1", 3)
            shopapp.sign_up("u1", "email")
            shopapp.place_order("u1", "o-2", 4)
            assert trackplan_events.names() == ["order_created", "user_signed_up", "order_created"]
            orders = trackplan_events.named("order_created")
            assert [o.properties["order_id"] for o in orders] == ["o-1", "o-2"]
            assert [o.distinct_id for o in orders] == ["u1", "u1"]
            assert trackplan_events.invalid() == []
            assert trackplan_events.violations() == []

        def test_events_are_per_test(trackplan_events):
            assert len(trackplan_events) == 0
        """
    )
    result = app.runpytest_subprocess(
        "-p", "no:cacheprovider", "--trackplan=plan.yaml", "test_fixture.py"
    )
    result.assert_outcomes(passed=2)


def test_fixture_skips_when_the_plugin_is_off(app: pytest.Pytester) -> None:
    app.makepyfile(test_fixture="def test_events(trackplan_events):\n    assert False\n")
    result = app.runpytest_subprocess("-p", "no:cacheprovider", "-rs", "test_fixture.py")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*trackplan is off: run pytest with --trackplan=PLAN*"])


def test_fail_on_warning_fails_tests_sending_deprecated_events(app: pytest.Pytester) -> None:
    app.makepyfile(
        test_old="""
        import posthog
        import shopapp  # configures the module-level client (api key, send=False)

        def test_old_export():
            posthog.capture("report_exported", distinct_id="u1")
        """
    )
    base = ["-p", "no:cacheprovider", "--trackplan=plan.yaml", "test_old.py"]
    app.runpytest_subprocess(*base).assert_outcomes(passed=1)
    result = app.runpytest_subprocess(*base, "--trackplan-fail-on=warning")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*event 'report_exported': TP205 at /event: event `report_exported`*"]
    )


def test_broken_plan_is_a_usage_error_with_file_line_and_column(app: pytest.Pytester) -> None:
    (app.path / "bad.yaml").write_text("version: 1\nevents:\n  order_created:\n    colour: red\n")
    result = app.runpytest_subprocess("-p", "no:cacheprovider", "--trackplan=bad.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*trackplan: cannot load the plan bad.yaml:", "*bad.yaml:4:*TP002*"]
    )
    assert "Traceback" not in result.stderr.str()


def test_fixture_setup_events_fail_the_call_and_teardown_events_fail_teardown(
    app: pytest.Pytester,
) -> None:
    app.makepyfile(
        test_phases="""
        import pytest
        import shopapp

        @pytest.fixture
        def bad_setup():
            shopapp.place_order("u1", "o-1", -1)
            yield

        @pytest.fixture
        def bad_teardown():
            yield
            shopapp.sign_up("u1", "fax")

        def test_uses_bad_setup(bad_setup):
            pass

        def test_uses_bad_teardown(bad_teardown):
            pass
        """
    )
    result = app.runpytest_subprocess(
        "-p", "no:cacheprovider", "--trackplan=plan.yaml", "test_phases.py"
    )
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "FAILED test_phases.py::test_uses_bad_setup - *",
            "ERROR test_phases.py::test_uses_bad_teardown - *",
        ],
        consecutive=False,
    )
    assert "event 'user_signed_up': TP204 at /properties/signup_method" in result.stdout.str()


def test_xdist_workers_ship_their_records_to_the_controller(app: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    record = app.path / "events.jsonl"
    result = app.runpytest_subprocess(
        "-p", "no:cacheprovider", "-n", "2", "--trackplan=plan.yaml", f"--trackplan-record={record}"
    )
    result.assert_outcomes(passed=3, failed=3)
    result.stdout.fnmatch_lines(["trackplan: 6 events checked against plan.yaml, 3 broke it*"])
    rows = [json.loads(line) for line in record.read_text().splitlines()]
    assert sorted(row["test"].split("::")[1] for row in rows) == sorted(
        [
            "test_order_is_tracked",
            "test_redacted_card_number_is_not_an_undeclared_property",
            "test_negative_amount",
            "test_signup_with_unknown_method",
            "test_plan_change_to_unknown_plan",
            "test_signup_via_google",
        ]
    )
