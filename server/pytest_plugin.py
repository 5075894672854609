"""pytest plugin: the ``trackplan_server`` fixture, a real ``trackplan serve`` for a session.

Registered through the ``pytest11`` entry point and inert until a test asks for the
fixture. It starts the server on a free 127.0.0.1 port (in a background thread of the
test process, with its own SQLite store in a temporary directory) and gives a
:class:`TrackplanServer`: ``url`` for the SDK's ``host``, ``events()``/``stats()``/
``reset()`` over the query API, and assertions whose failure shows a readable diff::

    def test_signup(trackplan_server):
        client = Posthog("phc_test", host=trackplan_server.url, sync_mode=True)
        client.capture("user_signed_up", distinct_id="u1", properties={...})
        trackplan_server.assert_all_valid()

The plan is the ``trackplan_serve_plan`` ini option, else ``trackplan_plan``, else
``plans/``; override the ``trackplan_server_plan`` fixture to choose it in code. An
acknowledged capture is stored before the SDK gets its answer, so the very next query
sees it (use ``sync_mode=True`` or ``flush()`` so the SDK has sent it).
"""

from __future__ import annotations

import difflib
import json
import urllib.parse
import urllib.request
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import Any

import pytest

__all__ = ["TrackplanServer"]

Violation = tuple[str | None, str, str]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "trackplan_serve_plan",
        "plan for the trackplan_server fixture (default: trackplan_plan, else plans/)",
        default="",
    )


class TrackplanServer:
    """A running server and helpers to ask it what arrived."""

    def __init__(self, url: str, db: Path) -> None:
        self.url, self.db = url, db

    def _call(self, method: str, path: str, params: dict[str, Any] | None = None) -> Any:
        query = ""
        if params:
            clean = {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()}
            query = "?" + urllib.parse.urlencode({k: v for k, v in clean.items() if v is not None})
        request = urllib.request.Request(self.url + path + query, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def events(self, **filters: Any) -> list[dict[str, Any]]:
        """Stored events, oldest first (filters: event, valid, code, distinct_id, after)."""
        filters.setdefault("limit", 10_000)
        found: list[dict[str, Any]] = self._call("GET", "/_trackplan/events", filters)["events"]
        return found

    def stats(self) -> dict[str, Any]:
        found: dict[str, Any] = self._call("GET", "/_trackplan/stats")
        return found

    def reset(self) -> int:
        """Forget every stored event; how many there were."""
        return int(self._call("DELETE", "/_trackplan/events")["deleted"])

    def violations(self, **filters: Any) -> list[Violation]:
        """``(event, code, path)`` of every violation of the stored events, in order."""
        return [
            (item["event"], v["code"], v["path"])
            for item in self.events(**filters)
            for v in item["violations"]
        ]

    def assert_all_valid(self, **filters: Any) -> None:
        """Fail, listing every violation, when some stored event is invalid."""
        invalid = [item for item in self.events(**filters) if not item["valid"]]
        if invalid:
            pytest.fail(
                f"{len(invalid)} event(s) broke the plan:\n" + describe(invalid), pytrace=False
            )

    def assert_violations(self, expected: Iterable[Violation], **filters: Any) -> None:
        """Fail with a diff unless the ``(event, code, path)`` violations are exactly these."""
        want = sorted(_line(v) for v in expected)
        got = sorted(_line(v) for v in self.violations(**filters))
        if want != got:
            diff = difflib.unified_diff(want, got, "expected", "stored", lineterm="", n=2)
            pytest.fail("violations differ (-expected +stored):\n" + "\n".join(diff), pytrace=False)


def _line(violation: Violation) -> str:
    event, code, path = violation
    return f"{event!s}  {code}  {path or '/'}"


def describe(events: Iterable[dict[str, Any]]) -> str:
    """Events and their violations, one indented line per violation."""
    lines = []
    for item in events:
        lines.append(f"  #{item['id']} {item['event']!s} (distinct_id={item['distinct_id']!s})")
        lines.extend(
            f"      {v['code']} {v['path'] or '/'}: {v['message']}" for v in item["violations"]
        )
    return "\n".join(lines)


@pytest.fixture(scope="session")
def trackplan_server_plan(pytestconfig: pytest.Config) -> Path:
    """The plan the session's server validates with (override to choose it in code)."""
    for name in ("trackplan_serve_plan", "trackplan_plan"):
        try:
            value = str(pytestconfig.getini(name)).strip()
        except ValueError:  # the other plugin is not loaded
            continue
        if value:
            return Path(pytestconfig.rootpath, value)
    return Path(pytestconfig.rootpath, "plans")


@pytest.fixture(scope="session")
def trackplan_server(
    trackplan_server_plan: Path, tmp_path_factory: pytest.TempPathFactory
) -> Generator[TrackplanServer, None, None]:
    """A real ``trackplan serve`` on a free 127.0.0.1 port for the test session."""
    try:
        from trackplan.server.run import ServeOptions, Service
    except ImportError as exc:
        pytest.fail(
            f"trackplan_server needs the `serve` extra ({exc.name} is missing):"
            " pip install 'trackplan[serve]'",
            pytrace=False,
        )
    from trackplan.registry.errors import PlanError

    db = tmp_path_factory.mktemp("trackplan-serve") / "events.sqlite3"
    try:
        service = Service(ServeOptions(plan=trackplan_server_plan, db=db, port=0))
    except PlanError as exc:
        lines = [f"trackplan_server: the plan {trackplan_server_plan} cannot be used:"]
        for diag in exc.diagnostics:
            if diag.is_error:
                where = f"{diag.path}:{diag.line}:{diag.column}" if diag.line else diag.path
                lines.append(f"  {where}: {diag.code} {diag.message}")
        pytest.fail("\n".join(lines), pytrace=False)
    service.start()
    try:
        yield TrackplanServer(service.url, db)
    finally:
        service.stop()
