"""Output formats, one module per format, discovered and looked up by name.

A reporter turns a sorted sequence of :class:`Diagnostic` into text on a stream.
Adding a format means adding one module here that defines one :class:`Reporter`
subclass with a unique ``name``.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import ClassVar, TextIO

from trackplan.registry.diagnostics import Diagnostic

__all__ = ["Reporter", "get_reporter", "relative_path", "reporter_names"]


def relative_path(path: str | None, cwd: Path) -> str:
    """``path`` relative to ``cwd`` when it lies below it, with forward slashes."""
    if not path:
        return ""
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return Path(path).as_posix()
    if rel.startswith(".."):
        return Path(path).as_posix()
    return Path(rel).as_posix()


class Reporter(ABC):
    """Renders diagnostics. ``cwd`` makes paths relative; ``tool`` names the command."""

    name: ClassVar[str]

    def __init__(self, *, cwd: Path | None = None, show_source: bool = True) -> None:
        self.cwd = cwd or Path.cwd()
        self.show_source = show_source

    def path_of(self, diagnostic: Diagnostic) -> str:
        return relative_path(diagnostic.path, self.cwd)

    @abstractmethod
    def render(self, diagnostics: Sequence[Diagnostic], stream: TextIO) -> None:
        """Write every diagnostic (already filtered and sorted) to ``stream``."""


@cache
def _reporters() -> Mapping[str, type[Reporter]]:
    found: dict[str, type[Reporter]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Reporter)
                and value.__module__ == module.__name__
                and not getattr(value, "__abstractmethods__", None)
            ):
                found[value.name] = value
    return dict(sorted(found.items()))


def reporter_names() -> tuple[str, ...]:
    return tuple(_reporters())


def get_reporter(name: str) -> type[Reporter]:
    """The reporter class registered as ``name``; ``KeyError`` if there is none."""
    return _reporters()[name]
