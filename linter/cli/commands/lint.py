"""``trackplan lint [PATH...]``: check the tracking calls in Python code against the plan.

Thin layer over :func:`trackplan.linter.runner.run_lint`: read ``[tool.trackplan]``
(:func:`~trackplan.linter.config.load_config`), put the flags on top, lint, narrow the
findings (``--changed-since``, ``--baseline``) and hand them to a reporter. Exit 0 when
no finding has error severity, 1 when one has, 2 for a usage, config, plan or baseline
error (printed to stderr with the file and key).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click
from trackplan.linter.cli._exit import exit_code_if_output_closed
from trackplan.linter.cli._shared import (
    config_error_lines,
    default_format,
    diagnostic_format_option,
    fail,
    ignore_option,
    jobs_option,
    load_cli_config,
    plan_error_lines,
    select_option,
)
from trackplan.linter.config import ConfigError
from trackplan.linter.reporters import get_reporter
from trackplan.registry.diagnostics import Diagnostic, Severity

__all__ = ["command"]


def _summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    if not diagnostics:
        return f"All checks passed ({files} file{'s' if files != 1 else ''} scanned)."
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    parts = [
        f"{counts[s]} {s.value}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
        for s in Severity
        if counts[s]
    ]
    total = len(diagnostics)
    return f"Found {total} finding{'s' if total != 1 else ''} ({', '.join(parts)})."


def _only_changed(diagnostics: list[Diagnostic], root: Path, ref: str) -> list[Diagnostic]:
    from trackplan.linter.changes import ChangesError, changed_lines, on_changed_lines

    try:
        changed = changed_lines(root, ref)
    except ChangesError as exc:
        fail([f"trackplan: --changed-since {ref}: {exc}"])
    return on_changed_lines(diagnostics, changed)


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@diagnostic_format_option
@select_option
@ignore_option
@click.option("--extend-select", multiple=True, metavar="CODES", help="Also these prefixes.")
@click.option(
    "--plan",
    type=click.Path(exists=True, path_type=Path),
    help="Tracking plan file or directory (overrides [tool.trackplan] plan).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write .trackplan_cache/.")
@jobs_option("one per CPU")
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="Report only findings not recorded in this baseline file (and stale entries).",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path),
    help="Record today's findings in this file and exit 0.",
)
@click.option("--changed-since", metavar="REF", help="Only findings on lines changed since REF.")
@click.option("--quiet", "-q", is_flag=True, help="No summary line on stderr.")
@click.option(
    "--show-wrappers",
    is_flag=True,
    help="Print the wrappers inference finds (with the reason) and the declared ones; exit 0.",
)
def command(
    paths: tuple[Path, ...],
    output_format: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_select: tuple[str, ...],
    plan: Path | None,
    no_cache: bool,
    jobs: int,
    baseline: Path | None,
    write_baseline: Path | None,
    changed_since: str | None,
    quiet: bool,
    show_wrappers: bool,
) -> int:
    """Check tracking calls in Python code (default: the whole project) against the plan."""
    from trackplan.linter.progress import progress_for
    from trackplan.linter.runner import run_lint
    from trackplan.registry.errors import PlanError

    cwd = Path.cwd()
    config = load_cli_config(
        cwd, plan=plan, select=select, ignore=ignore, extend_select=extend_select
    )
    if show_wrappers:
        from trackplan.linter.wrapper_report import wrapper_report

        try:
            lines = wrapper_report(config, cwd)
        except ConfigError as exc:
            fail(config_error_lines(exc.problems, cwd))
        click.echo("\n".join(lines) if lines else "No wrappers found or declared.")
        return 0
    try:
        result = run_lint(
            list(paths) or [config.root],
            config,
            use_cache=not no_cache,
            jobs=jobs,
            progress=progress_for(sys.stderr),
        )
    except PlanError as exc:
        fail(plan_error_lines(exc.diagnostics, cwd))
    except ConfigError as exc:
        fail(config_error_lines(exc.problems, cwd))

    diagnostics = list(result.diagnostics)
    if changed_since:
        diagnostics = _only_changed(diagnostics, config.root, changed_since)
    if write_baseline is not None:
        from trackplan.linter.baseline import BaselineError
        from trackplan.linter.baseline import write_baseline as write

        try:
            count = write(write_baseline, diagnostics)
        except BaselineError as exc:
            fail([f"trackplan: {exc}"])
        if not quiet:
            click.echo(f"Wrote {count} baseline entries to {write_baseline}.", err=True)
        return 0
    if baseline is not None:
        from trackplan.linter.baseline import Baseline, BaselineError

        try:
            # stale entries only for files this run looked at, none after --changed-since
            scope = () if changed_since else (list(paths) or [config.root])
            new, stale = Baseline.load(baseline).split(diagnostics, scope=scope)
        except BaselineError as exc:
            fail([f"trackplan: {exc}"])
        diagnostics = sorted([*new, *config.policy.apply(stale)], key=Diagnostic.sort_key)

    output_format = default_format(output_format)
    code = 1 if any(d.severity is Severity.ERROR for d in diagnostics) else 0
    with exit_code_if_output_closed(code):  # flushes stdout: a failure shows before the summary
        get_reporter(output_format)(cwd=cwd).render(diagnostics, sys.stdout)
    if not quiet and output_format == "text":
        click.echo(_summary(diagnostics, result.files_scanned), err=True)
    return code
