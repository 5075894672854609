"""The ``trackplan`` command: a thin click layer over the library.

Each subcommand lives in its own module under :mod:`trackplan.linter.cli.commands` and
exposes a click command named ``command``; the group discovers them, so adding a
command means adding one module.
"""

from __future__ import annotations

import importlib
import pkgutil

import click
from trackplan.linter.cli import commands

__all__ = ["main"]


class _DiscoveredGroup(click.Group):
    """Commands are found by module name and imported only when needed (run, or listed
    by ``--help``), so one command's heavy imports never slow down another's start-up."""

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


@click.group(cls=_DiscoveredGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="trackplan")
def main() -> None:
    """Keep product-analytics tracking honest: enforce a YAML tracking plan."""
