"""Regenerate the rule documentation from the rule classes.

Writes ``docs/rules.md`` (the full reference) and the rule table in ``README.md``
between ``<!-- rules:start -->`` and ``<!-- rules:end -->``. ``--check`` writes nothing
and exits 1 when either is out of date. Run it after adding or changing a rule in
``registry/rules/``; ``tests/rules/test_rule_docs.py`` fails until you do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trackplan.linter.docs import render_rule_reference, render_rule_table

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def readme_with_table(readme: str, table: str) -> str:
    """``readme`` with the text between the markers replaced by ``table``."""
    head, sep, rest = readme.partition(START)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise SystemExit(f"README.md lacks the {START} ... {END} markers")
    return f"{head}{START}\n{table}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report drift (exit 1)")
    args = parser.parse_args(argv)
    targets = {
        ROOT / "docs" / "rules.md": render_rule_reference(),
        ROOT / "README.md": readme_with_table(
            (ROOT / "README.md").read_text(encoding="utf-8"), render_rule_table()
        ),
    }
    stale = [
        path
        for path, text in targets.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    for path in stale:
        if args.check:
            print(f"{path.relative_to(ROOT)} is out of date", file=sys.stderr)
        else:
            path.write_text(text := targets[path], encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)} ({len(text.splitlines())} lines)")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
