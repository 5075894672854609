"""``--jobs`` means the same in every command that has it: worker processes, capped at the
CPU count with one warning on stderr, ``0`` = automatic, negative = usage error."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from suite_support import run_cli

REPO = Path(__file__).resolve().parents[2]
CPUS = len(os.sched_getaffinity(0))
#: every command with --jobs, and a run of it in the project below
RUNS = {
    "lint": ("lint", "--no-cache", "-q"),
    "validate": ("validate", "--plan", "saas", "samples.jsonl"),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "adoption" / "projects" / "funnels", root)
    shutil.copytree(REPO / "plans" / "saas", root / "saas")
    shutil.copy(REPO / "plans" / "saas-samples.jsonl", root / "samples.jsonl")
    return root


def test_runs_lists_every_command_with_jobs() -> None:
    listing = run_cli("--help").stdout.split("Commands:", 1)[1]
    with_jobs = [
        name
        for name in re.findall(r"^  ([a-z][a-z-]*)  ", listing, re.M)
        if "--jobs" in run_cli(name, "--help").stdout
    ]
    assert sorted(with_jobs) == sorted(RUNS)


@pytest.mark.parametrize("name", sorted(RUNS))
def test_same_option_everywhere(name: str) -> None:
    help_text = " ".join(run_cli(name, "--help").stdout.split())
    assert "-j, --jobs N Worker processes, at most the CPU count (0: automatic, " in help_text
    assert "[default: 0; x>=0]" in help_text


@pytest.mark.parametrize("name", sorted(RUNS))
def test_more_jobs_than_cpus_are_capped_with_one_warning(
    name: str, project: Path, cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    auto = cli(*RUNS[name], "--jobs", "0", cwd=project)
    many = cli(*RUNS[name], "--jobs", "1000", cwd=project)
    warning = f"trackplan: --jobs 1000 is more than the {CPUS} CPU(s) available; using {CPUS}\n"
    assert many.stderr == warning
    assert (many.returncode, many.stdout) == (auto.returncode, auto.stdout)
    assert auto.returncode == 1


@pytest.mark.parametrize("name", sorted(RUNS))
def test_negative_jobs_are_a_usage_error(
    name: str, project: Path, cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    done = cli(*RUNS[name], "--jobs", "-1", cwd=project)
    assert done.returncode == 2
    assert "Invalid value for '--jobs' / '-j': -1 is not in the range x>=0." in done.stderr
