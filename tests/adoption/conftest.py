"""Helpers for the adoption tests: fixture projects copied to temp dirs, the real CLI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from adoption_helpers import PROJECTS, REPO, git
from suite_support import running_environment_pythonpath


@pytest.fixture
def project(tmp_path: Path) -> Callable[[str], Path]:
    """Copy ``tests/adoption/projects/<name>`` into a temp dir and return its path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(
            PROJECTS / name,
            target,
            ignore=shutil.ignore_patterns("__pycache__", ".trackplan_cache"),
        )
        return target

    return copy


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This working tree (tracked and untracked, not ignored, tests left out) as a commit."""
    snapshot = tmp_path_factory.mktemp("trackplan-hooks-repo")
    listing = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout
    for name in filter(None, listing.split("\0")):
        source = REPO / name
        if name.startswith("tests/") or not source.is_file():
            continue
        target = snapshot / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    git(snapshot, "init", "-q", "-b", "main")
    git(snapshot, "add", "-A")
    git(
        snapshot, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "snapshot"
    )
    return snapshot, git(snapshot, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env.pop("GITHUB_ACTIONS", None)
    # pre-commit's hook virtualenvs get trackplan's dependencies from the running
    # environment (appended after their own packages by a sitecustomize on PYTHONPATH)
    extra = running_environment_pythonpath(tmp_path_factory.mktemp("running-env"))
    env.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        PYTHONPATH=os.pathsep.join(filter(None, [extra, env.get("PYTHONPATH")])),
        PIP_NO_INDEX="1",  # offline: nothing is downloaded
        PIP_NO_BUILD_ISOLATION="0",  # build with the venv's own setuptools
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    return env
