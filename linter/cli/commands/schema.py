"""``trackplan schema``: print the plan format's JSON Schema.

Point an editor at it (yaml-language-server: ``# yaml-language-server:
$schema=<path>`` at the top of a plan file) to get completion and checking while
writing plans.
"""

from __future__ import annotations

import click
from trackplan.registry.plan_format import plan_schema_text

__all__ = ["command"]


@click.command("schema")
def command() -> int:
    """Print the JSON Schema of the plan format (for editors and other tools)."""
    text = plan_schema_text()
    click.echo(text, nl=not text.endswith("\n"))
    return 0
