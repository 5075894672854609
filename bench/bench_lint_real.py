"""Benchmark ``trackplan lint`` on a real source tree against ``grep -rl posthog``.

Usage::

    python bench/bench_lint_real.py [TREE] [--rounds 7]

``TREE`` is any checkout of a Python application, ideally a git work tree (lint then
lists files with ``git ls-files``, as it would in the user's repository). To get one
of 3,000+ files, clone a large public Python app outside this repository, e.g.
``git clone --depth 1 <saleor/saleor on GitHub> /tmp/saleor`` (4,338 ``.py`` files at
commit 723cd4eb; zulip/zulip or getsentry/sentry work too). Nothing of it is ever
copied into this repository. Without ``TREE`` a 4,000-file tree is generated (see
``bench_lint.py``), so the script always runs.

Measured in the same run, in interleaved rounds (the machine is shared and noisy: each
round times grep and every lint mode back to back, and the ratios are taken per round,
then the median over rounds is reported, next to the best-of ratios):

- ``grep -rl posthog .`` without ``.git`` and ``.trackplan_cache`` (the baseline: the
  source tree only, as lint reads it),
- cold: ``trackplan lint --no-cache`` (no cache read or written),
- warm: ``trackplan lint`` with a filled cache and unchanged files,
- peak RSS of the lint process tree on the whole tree and on one subdirectory holding
  about a tenth of the files plus one file that needs the analyzer, so both runs start a
  worker ("memory flat in tree size": the ratio should stay near 1).

Targets (issue 9): cold <= 10x grep, warm <= 3x grep. Nothing here is imported by
trackplan.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lint import _ENV, _lint, _peak_rss_kib, generate

GREP = ["grep", "-rl", "--exclude-dir=.git", "--exclude-dir=.trackplan_cache", "posthog", "."]
COLD_TARGET = 10.0
WARM_TARGET = 3.0


def _once(command: Sequence[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=_ENV)
    return time.perf_counter() - start, done.stdout


def _python_files(tree: Path) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "-co", "--exclude-standard", "--", "*.py"],
        cwd=tree,
        capture_output=True,
        check=False,
    )
    if listed.returncode == 0:
        return [p for p in os.fsdecode(listed.stdout).split("\0") if p]
    return [str(p.relative_to(tree)) for p in tree.rglob("*.py")]


def _subset(tree: Path, files: list[str]) -> tuple[str, int]:
    """A directory holding about a tenth of the files (for the memory comparison)."""
    counts: dict[str, int] = {}
    for rel in files:
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            key = "/".join(parts[:depth])
            counts[key] = counts.get(key, 0) + 1
    target = len(files) / 10
    best = min(counts.items(), key=lambda item: abs(item[1] - target), default=(".", len(files)))
    return best


def _matched(tree: Path) -> list[str]:
    """The files the last cached run found worth analysing (from its stat index)."""
    try:
        index = json.loads((tree / ".trackplan_cache" / "v1" / "index.json").read_bytes())
        return sorted(rel for rel, raw in index["files"].items() if raw[4])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return []


def _age(tree: Path) -> None:
    """A real checkout's files are not seconds old; wait out the cache's 'racily clean'
    window so warm runs measure the steady state."""
    newest = max((p.stat().st_mtime for p in tree.rglob("*.py")), default=0.0)
    wait = newest + 2.5 - time.time()
    if wait > 0:
        time.sleep(wait)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "tree", nargs="?", type=Path, help="a real source tree (default: generated)"
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--files", type=int, default=4000, help="size of a generated tree")
    args = parser.parse_args(argv)

    work: Path | None = None
    if args.tree is None:
        work = Path(tempfile.mkdtemp(prefix="trackplan-bench-real-"))
        tree = work / "tree"
        generate(tree, args.files, 520_000, 48)
        name = f"generated ({args.files} files)"
    else:
        tree = args.tree.resolve()
        name = str(tree)
    try:
        files = _python_files(tree)
        _age(tree)
        shutil.rmtree(tree / ".trackplan_cache", ignore_errors=True)
        fill, cold_out = _once(_lint(), tree)  # fills the cache
        _, check_out = _once(_lint(), tree)
        rounds: list[tuple[float, float, float]] = []
        for _ in range(args.rounds):
            grep, _ = _once(GREP, tree)
            cold, out = _once(_lint("--no-cache"), tree)
            warm, warm_out = _once(_lint(), tree)
            grep2, _ = _once(GREP, tree)
            rounds.append((min(grep, grep2), cold, warm))
        grep_best = min(r[0] for r in rounds)
        cold_best = min(r[1] for r in rounds)
        warm_best = min(r[2] for r in rounds)
        cold_ratio = statistics.median(r[1] / r[0] for r in rounds)
        warm_ratio = statistics.median(r[2] / r[0] for r in rounds)
        subdir, sub_files = _subset(tree, files)
        matched = _matched(tree)
        # the subset holds one file that needs the analyzer too, so both runs start a
        # worker: the comparison is of the same processes over a tenth of the tree
        extra = [m for m in matched[:1] if not m.startswith(subdir + "/")]
        rss_all = _peak_rss_kib(_lint("--no-cache"), tree)
        rss_sub = _peak_rss_kib(_lint("--no-cache", subdir, *extra), tree)
        report: dict[str, object] = {
            "tree": name,
            "python_files": len(files),
            "findings_same_cold_warm": out == warm_out == cold_out == check_out,
            "grep_best_s": round(grep_best, 4),
            "cold_best_s": round(cold_best, 4),
            "warm_best_s": round(warm_best, 4),
            "cold_fill_cache_s": round(fill, 4),
            "cold_ratio_median": round(cold_ratio, 2),
            "warm_ratio_median": round(warm_ratio, 2),
            "cold_ratio_best": round(cold_best / grep_best, 2),
            "warm_ratio_best": round(warm_best / grep_best, 2),
            "cold_target_met": cold_ratio <= COLD_TARGET,
            "warm_target_met": warm_ratio <= WARM_TARGET,
            "files_analysed": len(matched),
            "subset": f"{subdir} ({sub_files} files){' + ' + extra[0] if extra else ''}",
            "peak_rss_kib_subset": rss_sub,
            "peak_rss_kib_all": rss_all,
            "rss_growth": round(rss_all / rss_sub, 2),
        }
        for key, value in report.items():
            print(f"{key:>24}: {value}")
        return 0
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
