"""``trackplan coverage [PATH...]``: planned events never captured, captured events not planned.

Thin layer over :func:`trackplan.linter.coverage.compute_coverage` fed by a lint run's
calls. Text: the findings (TP601, TP602, TP201, and TP901 for a file that cannot be
parsed) as ``path:line:col: CODE message``, then
each funnel with where each step is captured, then a summary line. ``--format json``:
one JSON object (summary, events, funnels, diagnostics). Exit 1 when a planned,
non-deprecated event or a funnel step is never captured (``--allow-uncaptured`` reports
without failing), 2 for a usage, config or plan error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from trackplan.linter.reporters import get_reporter, relative_path

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
    help="Exit 0 even when a planned event or funnel step is never captured.",
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the lint cache.")
def command(
    paths: tuple[Path, ...],
    plan: Path | None,
    output_format: str,
    allow_uncaptured: bool,
    no_cache: bool,
) -> None:
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
        click.echo(str(exc), err=True)
        sys.exit(2)
    plan_path = plan.resolve() if plan else (config.plan or (config.root / "plans"))
    if not plan_path.exists():
        raise click.UsageError(f"plan path does not exist: {relative_path(str(plan_path), cwd)}")
    checked = check_plan([plan_path])
    if checked.plan is None:
        get_reporter("text")(cwd=cwd, show_source=False).render(checked.diagnostics, sys.stderr)
        sys.exit(2)
    config = config.with_overrides(plan=plan_path)
    try:
        result = run_lint(list(paths) or [config.root], config, use_cache=not no_cache)
    except ConfigError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    except PlanError as exc:
        get_reporter("text")(cwd=cwd, show_source=False).render(exc.diagnostics, sys.stderr)
        sys.exit(2)
    report = compute_coverage(checked.plan, result.calls)
    # a file that cannot be parsed may hold calls: say so rather than under-report
    unreadable = [d for d in result.diagnostics if d.code == "TP901"]
    diagnostics = sorted([*report.diagnostics(), *unreadable], key=lambda d: d.sort_key())
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
    failing = any(d.code in ("TP601", "TP602") for d in diagnostics)
    sys.exit(1 if failing and not allow_uncaptured else 0)
