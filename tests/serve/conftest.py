"""The serve tests' plan and an emptied server per test; pytester for the fixture test.

``pytest_plugins`` is refused in a conftest below the rootdir when the whole suite runs,
so pytester is imported when this conftest is configured (as in tests/pytest_plugin).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import PLAN
from trackplan.server.pytest_plugin import TrackplanServer


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")


@pytest.fixture(scope="session")
def trackplan_server_plan() -> Path:
    return PLAN


@pytest.fixture
def server(trackplan_server: TrackplanServer) -> Iterator[TrackplanServer]:
    """The session's server, emptied before each test."""
    trackplan_server.reset()
    yield trackplan_server
