"""``text``: ``path:line:col: CODE message``, then the source line when known."""

from __future__ import annotations

import linecache
from collections.abc import Sequence
from typing import TextIO

from trackplan.linter.reporters import Reporter
from trackplan.registry.diagnostics import Diagnostic


class TextReporter(Reporter):
    name = "text"

    def render(self, diagnostics: Sequence[Diagnostic], stream: TextIO) -> None:
        for diag in diagnostics:
            where = self.path_of(diag) or "<input>"
            if diag.line is not None:
                where += f":{diag.line}:{diag.column or 1}"
            stream.write(f"{where}: {diag.code} {diag.message}\n")
            if self.show_source and diag.path and diag.line:
                source = linecache.getline(diag.path, diag.line).rstrip("\r\n")
                if source.strip():
                    stream.write(f"    {source}\n")
                    if diag.column:
                        stream.write("    " + " " * (diag.column - 1) + "^\n")
