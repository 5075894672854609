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
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{commands.__name__}.{info.name}")
            self.add_command(module.command)


@click.group(cls=_DiscoveredGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="trackplan")
def main() -> None:
    """Keep product-analytics tracking honest: enforce a YAML tracking plan."""
