"""The exit-code table (``trackplan.linter.cli.exit_codes``) is the one the docs show, has
a row for every command, and is true: each documented code is produced by a real run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from suite_support import run_cli
from trackplan.linter.cli.exit_codes import EXIT_CODES, NEVER, ExitCodes, render_exit_code_table

REPO = Path(__file__).resolve().parents[2]
TABLE = re.compile(r"<!-- exit-codes:start -->\n(.*?)<!-- exit-codes:end -->", re.S)
REGENERATE = "regenerate with `python scripts/update_cli_docs.py`"

#: command -> exit code -> a run that exits with it (None: the table says "never").
RUNS: dict[str, dict[int, tuple[str, ...] | None]] = {
    "check": {0: ("check", "saas"), 1: ("check", "bad.yaml"), 2: ("check", "nope")},
    "lint": {0: ("lint", "clean"), 1: ("lint",), 2: ("lint", "--baseline", "bad.yaml")},
    "validate": {
        0: ("validate", "--plan", "saas", "valid.jsonl"),
        1: ("validate", "--plan", "saas", "samples.jsonl"),
        2: ("validate", "--plan", "broken.yaml", "valid.jsonl"),
    },
    "export": {0: ("export", "saas", "--out", "out"), 1: None, 2: ("export", "broken.yaml")},
    "init": {0: ("init", "fresh"), 1: None, 2: ("init", "fresh")},  # the second run refuses
    "coverage": {
        0: ("coverage", "--allow-uncaptured", "app/telemetry.py"),
        1: ("coverage",),
        2: ("coverage", "--plan", "nope"),
    },
    "diff": {
        0: ("diff", "saas", "saas"),
        1: ("diff", "saas", "valid-subset.yaml"),
        2: ("diff", "saas", "broken.yaml"),
    },
    # serve's 0 is a SIGTERM'd server, and events' 0 and 1 need a store that serve wrote:
    # tests/serve/test_serve_cli.py runs those for real.
    "serve": {0: (), 1: None, 2: ("serve", "--plan", "broken.yaml", "--port", "0")},
    "events": {0: (), 1: (), 2: ("events", "--db", "nope.sqlite3")},
    "rules": {0: ("rules",), 1: None, 2: ("rules", "TP999")},
    "schema": {0: ("schema",), 1: None, 2: ("schema", "extra")},
}


@pytest.mark.parametrize("document", ["README.md", "docs/cli.md"])
def test_documents_show_the_table(document: str) -> None:
    match = TABLE.search((REPO / document).read_text(encoding="utf-8"))
    assert match, f"{document} lacks the exit-codes markers"
    assert match.group(1) == render_exit_code_table(), f"{document} is stale: {REGENERATE}"


def test_update_script_check_mode_agrees() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "update_cli_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_every_command_has_one_row() -> None:
    listing = run_cli("--help").stdout.split("Commands:", 1)[1]
    shown = re.findall(r"^  ([a-z][a-z-]*)  ", listing, re.M)
    assert "check" in shown
    assert [row.command for row in EXIT_CODES] == list(dict.fromkeys(r.command for r in EXIT_CODES))
    assert sorted(row.command for row in EXIT_CODES) == sorted(shown), "add a row to EXIT_CODES"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "adoption" / "projects" / "funnels", root)
    shutil.copytree(REPO / "plans" / "saas", root / "saas")
    samples = REPO / "plans" / "saas-samples.jsonl"
    shutil.copy(samples, root / "samples.jsonl")
    (root / "valid.jsonl").write_text(samples.read_text().splitlines()[0] + "\n")
    (root / "bad.yaml").write_text("version: 1\nevents:\n  Order Created:\n    description: x\n")
    (root / "broken.yaml").write_text("version: 1\nevents: [\n")
    # one event of the example plan, closed: removing events is not backward compatible
    (root / "valid-subset.yaml").write_text(
        "version: 1\nevents:\n  user_signed_up:\n    description: x\n"
    )
    (root / "clean").mkdir()
    (root / "clean" / "ok.py").write_text("import posthog\n\nx = 1\n")
    shutil.copytree(root / "app", root / "fresh" / "app")
    return root


@pytest.mark.parametrize("row", EXIT_CODES, ids=[row.command for row in EXIT_CODES])
def test_each_documented_code_is_what_a_real_run_exits_with(row: ExitCodes, workdir: Path) -> None:
    command = row.command
    assert command in RUNS, f"add runs for `{command}` to RUNS"
    meanings = {0: row.clean, 1: row.findings, 2: row.refused}
    for code, args in RUNS[command].items():
        assert (args is None) == (meanings[code] == NEVER), (command, code)
        if args is None or args == ():  # never used, or run by its own test module
            continue
        done = run_cli(*args, cwd=workdir)
        assert done.returncode == code, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        if code == 2:
            assert done.stderr.strip(), args  # a refusal always says why
