"""Fixtures of the ``trackplan lint`` command tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lint_cli_support import PROJECT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the fixture project (its cache and edits stay in tmp_path)."""
    target = tmp_path / "project"
    shutil.copytree(PROJECT, target, ignore=shutil.ignore_patterns(".trackplan_cache"))
    return target
