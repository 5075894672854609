"""Fixtures for the runtime hook tests: the test plan, its registry, a capture server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from runtime_capture_server import CaptureServer
from trackplan.registry.validation import Registry

PLAN = Path(__file__).parent / "plans" / "shop.yaml"


@pytest.fixture(scope="session")
def shop_registry() -> Registry:
    return Registry.load(PLAN)


@pytest.fixture
def capture_server() -> Iterator[CaptureServer]:
    with CaptureServer() as server:
        yield server
