"""``trackplan diff OLD NEW``: is the NEW plan compatible with the OLD one, and why not.

OLD and NEW are plan files, directories or ``git:REF:PATH``. Every change is listed
with a TP7xx code, its event, JSON pointer, old and new ``file:line`` and the
compatibility directions it breaks, with a witness payload for each break. The mode
(``--mode``, else ``[tool.trackplan] compatibility``, else ``backward``) decides the
exit code: 0 compatible, 1 not (or, with ``--check-version``, the plan's ``version``
not bumped as required), 2 when a plan cannot be loaded or a source cannot be read.
The validation policy is the one ``trackplan validate`` would use in this directory.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from trackplan.linter.cli._shared import default_format, fail, load_cli_config
from trackplan.registry.evolution import MODES

if TYPE_CHECKING:
    from trackplan.linter.config import Config
    from trackplan.registry.diagnostics import Diagnostic

__all__ = [
    "against_diagnostics",
    "command",
    "lenient_option",
    "mode_option",
    "policy_source",
    "version_option",
]

#: ``--mode`` for ``diff`` and ``check --against``.
mode_option = click.option(
    "--mode",
    type=click.Choice(MODES),
    default=None,
    help="Compatibility to require [default: [tool.trackplan] compatibility, else backward].",
)
lenient_option = click.option(
    "--assume-open-properties-unused",
    is_flag=True,
    help="Treat keys an open event does not declare as absent from payloads.",
)
version_option = click.option(
    "--check-version",
    is_flag=True,
    help="Also fail (TP724) when NEW's `version` is not bumped as the changes require.",
)


def policy_source(source: Path | None) -> str:
    """The policy line of the report: which config ``validate`` would use here."""
    if source is None:
        return "the defaults (no [tool.trackplan] found)"
    return f"[tool.trackplan] in {source}"


@click.command("diff")
@click.argument("old")
@click.argument("new")
@mode_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default=None,
    help="Output format [default: github under GitHub Actions, else text].",
)
@lenient_option
@version_option
def command(
    old: str,
    new: str,
    mode: str | None,
    output_format: str | None,
    assume_open_properties_unused: bool,
    check_version: bool,
) -> int:
    """Compare two plans (paths or git:REF:PATH) under a compatibility mode."""
    from trackplan.linter.evolution import DiffRequest, EvolutionError, run_diff
    from trackplan.linter.plan_sources import PlanSourceError, parse

    config = load_cli_config(Path.cwd())
    try:
        request = DiffRequest(
            old=parse(old),
            new=parse(new),
            mode=mode or config.compatibility or "backward",
            policy=config.policy,
            policy_source=policy_source(config.source),
            output_format=default_format(output_format),
            assume_open_properties_unused=assume_open_properties_unused,
            check_version=check_version,
        )
        code = run_diff(request, sys.stdout)
    except PlanSourceError as exc:
        fail([f"trackplan: {exc}"])
    except EvolutionError as exc:
        fail(exc.lines)
    return code


def against_diagnostics(
    paths: Sequence[Path],
    ref: str,
    mode: str | None,
    config: Config,
    assume_open_properties_unused: bool,
    check_version: bool,
) -> list[Diagnostic]:
    """``check --against REF``: the plan at ``paths`` compared with its version at ``REF``.

    Exits 2 (one line per problem) when the old plan cannot be read or loaded.
    """
    from trackplan.linter.evolution import DiffRequest, EvolutionError, diff_diagnostics
    from trackplan.linter.plan_sources import NoPlanAtRef, PlanSource, PlanSourceError

    cwd = Path.cwd()
    relative = tuple(os.path.relpath(p, cwd) for p in paths)
    request = DiffRequest(
        old=PlanSource(relative, ref),
        new=PlanSource(relative),
        mode=mode or config.compatibility or "backward",
        policy=config.policy,
        policy_source=policy_source(config.source),
        assume_open_properties_unused=assume_open_properties_unused,
        check_version=check_version,
        cwd=cwd,
    )
    try:
        return diff_diagnostics(request)
    except NoPlanAtRef as exc:  # a new plan (or a first commit): nothing to break
        click.echo(f"trackplan: nothing to compare against: {exc}", err=True)
        return []
    except PlanSourceError as exc:
        fail([f"trackplan: {exc}"])
    except EvolutionError as exc:
        fail(exc.lines)
