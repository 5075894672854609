"""Wrapper inference inside real lint runs: zero configuration, and a warm cache that
re-analyses only what the whole-project pass says changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

from trackplan.linter.analysis.forwarding import infer_facts, summarise_source
from trackplan.linter.config import Config
from trackplan.linter.runner import run_lint

TELEMETRY = """import posthog


def track(event, user_id=None, properties=None):
    posthog.capture(event, distinct_id=user_id or "anonymous", properties=properties)
"""

VIEWS = """from app.telemetry import track


def view(user):
    track("file_exported", user.id)
    track("file_exported")
"""


def _project(root: Path) -> None:
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "telemetry.py").write_text(TELEMETRY)
    (root / "app" / "views.py").write_text(VIEWS)
    (root / "app" / "other.py").write_text("def helper(x):\n    return x\n")
    old = time.time() - 60  # older than the racy window: the stat index may trust it
    for path in (root / "app").iterdir():
        os.utime(path, (old, old))


def _summary(result: object) -> list[str]:
    calls = getattr(result, "calls", ())
    diags = getattr(result, "diagnostics", ())
    return [f"{Path(c.path).name}:{c.line} {c.target} {c.event}" for c in calls] + [
        f"{Path(d.path or '').name}:{d.line} {d.code}" for d in diags
    ]


def test_lint_finds_wrapper_calls_with_no_configuration(tmp_path: Path) -> None:
    _project(tmp_path)
    result = run_lint([tmp_path], Config(root=tmp_path), use_cache=False, jobs=1)
    assert _summary(result) == [
        "views.py:5 app.telemetry.track file_exported",
        "views.py:6 app.telemetry.track file_exported",
        "views.py:6 TP302",
    ]


def test_warm_runs_reuse_results_and_a_wrapper_edit_reanalyses_its_callers(
    tmp_path: Path,
) -> None:
    _project(tmp_path)
    config = Config(root=tmp_path)
    cold = run_lint([tmp_path], config, jobs=1)
    assert cold.files_parsed == 2  # telemetry.py and views.py
    warm = run_lint([tmp_path], config, jobs=1)
    assert warm.files_parsed == 0
    assert _summary(warm) == _summary(cold)
    # only some paths linted (pre-commit): the wrapper defined elsewhere is still known
    some = run_lint([tmp_path / "app" / "views.py"], config, use_cache=False, jobs=1)
    assert _summary(some) == _summary(cold)
    # the wrapper stops forwarding its parameter: its callers are re-analysed
    (tmp_path / "app" / "telemetry.py").write_text(
        TELEMETRY.replace("posthog.capture(event,", 'posthog.capture("fixed_event",')
    )
    edited = run_lint([tmp_path], config, jobs=1)
    assert edited.files_parsed == 2
    assert [line for line in _summary(edited) if line.startswith("views")] == []


def test_the_project_pass_names_wrappers_of_wrappers_and_nothing_else() -> None:
    inner = summarise_source(
        b"import posthog\ndef send(e, u):\n    posthog.capture(e, distinct_id=u)\n"
    )
    outer = summarise_source(
        b"from a import send\ndef outer(name):\n    x = name\n    send(x, 1)\n"
    )
    unrelated = summarise_source(b"def log(msg):\n    print(msg)\n")
    facts = infer_facts([inner, outer, unrelated], {"capture", "track"})
    assert facts.wrapper_names == {"send", "outer"}
