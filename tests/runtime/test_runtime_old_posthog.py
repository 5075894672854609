"""The hook and the client patch with older posthog-python releases (4.5 - 6.x).

Each release is installed with pip, with its dependencies, into a private directory
(skipped when the index is unreachable) put on the front of ``sys.path`` of a
subprocess, which then sends through
a real client of that release to a local capture server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent

PLAN = Path(__file__).parent / "plans" / "shop.yaml"


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("posthog-wheels")


@pytest.mark.parametrize("version", ["4.5.0", "5.4.0", "6.7.6"])
def test_hook_and_patch_work_with_older_posthog(version: str, wheels: Path) -> None:
    # Installed with its own dependencies (python-dateutil, backoff, ...) into a private
    # target: a clean machine has none of the old releases' dependencies.
    site = wheels / version
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            f"posthog=={version}",
            "-q",
            "--disable-pip-version-check",
            "--target",
            str(site),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if install.returncode != 0 or not (site / "posthog").is_dir():
        pytest.skip(f"cannot install posthog {version}: {install.stderr.strip()[-200:]}")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(HERE)])}
    run = subprocess.run(
        [sys.executable, str(HERE / "runtime_old_sdk_probe.py"), str(PLAN)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["version"] == version
    assert report["sdk"].startswith(str(site))
    assert report["wire"] == [
        ["order_created", ["TP202"]],
        ["order_created", []],
        ["$set", ["TP304"]],
        ["user_signed_up", []],  # the invalid module-level capture was dropped
    ]
    assert report["hook"]["violations"] == {"order_created": {"TP202": 1}, "$set": {"TP304": 1}}
    assert (report["patched"]["events"], report["patched"]["dropped"]) == (2, 1)
