"""``trackplan coverage [PATH...]``: planned events never captured, captured events not planned.

Thin layer over :func:`trackplan.linter.coverage.compute_coverage` fed by a lint run's
calls. Text: the findings (TP601, TP602, TP201, and TP901 for a file that cannot be
parsed; the config's ``select``/``ignore``/``severity`` applied, as for ``lint``) as
``path:line:col: CODE message``, then each funnel with where each step is captured, then
a summary line. ``--format json``: one JSON object (summary, events, funnels,
diagnostics). Exit 1 when a finding has error severity, like every command (by default: a
planned, non-deprecated event or a funnel step never captured, an unplanned event
captured, a file that cannot be parsed); ``--allow-uncaptured`` keeps TP601/TP602 from
failing the run. 2 for a usage, config or plan error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from trackplan.linter.cli._exit import exit_code_if_output_closed
from trackplan.linter.cli._shared import config_error_lines, fail, plan_error_lines
from trackplan.linter.reporters import get_reporter, relative_path
from trackplan.registry.diagnostics import Severity

if TYPE_CHECKING:
    from trackplan.linter.coverage import CoverageReport
    from trackplan.registry.diagnostics import Diagnostic

__all__ = ["command"]


@click.command("coverage")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--plan",
    type=click.Path(path_type=Path),
    default=None,
    help="Plan file or directory (default: [tool.trackplan] plan, else plans/).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--allow-uncaptured",
    is_flag=True,
    help="Do not fail (exit 1) because a planned event or funnel step is never captured.",
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the lint cache.")
def command(
    paths: tuple[Path, ...],
    plan: Path | None,
    output_format: str,
    allow_uncaptured: bool,
    no_cache: bool,
) -> int:
    """Report planned events no code captures and captured events the plan lacks."""
    from trackplan.linter.config import ConfigError, load_config
    from trackplan.linter.coverage import compute_coverage
    from trackplan.linter.runner import run_lint
    from trackplan.registry.errors import PlanError
    from trackplan.registry.loader import check_plan

    cwd = Path.cwd()
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise click.UsageError("path does not exist: " + ", ".join(map(str, missing)))
    try:
        config = load_config(cwd)
    except ConfigError as exc:
        fail(config_error_lines(exc.problems, cwd))
    plan_path = plan.resolve() if plan else (config.plan or (config.root / "plans"))
    if not plan_path.exists():
        raise click.UsageError(f"plan path does not exist: {relative_path(str(plan_path), cwd)}")
    checked = check_plan([plan_path])
    if checked.plan is None:
        get_reporter("text")(cwd=cwd, show_source=False).render(checked.diagnostics, sys.stderr)
        return 2
    config = config.with_overrides(plan=plan_path)
    try:
        result = run_lint(list(paths) or [config.root], config, use_cache=not no_cache)
    except ConfigError as exc:
        fail(config_error_lines(exc.problems, cwd))
    except PlanError as exc:
        fail(plan_error_lines(exc.diagnostics, cwd))
    report = compute_coverage(checked.plan, result.calls)
    # a file that cannot be parsed may hold calls: say so rather than under-report
    unreadable = [d for d in result.diagnostics if d.code == "TP901"]
    found = [*config.policy.apply(report.diagnostics()), *unreadable]
    diagnostics = sorted(found, key=lambda d: d.sort_key())
    ignored = ("TP601", "TP602") if allow_uncaptured else ()
    failing = any(d.severity is Severity.ERROR and d.code not in ignored for d in diagnostics)
    code = 1 if failing else 0
    with exit_code_if_output_closed(code):
        _render(report, diagnostics, output_format, cwd)
    return code


def _render(
    report: CoverageReport, diagnostics: list[Diagnostic], output_format: str, cwd: Path
) -> None:
    if output_format == "json":
        data = report.to_json(cwd)
        data["diagnostics"] = [
            {**d.to_dict(), **({"path": relative_path(d.path, cwd)} if d.path else {})}
            for d in diagnostics
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        get_reporter("text")(cwd=cwd, show_source=False).render(diagnostics, sys.stdout)
        for line in report.render_text(cwd):
            click.echo(line)
