"""``trackplan check [PLAN...]``: check tracking plan files and report every problem.

Thin layer over :func:`trackplan.registry.loader.check_plan`: the paths given (files
or directories, merged into one plan; when none, ``[tool.trackplan] plan`` from the
nearest ``pyproject.toml``, else ``plans/``) are checked with the config's rule
selection and severities (``--select``/``--ignore`` on top), findings
are printed as ``path:line:col: CODE message`` by the chosen reporter, and the exit
code is 0 when clean, 1 when a finding has error severity, 2 for a usage error (such
as a plan path that does not exist).

``--against REF`` (Buf-style, e.g. ``--against origin/main``) also compares the plan
with its version at git ``REF`` under ``--mode`` (default ``[tool.trackplan]
compatibility``, else ``backward``; see ``trackplan diff``): each change is one more
finding, an error when it breaks the mode.
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
from trackplan.linter.cli.commands.diff import (
    against_diagnostics,
    lenient_option,
    mode_option,
    version_option,
)
from trackplan.linter.reporters import get_reporter
from trackplan.registry.diagnostics import Diagnostic

__all__ = ["command"]


@click.command("check")
@click.argument("plans", nargs=-1, type=click.Path(path_type=Path))
@diagnostic_format_option
@select_option
@ignore_option
@click.option("--against", metavar="REF", default=None, help="Also diff with the plan at git REF.")
@mode_option
@lenient_option
@version_option
def command(
    plans: tuple[Path, ...],
    output_format: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    against: str | None,
    mode: str | None,
    assume_open_properties_unused: bool,
    check_version: bool,
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
    diagnostics = list(result.diagnostics)
    if against is not None and result.plan is not None:
        diagnostics = sorted(
            [
                *diagnostics,
                *against_diagnostics(
                    paths, against, mode, config, assume_open_properties_unused, check_version
                ),
            ],
            key=Diagnostic.sort_key,
        )
    reporter = get_reporter(default_format(output_format))(cwd=Path.cwd(), show_source=False)
    code = 1 if any(d.is_error for d in diagnostics) else 0
    with exit_code_if_output_closed(code):
        reporter.render(diagnostics, sys.stdout)
    return code
