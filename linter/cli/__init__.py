"""The ``trackplan`` command: a thin click layer over the library.

Each subcommand lives in its own module under :mod:`trackplan.linter.cli.commands` and
exposes a click command named ``command``; the group discovers them, so adding a
command means adding one module. How a run ends (exit codes, a closed or full stdout,
internal errors) is decided once, here, for every command: see
:mod:`trackplan.linter.cli._exit` and the table in :mod:`trackplan.linter.cli.exit_codes`.
A command returns its exit code (0 or 1) and raises for the rest.
"""

from __future__ import annotations

import importlib
import io
import os
import pkgutil
import sys
from collections.abc import Sequence
from typing import Any

import click
from trackplan.linter.cli import commands
from trackplan.linter.cli._exit import ClosedOutput, run_to_exit_code

__all__ = ["main"]


class _DiscoveredGroup(click.Group):
    """Commands are found by module name and imported only when needed (run, or listed
    by ``--help``), so one command's heavy imports never slow down another's start-up.

    ``main`` is the one place a run ends: every command, present or added later, gets
    the same exit codes and the same handling of crashes and of a closed or full stdout.
    """

    debug = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        found = {
            info.name.replace("_", "-")
            for info in pkgutil.iter_modules(commands.__path__)
            if not info.name.startswith("_")
        }
        return sorted(found | set(super().list_commands(ctx)))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.list_commands(ctx):
            module = importlib.import_module(f"{commands.__name__}.{cmd_name.replace('-', '_')}")
            self.add_command(module.command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; exit (or, with ``standalone_mode=False``, return) its code."""
        self.debug = False
        _replace_closed_streams()
        code = run_to_exit_code(
            lambda: super(_DiscoveredGroup, self).main(
                args, prog_name, complete_var, standalone_mode=False, **extra
            ),
            debug=lambda: self.debug,
        )
        if not standalone_mode:
            return code
        sys.exit(code)

    # click itself turns a closed pipe into exit 1 (before our handler sees it): while
    # parsing (``--help``, ``--version``) and running, a closed pipe is ours to handle.
    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError as exc:
            raise ClosedOutput(0) from exc

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise ClosedOutput(0) from exc


def _replace_closed_streams() -> None:
    """Started with a standard stream closed (``>&-``, ``<&-``): /dev/null instead (empty
    input; output that goes nowhere), never a crash on ``None``."""
    for name, mode in (("stdin", "rb"), ("stdout", "wb"), ("stderr", "wb")):
        if getattr(sys, name) is None:
            setattr(sys, name, io.TextIOWrapper(open(os.devnull, mode)))  # noqa: SIM115


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and isinstance(ctx.command, _DiscoveredGroup):
        ctx.command.debug = True


@click.group(cls=_DiscoveredGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="trackplan")
@click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_set_debug,
    help="Print the traceback of an internal error (also: TRACKPLAN_DEBUG=1).",
)
def main() -> None:
    """Keep product-analytics tracking honest: enforce a YAML tracking plan."""
