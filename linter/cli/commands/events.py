"""``trackplan events [--db FILE] [--invalid] [--event E] [--code C] [--format text|json]``.

Reads the store ``trackplan serve`` writes (it works while the server runs, and
without the ``serve`` extra). Text: one line per event and one indented line per
violation; JSON: ``{"events": [...]}``, the objects ``GET /_trackplan/events`` returns.
Exit 0 when every listed event is valid, 1 when some is invalid, 2 for a usage or
store error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import orjson
from trackplan.linter.cli._shared import fail
from trackplan.linter.cli.commands.serve import DEFAULT_DB

__all__ = ["command", "render_text"]


def render_text(events: list[dict[str, Any]]) -> str:
    lines = []
    for item in events:
        verdict = "valid" if item["valid"] else "INVALID"
        if not item["accepted"]:
            verdict += " (refused by capture)"
        lines.append(
            f"#{item['id']} {item['received_at']} {item['event']!s} "
            f"distinct_id={item['distinct_id']!s} {verdict}"
        )
        lines.extend(
            f"    {v['code']} {v['severity']} {v['path'] or '/'}: {v['message']}"
            for v in item["violations"]
        )
    invalid = sum(not item["valid"] for item in events)
    lines.append(f"{len(events)} event{'s' if len(events) != 1 else ''}, {invalid} invalid")
    return "\n".join(lines) + "\n"


@click.command("events")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_DB,
    show_default=True,
    help="The store `trackplan serve` writes.",
)
@click.option("--invalid", "only_invalid", is_flag=True, help="Only invalid events.")
@click.option("--event", "event_name", help="Only events with this name.")
@click.option("--code", help="Only events with a violation of this code.")
@click.option("--distinct-id", help="Only events of this distinct id.")
@click.option("--after", type=click.IntRange(min=0), default=0, help="Only ids above this.")
@click.option(
    "--limit", type=click.IntRange(1, 100_000), default=10_000, show_default=True, help="At most."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def command(
    db: Path,
    only_invalid: bool,
    event_name: str | None,
    code: str | None,
    distinct_id: str | None,
    after: int,
    limit: int,
    output_format: str,
) -> int:
    """List the events a `trackplan serve` store holds, with their violations."""
    from trackplan.server.store import EventFilter, StoreError, read_store

    where = EventFilter(
        event=event_name,
        valid=False if only_invalid else None,
        code=code,
        distinct_id=distinct_id,
        after=after,
        limit=limit,
    )
    try:
        events = read_store(db).events(where)
    except StoreError as exc:
        fail([f"trackplan events: {exc}"])
    if output_format == "json":
        sys.stdout.buffer.write(orjson.dumps({"events": events}, option=orjson.OPT_INDENT_2))
        sys.stdout.buffer.write(b"\n")
    else:
        click.echo(render_text(events), nl=False)
    return 1 if any(not e["valid"] for e in events) else 0
