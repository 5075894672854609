"""The suite tests the environment it runs in: no program is taken from PATH.

Every ``trackplan`` run goes through ``tests/suite_support.py`` (the console script next
to ``sys.executable``), so ``/path/to/venv/bin/python -m pytest`` without activating the
venv tests that venv, and child environments see the running one (no
``--system-site-packages``, which would show the base interpreter's packages instead).
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
#: `["trackplan", ...]` or `["pre-commit", ...]` as a command line
_BARE = re.compile(r"""\[\s*["'](trackplan|pre-commit|ruff|mypy|pytest)["']\s*,""")


def _sources() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "cases" not in p.parts and p != Path(__file__))


def test_no_test_runs_a_program_from_path() -> None:
    offenders = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "sys.argv =" in line:  # an in-process probe naming its program
                continue
            if _BARE.search(line) or "shutil.which(" in line:
                offenders.append(f"{path.relative_to(TESTS)}:{number}: {line.strip()}")
    assert offenders == []


def test_no_child_environment_sees_the_base_interpreter() -> None:
    offenders = [
        str(path.relative_to(TESTS))
        for path in _sources()
        if "--system-site-packages" in path.read_text(encoding="utf-8")
        or "VIRTUALENV_SYSTEM_SITE_PACKAGES" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
