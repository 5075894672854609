"""Suite-wide fixtures. ``cli`` runs the installed ``trackplan`` of the running environment
as a real subprocess (see ``tests/suite_support.py``; helper modules that are not tests
call :func:`suite_support.run_cli` directly)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from suite_support import run_cli


@pytest.fixture
def cli() -> Callable[..., Any]:
    """``cli(*args, cwd=, env=, input=, text=)``: a finished ``trackplan`` subprocess."""
    return run_cli
