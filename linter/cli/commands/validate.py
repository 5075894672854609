"""``trackplan validate --plan PLAN [FILE...|-]``: validate event payloads against a plan.

Input is JSONL (one event or one PostHog batch body per line) or a JSON document
holding an event, an array of events or a batch body; how it is read (constant memory,
TP902 per bad line, worker processes for large files) is described in
:mod:`trackplan.linter.validate.input` and :mod:`trackplan.linter.validate.workers`.
Exit 0 when every event is valid, 1 otherwise, 2 for a usage or plan error.

This module only parses arguments, loads the config and plan and calls the library:
reading in :mod:`trackplan.linter.validate.input`, rendering in
:mod:`trackplan.linter.validate.output`, the run and its worker processes in
:mod:`trackplan.linter.validate.workers`.
"""

from __future__ import annotations

from pathlib import Path

import click
from trackplan.linter.cli._shared import (
    DEFAULT_PLAN,
    fail,
    jobs_option,
    load_cli_config,
    plan_error_lines,
)
from trackplan.linter.validate.input import MAX_LINE_BYTES, InputResult, iter_input_results
from trackplan.linter.validate.workers import _WORKER, _auto_jobs, _init_worker, _validate_inputs
from trackplan.registry.errors import PlanError
from trackplan.registry.patterns import MAX_PATTERN_INPUT
from trackplan.registry.validation import Registry

# ``_WORKER`` and ``_init_worker`` stay importable from here for the tests of spawned workers.
__all__ = [
    "MAX_LINE_BYTES",
    "_WORKER",
    "InputResult",
    "_init_worker",
    "command",
    "iter_input_results",
]


@click.command("validate")
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(exists=True, path_type=Path),
    help="Plan file or directory [default: [tool.trackplan] plan, else plans/].",
)
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@jobs_option("for JSONL input over 8 MiB one per CPU, up to 4, else 1")
@click.option(
    "--max-pattern-input",
    type=click.IntRange(min=1),
    default=MAX_PATTERN_INPUT,
    show_default=True,
    help="Longest string a plan `pattern` is run on; longer ones are TP204 (too long to check).",
)
def command(
    plan_path: Path | None,
    files: tuple[str, ...],
    output_format: str,
    jobs: int,
    max_pattern_input: int,
) -> int:
    """Validate event payloads (JSONL, a JSON event, an array or a batch body) against a plan.

    FILE may be `-` (or omitted) for standard input.
    """
    inputs = list(files) or ["-"]
    missing = [f for f in inputs if f != "-" and not Path(f).is_file()]
    if missing:
        raise click.UsageError("input file does not exist: " + ", ".join(missing))
    config = load_cli_config(Path.cwd())
    plan_path = plan_path or config.plan or DEFAULT_PLAN
    try:
        registry = Registry.load(
            plan_path, policy=config.policy, max_pattern_input=max_pattern_input
        )
    except PlanError as exc:
        fail(plan_error_lines(exc.diagnostics, Path.cwd()))
    except Exception as exc:  # a plan the engine cannot compile is a plan error
        fail([f"{plan_path}: plan cannot be compiled for validation: {exc}"])
    try:
        counts = _validate_inputs(
            registry, plan_path, inputs, output_format, jobs or _auto_jobs(inputs)
        )
    except OSError as exc:
        if exc.filename is None:  # stdout (`| head`, a full disk): the group's to report
            raise
        fail([f"trackplan: input/output error: {exc}"])
    return 1 if counts.invalid else 0
