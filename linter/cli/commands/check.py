"""``trackplan check [PLAN...]``: check tracking plan files and report every problem.

Thin layer over :func:`trackplan.registry.loader.check_plan`: the paths given (files
or directories, merged into one plan; ``plans/`` when none) are checked, findings
are printed as ``path:line:col: CODE message`` by the chosen reporter, and the exit
code is 0 when clean, 1 when a finding has error severity, 2 for a usage error (such
as a plan path that does not exist).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from trackplan.linter.reporters import get_reporter, reporter_names

__all__ = ["DEFAULT_PLAN", "command"]

#: Plan checked when no path is given (``[tool.trackplan] plan`` will override it).
DEFAULT_PLAN = Path("plans")


@click.command("check")
@click.argument("plans", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(reporter_names()),
    default="text",
    show_default=True,
    help="Output format.",
)
def command(plans: tuple[Path, ...], output_format: str) -> None:
    """Check tracking plan files (YAML files or directories, merged into one plan)."""
    paths = list(plans) or [DEFAULT_PLAN]
    missing = [path for path in paths if not path.exists()]
    if missing:
        raise click.UsageError(
            "plan path does not exist: "
            + ", ".join(str(p) for p in missing)
            + ("" if plans else " (pass the plan file or directory to check)")
        )
    from trackplan.registry.loader import check_plan  # keeps `trackplan --help` light

    result = check_plan(paths)
    reporter = get_reporter(output_format)(cwd=Path.cwd(), show_source=False)
    reporter.render(result.diagnostics, sys.stdout)
    sys.exit(0 if result.ok else 1)
