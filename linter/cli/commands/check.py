"""``trackplan check [PLAN...]``: check tracking plan files and report every problem.

Thin layer over :func:`trackplan.registry.loader.check_plan`: the paths given (files
or directories, merged into one plan; when none, ``[tool.trackplan] plan`` from the
nearest ``pyproject.toml``, else ``plans/``) are checked with the config's rule
selection and severities (``--select``/``--ignore`` on top), findings
are printed as ``path:line:col: CODE message`` by the chosen reporter, and the exit
code is 0 when clean, 1 when a finding has error severity, 2 for a usage error (such
as a plan path that does not exist).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from trackplan.linter.cli._exit import exit_code_if_output_closed
from trackplan.linter.cli._shared import (
    DEFAULT_PLAN,
    default_format,
    diagnostic_format_option,
    ignore_option,
    load_cli_config,
    select_option,
)
from trackplan.linter.reporters import get_reporter

__all__ = ["command"]


@click.command("check")
@click.argument("plans", nargs=-1, type=click.Path(path_type=Path))
@diagnostic_format_option
@select_option
@ignore_option
def command(
    plans: tuple[Path, ...],
    output_format: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> int:
    """Check tracking plan files (YAML files or directories, merged into one plan)."""
    config = load_cli_config(Path.cwd(), select=select, ignore=ignore)
    paths = list(plans) or [config.plan or DEFAULT_PLAN]
    missing = [path for path in paths if not path.exists()]
    if missing:
        raise click.UsageError(
            "plan path does not exist: "
            + ", ".join(str(p) for p in missing)
            + ("" if plans else " (pass the plan file or directory to check)")
        )
    from trackplan.registry.loader import check_plan  # keeps `trackplan --help` light

    result = check_plan(paths, policy=config.policy)
    reporter = get_reporter(default_format(output_format))(cwd=Path.cwd(), show_source=False)
    code = 0 if result.ok else 1
    with exit_code_if_output_closed(code):
        reporter.render(result.diagnostics, sys.stdout)
    return code
