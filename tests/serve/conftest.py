from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import PLAN
from trackplan.server.pytest_plugin import TrackplanServer

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def trackplan_server_plan() -> Path:
    return PLAN


@pytest.fixture
def server(trackplan_server: TrackplanServer) -> Iterator[TrackplanServer]:
    """The session's server, emptied before each test."""
    trackplan_server.reset()
    yield trackplan_server
