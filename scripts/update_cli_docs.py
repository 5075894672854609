"""Regenerate the exit-code table in README.md and docs/cli.md from the CLI's own table.

The table (:data:`trackplan.linter.cli.exit_codes.EXIT_CODES`) is written between
``<!-- exit-codes:start -->`` and ``<!-- exit-codes:end -->`` in both files. ``--check``
writes nothing and exits 1 when either is out of date. Run it after adding a command or
changing what its exit codes mean; ``tests/cli/test_cli_exit_codes.py`` fails until you do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trackplan.linter.cli.exit_codes import render_exit_code_table
from trackplan.registry.fileio import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- exit-codes:start -->", "<!-- exit-codes:end -->"
TARGETS = (ROOT / "README.md", ROOT / "docs" / "cli.md")


def with_table(document: str, table: str, name: str) -> str:
    """``document`` with the text between the markers replaced by ``table``."""
    head, sep, rest = document.partition(START)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise SystemExit(f"{name} lacks the {START} ... {END} markers")
    return f"{head}{START}\n{table}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report drift (exit 1)")
    args = parser.parse_args(argv)
    table = render_exit_code_table()
    stale = 0
    for path in TARGETS:
        name = str(path.relative_to(ROOT))
        current = path.read_text(encoding="utf-8")
        wanted = with_table(current, table, name)
        if wanted == current:
            continue
        stale += 1
        if args.check:
            print(f"{name} is out of date", file=sys.stderr)
        else:
            atomic_write_text(path, wanted)
            print(f"wrote {name}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
