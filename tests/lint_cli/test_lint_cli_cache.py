"""The result cache: warm runs give the cold output, and every input that matters
(the file, the modules it imports from, the plan, the config) invalidates it."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from lint_cli_support import TRACKPLAN, run_trackplan
from trackplan.linter.config import load_config
from trackplan.linter.runner import run_lint


def _lint_json(project: Path, *flags: str) -> str:
    done = run_trackplan("lint", "--format", "json", *flags, cwd=project)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def _api(project: Path, **overrides: object):  # type: ignore[no-untyped-def]
    config = load_config(project)
    return run_lint([config.root], config, jobs=1, **overrides)  # type: ignore[arg-type]


def test_warm_run_equals_cold_run_and_parses_nothing(project: Path) -> None:
    cold = _lint_json(project, "--no-cache")
    assert not (project / ".trackplan_cache").exists()
    filled = _lint_json(project)
    warm = _lint_json(project)
    assert cold == filled == warm
    assert (project / ".trackplan_cache" / "CACHEDIR.TAG").is_file()
    assert (project / ".trackplan_cache" / ".gitignore").read_text().endswith("*\n")
    result = _api(project)
    assert result.files_parsed == 0
    assert result.files_matched >= 4
    assert [d.code for d in result.diagnostics].count("TP201") == 3


def test_editing_an_imported_constant_reanalyses_its_importers(project: Path) -> None:
    _lint_json(project)
    events = project / "app" / "events.py"
    events.write_text(events.read_text().replace('"order_created"', '"order_placed"'))
    result = _api(project)
    billing = str(project / "app" / "billing.py")
    unplanned = [d.event for d in result.diagnostics if d.code == "TP201" and d.path == billing]
    assert unplanned == ["order_placed", "order_refunded"]
    assert result.files_parsed == 1  # billing.py only: nothing else imports events.py


def test_editing_the_plan_reanalyses(project: Path) -> None:
    before = _lint_json(project)
    assert "order_refunded" in before
    plan = project / "plans" / "events.yaml"
    plan.write_text(plan.read_text() + "  order_refunded:\n    description: A refund.\n")
    after = _lint_json(project)
    assert '"event `order_refunded` is not in the plan"' not in after
    assert after == _lint_json(project, "--no-cache")


def test_selection_changes_need_no_reanalysis(project: Path) -> None:
    _api(project)
    config = load_config(project)
    narrowed = config.with_overrides(select=["TP303"])
    result = run_lint([config.root], narrowed, jobs=1)
    assert result.files_parsed == 0
    assert [d.code for d in result.diagnostics] == ["TP303"]


def test_an_edit_within_the_same_timestamp_tick_is_not_missed(project: Path) -> None:
    billing = project / "app" / "billing.py"
    stamp = time.time_ns() - 500_000_000  # written half a second before the run
    os.utime(billing, ns=(stamp, stamp))
    _api(project)
    text = billing.read_text()
    edited = text.replace('"order_refunded"', '"order_reversed"')
    assert len(edited) == len(text)
    billing.write_text(edited)
    os.utime(billing, ns=(stamp, stamp))  # same size, same mtime: stat cannot tell
    result = _api(project)
    assert "order_reversed" in {d.event for d in result.diagnostics}


def test_concurrent_runs_share_the_cache_safely(project: Path) -> None:
    expected = _lint_json(project, "--no-cache")
    command = [*TRACKPLAN, "lint", "--format", "json"]
    runs = [
        subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120)[0].decode() for run in runs]
    assert outputs == [expected] * 3
    assert _lint_json(project) == expected
    assert not list((project / ".trackplan_cache").rglob(".tmp-*"))


def test_a_damaged_cache_is_ignored(project: Path) -> None:
    expected = _lint_json(project)
    damaged = 0
    for path in (project / ".trackplan_cache").rglob("*.json"):
        path.write_bytes(b"\x00not json")
        damaged += 1
    assert damaged >= 3
    assert _lint_json(project) == expected
    assert _lint_json(project) == expected


def test_jobs_do_not_change_the_output(project: Path) -> None:
    one = _lint_json(project, "--no-cache", "--jobs", "1")
    two = _lint_json(project, "--no-cache", "--jobs", "2")
    assert one == two


def test_deleted_files_leave_the_stat_index(project: Path) -> None:
    import orjson

    _lint_json(project)
    (project / "app" / "quiet.py").unlink()
    _lint_json(project)
    index = orjson.loads((project / ".trackplan_cache" / "v1" / "index.json").read_bytes())
    assert "app/quiet.py" not in index["files"]
    assert "app/billing.py" in index["files"]


_PROBE = """
import sys
from trackplan.linter.cli import main
sys.argv = ["trackplan", "lint", "-q", "--format", "json"]
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in ("libcst", "jsonschema", "yaml") if m in sys.modules)
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
"""


def test_a_warm_run_imports_neither_libcst_nor_the_plan_loader(project: Path) -> None:
    import sys

    _lint_json(project)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=project, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "HEAVY="
    cold = subprocess.run(
        [sys.executable, "-c", _PROBE.replace('"-q",', '"-q", "--no-cache",')],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    # The probe does see heavy imports: a cold run loads the plan (yaml) in the parent,
    # while libcst stays in the worker processes that parse.
    heavy = cold.stderr.strip().splitlines()[-1].removeprefix("HEAVY=").split(",")
    assert "yaml" in heavy and "libcst" not in heavy


def test_the_cache_stays_bounded(project: Path) -> None:
    plan = project / "plans" / "events.yaml"
    original = plan.read_text()
    billing = project / "app" / "billing.py"
    for n in range(10):  # ten plans and ten contents of billing.py
        plan.write_text(original + f"  extra_{n}_added:\n    description: x\n")
        billing.write_text(billing.read_text() + f"\n# edit {n}\n")
        _api(project)
    results = project / ".trackplan_cache" / "v1" / "results"
    sets = [p for p in results.iterdir() if p.is_dir()]
    assert len(sets) == 8
    per_set = [len(list(s.rglob("*.json"))) for s in sets]
    assert max(per_set) <= 5  # one entry per analysed file, not one per content
