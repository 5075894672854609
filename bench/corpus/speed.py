"""Time ``trackplan lint`` on real corpus trees against ``grep -rl posthog`` in the same run.

Usage::

    python bench/corpus/speed.py [--cache DIR] [--repeat N] [APP ...]   # default: onyx skyvern

For each app (fetched by ``fetch.py``) this copies the tree to a temporary directory (the
lint cache must not land in the corpus cache) and measures, from the tree's root as a user
would run it:

* ``grep -rl posthog .`` (best of ``--repeat``),
* ``trackplan lint -q --no-cache`` (cold, best of ``--repeat``),
* ``trackplan lint -q`` with an empty cache (first run, fills the cache),
* ``trackplan lint -q`` again (warm, best of ``--repeat``),

and prints each time and its ratio to grep (the issue's targets on a 3,000+ file tree:
cold <= 10x, warm <= 3x). The CLI is the one next to the interpreter running this script.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fetch import DEFAULT_CACHE, load_apps  # noqa: E402

CACHE_DIR = ".trackplan_cache"


def _best(command: list[str], cwd: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - started)
    return best


def measure(root: Path, repeat: int) -> dict[str, float]:
    cli = str(Path(sys.executable).with_name("trackplan"))
    grep = _best(["grep", "-rl", "posthog", "."], root, repeat)
    cold = _best([cli, "lint", "-q", "--no-cache"], root, repeat)
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    first = _best([cli, "lint", "-q"], root, 1)
    warm = _best([cli, "lint", "-q"], root, repeat)
    return {"grep": grep, "cold": cold, "first": first, "warm": warm}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("apps", nargs="*", default=["onyx", "skyvern"])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    for app in load_apps(args.apps):
        source = args.cache / app["name"]
        if not source.is_dir():
            print(f"{app['name']}: not fetched: run bench/corpus/fetch.py", file=sys.stderr)
            continue
        with tempfile.TemporaryDirectory(prefix=f"corpus-speed-{app['name']}-") as tmp:
            root = Path(tmp) / app["name"]
            shutil.copytree(source, root, symlinks=True)
            files = sum(1 for _ in root.rglob("*.py"))
            times = measure(root, args.repeat)
        grep = times["grep"]
        print(
            f"{app['name']:<14} {files:>5} .py  grep {grep:6.3f}s  "
            f"cold {times['cold']:6.3f}s ({times['cold'] / grep:5.1f}x)  "
            f"first {times['first']:6.3f}s ({times['first'] / grep:5.1f}x)  "
            f"warm {times['warm']:6.3f}s ({times['warm'] / grep:5.1f}x)",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
