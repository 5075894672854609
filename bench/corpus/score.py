"""Score trackplan's analyzer and ``init`` against the hand-labelled corpus.

Usage::

    python bench/corpus/fetch.py [--mirror DIR]          # once: the apps into the cache
    python bench/corpus/score.py [--cache DIR] [--no-init] [--json OUT] [--misses] [APP ...]

For every app of ``bench/corpus/apps/*.toml`` (already fetched into the cache: run
``fetch.py`` first, or pass ``--fetch``) this runs, in the interpreter that runs the
script (so ``/path/to/venv/bin/python bench/corpus/score.py`` scores that venv's
trackplan):

* ``run_lint`` on the app's ``paths`` with **zero configuration** (``Config(root=app)``),
  then with the **careful user's** configuration of the manifest (``[careful]``: the
  wrapper declarations a careful user would write, for what the analyzer of the day can
  express, and ``src``, the source roots, passed when the trackplan under test has that
  setting);
* ``trackplan init`` (the installed CLI, in a temporary copy of the app), and the share of
  the literal event names of the labels that the drafted ``plans/events.yaml`` holds.

Matching: a label matches a detected call in the same file whose line is the label's line
or whose span (``line``..``end_line``) covers it. Labels are ``direct`` (an SDK call),
``wrapper`` (a call of one of the app's own tracking functions that ends in an SDK call),
``own`` (a call of the app's own client that sends over HTTP with no SDK beneath, e.g. a
``PosthogClient`` class: a careful user declares it, inference cannot see it),
``forwarding`` (the SDK or wrapper call *inside* a wrapper, which the analyzer should not
report once it knows the wrapper) and ``optional`` ones (a site that is fine to report and
fine to miss).

* recall (per kind ``direct`` / ``wrapper`` / ``own``): labelled sites matched / labelled sites;
* precision (per kind): detected calls matching a label of that kind / detected calls of
  that kind, where an unmatched detection counts as ``direct`` when its target is an SDK
  name (``posthog.``, ``posthoganalytics.``, ``segment.``, ``analytics.``,
  ``rudderstack.``, ``mixpanel.``) and ``wrapper`` otherwise. Detections of
  ``forwarding`` labels are left out of precision and counted on their own (``fwd``).
* event agreement: of the matched sites with one literal event label, those where the
  detected call's event is that literal.

The init share leaves out ``$`` names (``$identify``...): a drafted plan does not
declare the SDK's own events. It is read from the drafted plan whenever ``init`` wrote
one, even when ``init`` failed after writing it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fetch import DEFAULT_CACHE, fetch_app, load_apps  # noqa: E402

SDK_PREFIXES = (
    "posthog.",
    "posthoganalytics.",
    "segment.",
    "analytics.",
    "rudderstack.",
    "mixpanel.",
)
COUNTED = ("direct", "wrapper", "own")


@dataclass
class Tally:
    """Counts for one kind of site (direct or wrapper) in one run."""

    labelled: int = 0
    found: int = 0
    detected: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.found / self.labelled if self.labelled else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.detected if self.detected else None

    def add(self, other: Tally) -> None:
        self.labelled += other.labelled
        self.found += other.found
        self.detected += other.detected
        self.correct += other.correct


@dataclass
class RunScore:
    """One lint run of one app."""

    tallies: dict[str, Tally]
    forwarding_reported: int = 0
    forwarded: list[str] = field(default_factory=list)
    event_checked: int = 0
    event_agreed: int = 0
    calls: int = 0
    seconds: float = 0.0
    error: str | None = None


def _is_sdk(target: str) -> bool:
    return target.startswith(SDK_PREFIXES)


def _labels(app: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [dict(s) for s in app.get("sites", [])]


def _covers(call: Any, rel: str, line: int) -> bool:
    return call.path == rel and (call.line == line or call.line <= line <= call.end_line)


def score_calls(app: Mapping[str, Any], calls: Sequence[Any], root: Path) -> RunScore:
    """Compare detected calls with the labels."""
    labels = _labels(app)
    detected = []
    for call in calls:
        rel = os.path.relpath(call.path, root) if os.path.isabs(call.path) else call.path
        detected.append((rel.replace(os.sep, "/"), call))
    tallies = {kind: Tally() for kind in COUNTED}
    used: set[int] = set()
    score = RunScore(tallies, calls=len(calls))
    # labels in order of specificity: an exact line first, then a covering span
    for label in labels:
        via = "optional" if label.get("optional") else label["via"]
        exact = [
            i
            for i, (rel, c) in enumerate(detected)
            if rel == label["path"] and c.line == label["line"]
        ]
        spans = [
            i
            for i, (rel, c) in enumerate(detected)
            if rel == label["path"] and c.line <= label["line"] <= c.end_line
        ]
        hits = [i for i in exact if i not in used] or [i for i in spans if i not in used]
        where = f"{label['path']}:{label['line']}"
        if via in COUNTED:
            tallies[via].labelled += 1
            if not hits:
                tallies[via].missed.append(
                    where + (f" {label['events']}" if label.get("events") else "")
                )
        if not hits:
            continue
        used.update(hits)
        if via == "forwarding":
            score.forwarding_reported += len(hits)
            score.forwarded.append(where)
            continue
        if via in COUNTED:
            tallies[via].found += 1
            tallies[via].detected += len(hits)
            tallies[via].correct += len(hits)
        # optional: matched detections count as neither right nor wrong
        events = label.get("events") or []
        if via in COUNTED and len(events) == 1:
            score.event_checked += 1
            if any(detected[i][1].event == events[0] for i in hits):
                score.event_agreed += 1
    for i, (rel, call) in enumerate(detected):
        if i in used:
            continue
        kind = "direct" if _is_sdk(call.target) else "wrapper"
        tallies[kind].detected += 1
        tallies[kind].spurious.append(f"{rel}:{call.line} {call.target} {call.event!r}")
    return score


def lint_app(
    app: Mapping[str, Any], root: Path, wrappers: Mapping[str, Any], src: Sequence[str] = ()
) -> RunScore:
    from dataclasses import fields

    from trackplan.linter.config import Config
    from trackplan.linter.runner import run_lint

    paths = [root / p for p in app.get("paths", ["."])]
    config = Config(root=root, wrappers=dict(wrappers))
    if src and "src" in {f.name for f in fields(Config)}:
        config = replace(config, src=tuple(src))  # type: ignore[call-arg]
    started = time.perf_counter()
    try:
        result = run_lint(paths, config, use_cache=False)
    except Exception as exc:  # a crash is a result to report, not to hide
        return RunScore({k: Tally() for k in COUNTED}, error=f"{type(exc).__name__}: {exc}")
    score = score_calls(app, result.calls, root)
    score.seconds = time.perf_counter() - started
    return score


def _cli() -> str:
    return str(Path(sys.executable).with_name("trackplan"))


def literal_events(app: Mapping[str, Any]) -> set[str]:
    """The literal event names the labelled sites send (``$`` names left out)."""
    names: set[str] = set()
    for label in _labels(app):
        if label["via"] == "forwarding":
            continue
        names.update(e for e in label.get("events", []) if not e.startswith("$"))
    return names


def _plan_events(plan_file: Path) -> set[str]:
    import yaml

    data = yaml.safe_load(plan_file.read_text(encoding="utf-8")) or {}
    events = data.get("events") if isinstance(data, dict) else None
    if isinstance(events, dict):
        return {str(k) for k in events}
    if isinstance(events, list):
        return {str(e.get("name")) for e in events if isinstance(e, dict)}
    return set()


@dataclass
class InitScore:
    exit_code: int
    message: str
    wanted: int
    held: int
    missing: list[str]
    seconds: float

    @property
    def share(self) -> float | None:
        return self.held / self.wanted if self.wanted else None


def init_app(app: Mapping[str, Any], root: Path) -> InitScore:
    """``trackplan init`` in a temporary copy of the app."""
    wanted = literal_events(app)
    with tempfile.TemporaryDirectory(prefix=f"corpus-init-{app['name']}-") as tmp:
        copy = Path(tmp) / app["name"]
        shutil.copytree(root, copy, symlinks=True)
        started = time.perf_counter()
        done = subprocess.run(
            [_cli(), "init", str(copy)], capture_output=True, text=True, cwd=copy, timeout=900
        )
        seconds = time.perf_counter() - started
        plan_file = copy / "plans" / "events.yaml"
        # the share is read from the plan whenever one was written, even if init failed
        # afterwards (it writes the plan before editing pyproject.toml)
        held = _plan_events(plan_file) if plan_file.is_file() else set()
    message = (done.stderr.strip().splitlines() or [""])[-1] if done.returncode else ""
    missing = sorted(wanted - held)
    return InitScore(done.returncode, message, len(wanted), len(wanted & held), missing, seconds)


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:5.2f}"


def _row(name: str, zero: RunScore, careful: RunScore, init: InitScore | None) -> str:
    cells = [f"{name:<18}"]
    for run in (zero, careful):
        if run.error:
            cells.append(f"ERROR {run.error[:60]}")
            continue
        d, w, o = run.tallies["direct"], run.tallies["wrapper"], run.tallies["own"]
        cells.append(
            f"D {d.found:>3}/{d.labelled:<3} R {_fmt(d.recall)} P {_fmt(d.precision)} | "
            f"W {w.found:>3}/{w.labelled:<3} R {_fmt(w.recall)} P {_fmt(w.precision)} | "
            f"O {o.found:>2}/{o.labelled:<2} | fwd {run.forwarding_reported}"
        )
    if init is not None:
        state = "ok" if init.exit_code == 0 else f"FAIL({init.exit_code})"
        cells.append(f"init {state} {init.held}/{init.wanted} {_fmt(init.share)}")
    return "  ".join(cells)


def _totals(runs: Iterable[RunScore]) -> RunScore:
    total = RunScore({k: Tally() for k in COUNTED})
    for run in runs:
        for kind in COUNTED:
            total.tallies[kind].add(run.tallies[kind])
        total.forwarding_reported += run.forwarding_reported
        total.event_checked += run.event_checked
        total.event_agreed += run.event_agreed
    return total


def _as_json(run: RunScore) -> dict[str, Any]:
    return {
        "error": run.error,
        "calls": run.calls,
        "seconds": round(run.seconds, 3),
        "forwarding_reported": run.forwarding_reported,
        "forwarded": run.forwarded,
        "event_checked": run.event_checked,
        "event_agreed": run.event_agreed,
        **{
            kind: {
                "labelled": t.labelled,
                "found": t.found,
                "detected": t.detected,
                "correct": t.correct,
                "recall": t.recall,
                "precision": t.precision,
                "missed": t.missed,
                "spurious": t.spurious,
            }
            for kind, t in run.tallies.items()
        },
    }


_MD_HEAD = [
    "| app | zero: direct R / P | zero: wrapper R / P | zero: own | zero: fwd "
    "| careful: direct R / P | careful: wrapper R / P | careful: own | init | init share |",
    "|---|---|---|---|---|---|---|---|---|---|",
]


def _md_ratio(found: int, total: int, value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} ({found}/{total})"


def _md_row(name: str, row: Mapping[str, Any]) -> str:
    cells = [name]
    for run in ("zero", "careful"):
        data = row[run]
        if data["error"]:
            cells += [f"error: {data['error'][:40]}", "", ""] + ([""] if run == "zero" else [])
            continue
        for kind in ("direct", "wrapper"):
            t = data[kind]
            precision = "-" if t["precision"] is None else f"{t['precision']:.2f}"
            cells.append(f"{_md_ratio(t['found'], t['labelled'], t['recall'])} / {precision}")
        own = data["own"]
        cells.append(f"{own['found']}/{own['labelled']}" if own["labelled"] else "-")
        if run == "zero":
            cells.append(str(data["forwarding_reported"]))
    init = row.get("init")
    if init is None:
        cells += ["", ""]
    else:
        cells.append("ok" if init["exit_code"] == 0 else f"FAIL ({init['message'][:50]})")
        share = init["share"]
        cells.append("-" if share is None else f"{share:.2f} ({init['held']}/{init['wanted']})")
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("apps", nargs="*")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--fetch", action="store_true", help="fetch missing apps first")
    parser.add_argument("--mirror", type=Path, help="with --fetch: local bare mirrors")
    parser.add_argument("--no-init", action="store_true", help="skip `trackplan init`")
    parser.add_argument("--misses", action="store_true", help="list missed and spurious sites")
    parser.add_argument("--json", type=Path, help="write every figure as JSON here")
    parser.add_argument("--markdown", type=Path, help="write the per-app table as Markdown here")
    args = parser.parse_args(argv)

    import trackplan.linter

    rows: dict[str, Any] = {}
    zeros: list[RunScore] = []
    carefuls: list[RunScore] = []
    inits: list[InitScore] = []
    print(f"trackplan from {Path(trackplan.linter.__file__).parent.parent}")
    print(f"{'app':<18}  zero config{' ' * 70}careful config{' ' * 68}init")
    for app in load_apps(args.apps):
        root = args.cache / app["name"]
        if args.fetch:
            root = fetch_app(app, args.cache, args.mirror)
        if not root.is_dir():
            print(f"{app['name']:<16}  not fetched: run bench/corpus/fetch.py", file=sys.stderr)
            continue
        zero = lint_app(app, root, {})
        careful_table = app.get("careful", {})
        careful = lint_app(
            app, root, careful_table.get("wrappers", {}), careful_table.get("src", ())
        )
        init = None if args.no_init else init_app(app, root)
        zeros.append(zero)
        carefuls.append(careful)
        if init is not None:
            inits.append(init)
        print(_row(app["name"], zero, careful, init), flush=True)
        if args.misses:
            for label, run in (("zero", zero), ("careful", careful)):
                for kind in COUNTED:
                    for where in run.tallies[kind].missed:
                        print(f"    {label} missed {kind}: {where}")
                    for where in run.tallies[kind].spurious:
                        print(f"    {label} spurious {kind}: {where}")
                for where in run.forwarded:
                    print(f"    {label} reported a forwarding call: {where}")
            if init is not None and init.missing:
                print(f"    init missing: {', '.join(init.missing)}")
            if init is not None and init.message:
                print(f"    init error: {init.message}")
        rows[app["name"]] = {
            "commit": app["commit"],
            "zero": _as_json(zero),
            "careful": _as_json(careful),
            "init": None
            if init is None
            else {
                "exit_code": init.exit_code,
                "message": init.message,
                "wanted": init.wanted,
                "held": init.held,
                "share": init.share,
                "missing": init.missing,
                "seconds": round(init.seconds, 2),
            },
        }
    zt, ct = _totals(zeros), _totals(carefuls)
    init_total = (
        InitScore(
            sum(1 for i in inits if i.exit_code),
            "",
            sum(i.wanted for i in inits),
            sum(i.held for i in inits),
            [],
            sum(i.seconds for i in inits),
        )
        if inits
        else None
    )
    print(_row("TOTAL", zt, ct, init_total))
    if init_total is not None:
        print(f"init failures: {init_total.exit_code} of {len(inits)} apps")
    print(
        f"event agreement: zero {zt.event_agreed}/{zt.event_checked}, "
        f"careful {ct.event_agreed}/{ct.event_checked}"
    )
    if args.markdown:
        table = [_md_row(name, row) for name, row in rows.items()]
        table.append(
            _md_row("TOTAL", {"zero": _as_json(zt), "careful": _as_json(ct), "init": None})
        )
        args.markdown.write_text("\n".join([*_MD_HEAD, *table]) + "\n", encoding="utf-8")
    if args.json:
        rows["TOTAL"] = {"zero": _as_json(zt), "careful": _as_json(ct)}
        args.json.write_text(json.dumps(rows, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
