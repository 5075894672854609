"""pytest plugin: every posthog client in the test session validates what it sends.

Registered through the ``pytest11`` entry point and off unless asked for with
``pytest --trackplan=plans/`` or ``trackplan_plan = plans/`` in the pytest ini
section. While on, the SDK's client classes are patched (see
:mod:`trackplan.registry.runtime.clients`) so module-level and instance clients run
a strict :class:`~trackplan.registry.runtime.ValidationHook` with no change to app
code. A test during which the app sends an event that breaks the plan fails with a
report naming the test, the event, the code, the JSON path and the message.

``--trackplan-record FILE`` writes every event seen, with the test that sent it and
its verdict, as JSON lines (under pytest-xdist the workers ship their records to the
controller, which writes the one file). The ``trackplan_events`` fixture gives a test the events
it has sent so far (``trackplan_events.named("order_created")``).

Only messages the SDK would enqueue reach ``before_send``: a client with
``disabled=True`` or no API key validates nothing (use ``send=False`` in tests).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from trackplan.registry.diagnostics import Diagnostic
    from trackplan.registry.runtime import Installation, ValidationHook, Verdict

__all__ = ["SeenEvent", "TrackplanEvents", "TrackplanSession"]

SESSION_PLUGIN = "trackplan-session"
OUTSIDE_TESTS = "<session>"
FAIL_ON = ("error", "warning")
WORKER_OUTPUT_KEY = "trackplan_records"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("trackplan", "validate PostHog events against a tracking plan")
    group.addoption(
        "--trackplan",
        dest="trackplan_plan",
        metavar="PLAN",
        default=None,
        help="tracking plan (YAML file or directory): validate every event posthog sends",
    )
    group.addoption(
        "--trackplan-record",
        dest="trackplan_record",
        metavar="FILE",
        default=None,
        help="write every event seen and its verdict to FILE as JSON lines",
    )
    group.addoption(
        "--trackplan-fail-on",
        dest="trackplan_fail_on",
        choices=FAIL_ON,
        default=None,
        help="lowest severity that fails a test (default: error)",
    )
    parser.addini("trackplan_plan", "tracking plan path (relative to the ini file)", default="")
    parser.addini("trackplan_record", "JSON lines file of events seen and verdicts", default="")
    parser.addini("trackplan_fail_on", "lowest severity that fails a test", default="error")


def _ini_path(config: pytest.Config, value: str) -> Path:
    base = config.inipath.parent if config.inipath else config.rootpath
    return base / value


def pytest_configure(config: pytest.Config) -> None:
    cli_plan = config.getoption("trackplan_plan")
    ini_plan = str(config.getini("trackplan_plan")).strip()
    if not cli_plan and not ini_plan:
        return
    plan = Path(cli_plan) if cli_plan else _ini_path(config, ini_plan)
    cli_record = config.getoption("trackplan_record")
    ini_record = str(config.getini("trackplan_record")).strip()
    record = (
        Path(cli_record) if cli_record else _ini_path(config, ini_record) if ini_record else None
    )
    fail_on = config.getoption("trackplan_fail_on") or str(config.getini("trackplan_fail_on"))
    if fail_on not in FAIL_ON:
        raise pytest.UsageError(
            f"trackplan_fail_on: {fail_on!r} is not one of {', '.join(FAIL_ON)}"
        )
    session = TrackplanSession.start(plan, record, fail_on, label=cli_plan or ini_plan)
    config.pluginmanager.register(session, SESSION_PLUGIN)
    config.add_cleanup(session.stop)


@pytest.fixture
def trackplan_events(request: pytest.FixtureRequest) -> TrackplanEvents:
    """The events this test has sent so far, with their verdicts."""
    session = request.config.pluginmanager.get_plugin(SESSION_PLUGIN)
    if not isinstance(session, TrackplanSession):
        pytest.skip("trackplan is off: run pytest with --trackplan=PLAN or set trackplan_plan")
    return TrackplanEvents(session, request.node.nodeid)


@dataclass(frozen=True)
class SeenEvent:
    """One message a posthog client sent during the session, and its verdict."""

    test: str
    event: str | None
    distinct_id: str | None
    properties: Mapping[str, Any]
    payload: Mapping[str, Any]
    valid: bool
    violations: tuple[Diagnostic, ...]
    failing: tuple[Diagnostic, ...]
    outcome: str

    def to_record(self) -> dict[str, Any]:
        """The JSON line written by ``--trackplan-record``."""
        return {
            "test": self.test,
            "event": self.event,
            "valid": self.valid,
            "outcome": self.outcome,
            "violations": [diag.to_dict() for diag in self.violations],
        }


class TrackplanEvents:
    """A live view of the events one test sent (the ``trackplan_events`` fixture)."""

    def __init__(self, session: TrackplanSession, test: str) -> None:
        self._session = session
        self._test = test

    def all(self) -> list[SeenEvent]:
        return self._session.events_of(self._test)

    def named(self, name: str) -> list[SeenEvent]:
        """The events called ``name``, oldest first."""
        return [seen for seen in self.all() if seen.event == name]

    def names(self) -> list[str | None]:
        return [seen.event for seen in self.all()]

    def valid(self) -> list[SeenEvent]:
        return [seen for seen in self.all() if seen.valid]

    def invalid(self) -> list[SeenEvent]:
        return [seen for seen in self.all() if not seen.valid]

    def violations(self, code: str | None = None) -> list[Diagnostic]:
        """Every violation found so far (only ``code`` when given)."""
        return [
            diag
            for seen in self.all()
            for diag in seen.violations
            if code is None or diag.code == code
        ]

    def __iter__(self) -> Iterator[SeenEvent]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self.all())

    def __bool__(self) -> bool:
        return bool(self.all())

    def __repr__(self) -> str:
        return f"<trackplan_events {self._test}: {self.names()!r}>"


class TrackplanSession:
    """The plugin's state while on: the hook, the events seen, the current test."""

    def __init__(
        self,
        plan: Path,
        record: Path | None,
        hook: ValidationHook,
        installation: Installation,
        label: str | None = None,
    ) -> None:
        self.plan = plan
        self.label = label or str(plan)
        self.record = record
        self.hook = hook
        self.installation = installation
        self.current = OUTSIDE_TESTS
        self._lock = threading.Lock()
        self._events: list[SeenEvent] = []
        self._by_test: dict[str, list[SeenEvent]] = {}
        self._reported: dict[str, int] = {}
        self._remote_rows: list[dict[str, Any]] = []

    @classmethod
    def start(
        cls, plan: Path, record: Path | None, fail_on: str, label: str | None = None
    ) -> TrackplanSession:
        """Load the plan and patch the SDK; ``pytest.UsageError`` on a broken plan."""
        from trackplan.registry.runtime import ValidationHook, install

        registry = _load_registry(plan, label or str(plan))
        severity_modes = {
            "error": "strict",
            "warning": "strict" if fail_on == "warning" else "ignore",
        }
        hook = ValidationHook(registry, severity_modes=severity_modes)
        session = cls(plan, record, hook, install(hook), label)
        hook.observer = session.observe
        return session

    def stop(self) -> None:
        self.installation.uninstall()

    def observe(self, msg: Mapping[str, Any], verdict: Verdict) -> None:
        """The hook's observer: remember the message under the current test."""
        from trackplan.registry.runtime import Mode

        properties = msg.get("properties")
        seen = SeenEvent(
            test=self.current,
            event=verdict.event,
            distinct_id=verdict.distinct_id,
            properties=dict(properties) if isinstance(properties, Mapping) else {},
            payload=dict(msg),
            valid=verdict.valid,
            violations=verdict.violations,
            failing=verdict.with_mode(Mode.STRICT),
            outcome=verdict.outcome,
        )
        with self._lock:
            self._events.append(seen)
            self._by_test.setdefault(seen.test, []).append(seen)

    def events_of(self, test: str) -> list[SeenEvent]:
        with self._lock:
            return list(self._by_test.get(test, ()))

    def _unreported_failures(self, test: str) -> list[SeenEvent]:
        with self._lock:
            mine = [seen for seen in self._by_test.get(test, ()) if seen.failing]
            start = self._reported.get(test, 0)
            self._reported[test] = len(mine)
            return mine[start:]

    # -- pytest hooks ----------------------------------------------------------

    # Old-style hook wrappers: they work with pytest 7 as well as 8 and 9.
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, None, None]:
        self.current = item.nodeid
        try:
            yield
        finally:
            self.current = OUTSIDE_TESTS

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Any, None]:
        outcome = yield
        if call.when == "setup":  # setup's events are reported with the call (or teardown)
            return
        failures = self._unreported_failures(item.nodeid)
        if not failures:
            return
        report: pytest.TestReport = outcome.get_result()
        text = _failure_report(item.nodeid, failures, self.label)
        if report.passed or report.skipped:
            report.outcome = "failed"
            report.longrepr = text
        else:
            report.sections.append(("trackplan", text))

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        """pytest-xdist controller: collect the records a worker shipped back."""
        output = getattr(node, "workeroutput", None) or {}
        rows = output.get(WORKER_OUTPUT_KEY, [])
        with self._lock:
            self._remote_rows.extend(row for row in rows if isinstance(row, dict))

    def _rows(self) -> list[dict[str, Any]]:
        with self._lock:
            return [seen.to_record() for seen in self._events] + list(self._remote_rows)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        workeroutput = getattr(session.config, "workeroutput", None)
        if workeroutput is not None:  # an xdist worker: the controller writes the file
            workeroutput[WORKER_OUTPUT_KEY] = self._rows()
            return
        if self.record is None:
            return
        lines = [json.dumps(row, sort_keys=True) + "\n" for row in self._rows()]
        self.record.parent.mkdir(parents=True, exist_ok=True)
        self.record.write_text("".join(lines), encoding="utf-8")

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        rows = self._rows()
        broken = sum(1 for row in rows if row["violations"])
        line = f"trackplan: {len(rows)} events checked against {self.label}, {broken} broke it"
        if self.record is not None:
            line += f"; verdicts written to {self.record}"
        terminalreporter.write_line(line)


def _load_registry(plan: Path, label: str) -> Any:
    from trackplan.registry.validation import Registry

    try:
        return Registry.load(plan)
    except Exception as exc:
        diagnostics: tuple[Diagnostic, ...] = tuple(getattr(exc, "diagnostics", ()))
        lines = [_located(diag) for diag in diagnostics] or [str(exc) or type(exc).__name__]
        raise pytest.UsageError(
            f"trackplan: cannot load the plan {label}:\n" + "\n".join(lines)
        ) from None


def _located(diag: Diagnostic) -> str:
    where = ":".join(str(part) for part in (diag.path, diag.line, diag.column) if part is not None)
    return f"{where}: {diag.code} {diag.message}" if where else f"{diag.code} {diag.message}"


def _failure_report(test: str, failures: list[SeenEvent], plan: str) -> str:
    events = "1 event that breaks" if len(failures) == 1 else f"{len(failures)} events that break"
    lines = [f"{test} sent {events} the tracking plan {plan}:"]
    for seen in failures:
        for diag in seen.failing:
            lines.append(
                f"  event {seen.event!r}: {diag.code} at {diag.pointer or '/'}: {diag.message}"
            )
    return "\n".join(lines)
