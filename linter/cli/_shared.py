"""What several subcommands share: config plus flags, error printing, format choice, --jobs.

Kept out of the command modules so ``check``, ``lint`` and ``validate`` resolve
``[tool.trackplan]`` and report config/plan errors exactly the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from trackplan.linter.cli._exit import CommandFailed
from trackplan.linter.reporters import relative_path, reporter_names
from trackplan.registry.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from trackplan.linter.config import Config, ConfigProblem

__all__ = [
    "DEFAULT_PLAN",
    "available_cpus",
    "config_error_lines",
    "default_format",
    "diagnostic_format_option",
    "fail",
    "ignore_option",
    "jobs_option",
    "load_cli_config",
    "plan_error_lines",
    "select_option",
]

F = TypeVar("F", bound=Callable[..., Any])

#: The plan used when none is given and ``[tool.trackplan] plan`` is not set.
DEFAULT_PLAN = Path("plans")


#: ``--format`` for commands that print diagnostics through a reporter.
diagnostic_format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(reporter_names()),
    default=None,
    help="Output format [default: github under GitHub Actions, else text].",
)
#: Rule selection by code prefix, on top of ``[tool.trackplan]`` (ruff's semantics).
select_option = click.option(
    "--select", multiple=True, metavar="CODES", help="Only these code prefixes."
)
ignore_option = click.option(
    "--ignore", multiple=True, metavar="CODES", help="Not these code prefixes."
)


def fail(lines: Sequence[str]) -> NoReturn:
    """End the command: ``lines`` go to stderr and the run exits 2 (usage, config, plan or
    baseline error). Raises :class:`~trackplan.linter.cli._exit.CommandFailed`, which the
    group turns into the exit code."""
    raise CommandFailed(lines)


def available_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _cap_jobs(ctx: click.Context, param: click.Parameter, value: int) -> int:
    cpus = available_cpus()
    if value > cpus:
        click.echo(
            f"trackplan: --jobs {value} is more than the {cpus} CPU(s) available; using {cpus}",
            err=True,
        )
        return cpus
    return value


def jobs_option(automatic: str) -> Callable[[F], F]:
    """``--jobs``/``-j``, the same in every command that has it: worker processes, at most
    the CPU count (more is capped, with one warning on stderr); ``0`` (the default) means
    automatic, which ``automatic`` describes for the command's help."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=0),
        default=0,
        show_default=True,
        metavar="N",
        callback=_cap_jobs,
        help=f"Worker processes, at most the CPU count (0: automatic, {automatic}).",
    )


def default_format(chosen: str | None) -> str:
    """``github`` under GitHub Actions unless a format was given, else ``text``."""
    if chosen is not None:
        return chosen
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def plan_error_lines(diagnostics: Sequence[Diagnostic], cwd: Path) -> list[str]:
    """Why a plan cannot be used, one ``path:line:col: CODE message`` line each."""
    lines = ["trackplan: the plan cannot be used:"]
    for diag in diagnostics:
        if diag.severity is not Severity.ERROR:
            continue
        where = relative_path(diag.path, cwd) or "<plan>"
        if diag.line is not None:
            where += f":{diag.line}:{diag.column or 1}"
        lines.append(f"{where}: {diag.code} {diag.message}")
    return lines


def config_error_lines(problems: Sequence[ConfigProblem], cwd: Path) -> list[str]:
    """Every config problem, its file relative to ``cwd``."""
    return [
        f"trackplan: config error: {replace(p, path=relative_path(p.path, cwd))}" for p in problems
    ]


def load_cli_config(
    cwd: Path,
    *,
    plan: Path | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
) -> Config:
    """``[tool.trackplan]`` found from ``cwd`` upwards, with the CLI flags on top.

    Exits 2 with every problem (file, line and key) when the config is invalid.
    """
    from trackplan.linter.config import ConfigError, load_config, parse_selectors

    try:
        return load_config(cwd).with_overrides(
            plan=plan,
            select=parse_selectors(select, "--select") if select else None,
            ignore=parse_selectors(ignore, "--ignore") if ignore else None,
            extend_select=(
                parse_selectors(extend_select, "--extend-select") if extend_select else None
            ),
        )
    except ConfigError as exc:
        fail(config_error_lines(exc.problems, cwd))
