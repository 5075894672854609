"""``trackplan init [PATH]``: draft a tracking plan and config from the calls in the code.

Thin layer over :func:`trackplan.linter.init.run.run_init`. Exit 0 when the files were
written, 2 when ``init`` refused (an existing file without ``--force``, an unusable
``pyproject.toml`` or ``[tool.trackplan]``, a write that failed): a refusal always comes
before the first write, and a failed write is undone, so exit 2 means nothing changed.
"""

from __future__ import annotations

from pathlib import Path

import click
from trackplan.linter.cli._shared import fail
from trackplan.linter.reporters import relative_path

__all__ = ["command"]


@click.command("init")
@click.argument(
    "path", required=False, type=click.Path(path_type=Path, file_okay=False), default=Path(".")
)
@click.option(
    "--plan-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where to write the plan (default: PATH/plans).",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Baseline file for the naming findings (default: PATH/.trackplan-baseline.json).",
)
@click.option("--no-baseline", is_flag=True, help="Do not write a baseline.")
@click.option("--force", is_flag=True, help="Overwrite the plan file, baseline and config table.")
def command(
    path: Path, plan_dir: Path | None, baseline: Path | None, no_baseline: bool, force: bool
) -> int:
    """Scan PATH for tracking calls and write a starting plan, config and baseline."""
    from trackplan.linter.config import ConfigError
    from trackplan.linter.init.draft import comment_text
    from trackplan.linter.init.pyproject import PyprojectError
    from trackplan.linter.init.run import InitError, run_init
    from trackplan.registry.errors import PlanError

    if not path.is_dir():
        raise click.UsageError(f"{path}: not a directory")
    try:
        result = run_init(
            path,
            plan_dir=plan_dir,
            baseline=baseline,
            write_baseline_file=not no_baseline,
            force=force,
        )
    except (InitError, PyprojectError, ConfigError) as exc:
        fail([f"trackplan init: {exc}"])
    except PlanError as exc:
        fail(
            [
                f"trackplan init: {diag.path}:{diag.line}:{diag.column}: {diag.code} {diag.message}"
                for diag in exc.diagnostics
            ]
        )
    cwd = Path.cwd()

    def rel(target: Path | str) -> str:
        return relative_path(str(target), cwd)

    draft = result.draft
    props = sum(len(e.properties) for e in draft.events)
    click.echo(
        f"wrote {rel(result.plan_file)}: {len(draft.events)} event(s), {props} property key(s)"
        f" from {draft.calls} call(s) in {draft.files} file(s)"
    )
    declared = result.declared_wrappers
    wrappers = f"{len(declared)} wrapper(s) found by inference, none to declare"
    verb = {
        "created": "created",
        "added": "added [tool.trackplan] to",
        "replaced": "replaced [tool.trackplan] in",
        "kept": "kept the existing [tool.trackplan] in",
    }
    click.echo(f"{verb[result.config.action]} {rel(result.config.path)} ({wrappers})")
    for wrapper in declared:
        shown = wrapper.spec()
        text = (
            shown if isinstance(shown, str) else ", ".join(f"{k} = {v}" for k, v in shown.items())
        )
        click.echo(f"  wrapper {wrapper.qualname} = {text}")
    if result.baseline is not None:
        click.echo(
            f"wrote {rel(result.baseline)}: {len(result.baselined)} naming finding(s) grandfathered"
        )
    if draft.skipped:
        click.echo("names the plan cannot hold (left out):")
        for skipped in draft.skipped:
            what = repr(skipped.name)
            if skipped.event is not None:
                what = f"property {what} of {skipped.event!r}"
            click.echo(f"  {comment_text(skipped.seen_at)}: {what}: {skipped.reason}")
    renames = draft.renames
    if renames:
        click.echo("events that break the naming rules (kept with `naming: legacy`):")
        for event in renames:
            shown = comment_text(f"{event.name} -> {event.suggestion or '?'}")
            click.echo(f"  {shown}")
    baseline_arg = f" --baseline {rel(result.baseline)}" if result.baseline else ""
    click.echo(f"next: review the TODOs, then `trackplan check` and `trackplan lint{baseline_arg}`")
    return 0
