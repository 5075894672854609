"""``trackplan serve --plan PLAN [--port N] [--db FILE]``: the plan as a capture service.

Parses arguments, loads the config and the plan, and hands over to
:class:`trackplan.server.run.Service` (imported only here, so ``trackplan --help``
stays fast and works without the ``serve`` extra; without it this command exits 2
naming the extra). Exit 0 after a clean shutdown (SIGINT/SIGTERM), 2 for a usage,
plan or store error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from trackplan.linter.cli._shared import DEFAULT_PLAN, fail, load_cli_config, plan_error_lines
from trackplan.registry.errors import PlanError

__all__ = ["DEFAULT_DB", "command", "require_serve_extra"]

#: Where events are stored when ``--db`` is not given.
DEFAULT_DB = Path(".trackplan") / "events.sqlite3"
_MB = 1024 * 1024


def require_serve_extra() -> None:
    """Exit 2 with the install line when uvicorn or starlette is missing."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        fail(
            [
                f"trackplan serve needs the optional `serve` extra ({exc.name} is missing):"
                " pip install 'trackplan[serve]'"
            ]
        )


@click.command("serve")
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(exists=True, path_type=Path),
    help="Plan file or directory [default: [tool.trackplan] plan, else plans/].",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any free."
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_DB,
    show_default=True,
    help="SQLite file the events are stored in (created if missing).",
)
@click.option("--api-key", "api_keys", multiple=True, help="Accept only this key (repeatable).")
@click.option(
    "--token",
    envvar="TRACKPLAN_SERVE_TOKEN",
    help="Bearer token for /_trackplan/* (required off loopback) [env: TRACKPLAN_SERVE_TOKEN].",
)
@click.option("--forward", metavar="URL", help="Forward accepted events to this PostHog host.")
@click.option(
    "--forward-mode",
    type=click.Choice(["all", "valid", "tag"]),
    default="all",
    show_default=True,
    help="all events, only valid ones, or all with $trackplan_violations on invalid ones.",
)
@click.option("--forward-api-key", help="Project key for upstream [default: each event's own].")
@click.option(
    "--forward-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds before an upstream request counts as failed (then retried with backoff).",
)
@click.option("--reload", is_flag=True, help="Reload the plan when its files change.")
@click.option(
    "--rate-limit",
    type=click.FloatRange(min=0),
    default=None,
    help="Requests/s per client, 0 for none [default: none on loopback, else 100].",
)
@click.option(
    "--max-body-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Lower the body limit below PostHog's (2 MB per event, 20 MB per batch).",
)
@click.option(
    "--max-db-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Cap the store's size; beyond it captures get 503 (nothing is acknowledged).",
)
@click.option(
    "--fsync",
    is_flag=True,
    help="Flush every commit to disk (survives power loss, not only crashes; slower).",
)
def command(
    plan_path: Path | None,
    host: str,
    port: int,
    db: Path,
    api_keys: tuple[str, ...],
    token: str | None,
    forward: str | None,
    forward_mode: str,
    forward_api_key: str | None,
    forward_timeout: float,
    reload: bool,
    rate_limit: float | None,
    max_body_mb: float | None,
    max_db_mb: float | None,
    fsync: bool,
) -> int:
    """Receive PostHog events, validate each against the plan, store the verdicts.

    Point an SDK at it (`Posthog(key, host="http://127.0.0.1:8000")`), then ask
    `GET /_trackplan/events?valid=false`, `GET /_trackplan/stats` or `trackplan events`.
    """
    require_serve_extra()
    from trackplan.server.ingest import ForwardMode
    from trackplan.server.run import ServeOptions, Service, configure_logging
    from trackplan.server.store import StoreError

    config = load_cli_config(Path.cwd())
    plan_path = plan_path or config.plan or DEFAULT_PLAN
    if forward and not forward.startswith(("http://", "https://")):
        raise click.BadParameter("must start with http:// or https://", param_hint="--forward")
    options = ServeOptions(
        plan=plan_path,
        db=db,
        host=host,
        port=port,
        api_keys=frozenset(api_keys),
        token=token or None,
        forward=forward,
        forward_mode=ForwardMode(forward_mode),
        forward_api_key=forward_api_key,
        forward_timeout=forward_timeout,
        reload=reload,
        rate_limit=rate_limit,
        max_body=int(max_body_mb * _MB) if max_body_mb else None,
        max_db_bytes=int(max_db_mb * _MB) if max_db_mb else None,
        fsync=fsync,
        policy=config.policy,
    )
    problems = options.problems()
    if problems:
        fail([f"trackplan serve: {line}" for line in problems])
    configure_logging()
    try:
        service = Service(options)
    except PlanError as exc:
        fail(plan_error_lines(exc.diagnostics, Path.cwd()))
    except StoreError as exc:
        fail([f"trackplan serve: {exc}"])
    except OSError as exc:
        fail([f"trackplan serve: cannot listen on {host}:{port}: {exc.strerror or exc}"])
    except Exception as exc:  # a plan the engine cannot compile
        fail([f"{plan_path}: plan cannot be compiled for validation: {exc}"])
    click.echo(
        f"trackplan serve: listening on {service.url} (plan {plan_path}, store {db},"
        f" pid {os.getpid()})",
        err=True,
    )
    sys.stderr.flush()
    service.run()
    return 0
