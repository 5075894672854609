"""``trackplan export --format jsonschema PLAN [--out DIR]``: the compiled event schemas.

Each planned event becomes one standalone JSON Schema 2020-12 document over the whole
payload (the exact document ``trackplan validate`` uses), for other systems to reuse.
Without ``--out`` a JSON object keyed by event name is printed; with it, one
``<event>.schema.json`` file per event is written into DIR. Exit 2 on a plan error.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click
from trackplan.linter.cli._shared import fail, plan_error_lines
from trackplan.registry.compiler import compile_plan
from trackplan.registry.errors import PlanError
from trackplan.registry.fileio import atomic_write_text
from trackplan.registry.loader import load_plan

__all__ = ["command", "schema_file_name"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def schema_file_name(event: str) -> str:
    """A portable file name for an event's schema (unsafe characters become ``_``)."""
    stem = _UNSAFE.sub("_", event).strip(".") or "_"
    return f"{stem}.schema.json"


def _json(value: object) -> str:
    """Strict JSON text: NaN and infinities are refused, never written as bare words.

    The loader already reports them (TP002), so this is a last guard, not a path a
    loadable plan takes.
    """
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


@click.command("export")
@click.argument("plan_path", metavar="PLAN", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonschema"]),
    default="jsonschema",
    show_default=True,
    help="Export format.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write one <event>.schema.json per event into this directory.",
)
def command(plan_path: Path, output_format: str, out_dir: Path | None) -> int:
    """Export the plan's events as JSON Schema documents."""
    del output_format  # one format today; the option keeps the command line stable
    try:
        schemas = compile_plan(load_plan(plan_path))
    except PlanError as exc:
        fail(plan_error_lines(exc.diagnostics, Path.cwd()))
    if out_dir is None:
        sys.stdout.write(_json(schemas))
        return 0
    names: dict[str, str] = {}
    for event in schemas:
        file_name = schema_file_name(event)
        if file_name in names:
            raise click.UsageError(
                f"events `{names[file_name]}` and `{event}` map to the same file {file_name}"
            )
        names[file_name] = event
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for file_name, event in names.items():
            atomic_write_text(out_dir / file_name, _json(schemas[event]))
    except OSError as exc:
        fail([f"trackplan export: cannot write {exc.filename or out_dir}: {exc.strerror or exc}"])
    click.echo(f"wrote {len(names)} schema{'s' if len(names) != 1 else ''} to {out_dir}")
    return 0
