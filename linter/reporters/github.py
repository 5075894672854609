"""``github``: GitHub Actions workflow commands, one annotation per finding.

Each line is ``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message``
(``warning`` and ``notice`` for the other severities), which the Actions runner turns
into annotations on the pull request. Values are escaped as the runner's toolkit does.
Selected automatically when ``GITHUB_ACTIONS=true`` and no ``--format`` is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from trackplan.linter.reporters import Reporter
from trackplan.registry.diagnostics import Diagnostic, Severity

__all__ = ["GithubReporter"]

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    name = "github"

    def render(self, diagnostics: Sequence[Diagnostic], stream: TextIO) -> None:
        for diag in diagnostics:
            properties: list[tuple[str, object]] = []
            path = self.path_of(diag)
            if path:
                properties.append(("file", path))
                for key, value in (
                    ("line", diag.line),
                    ("col", diag.column),
                    ("endLine", diag.end_line),
                    ("endColumn", diag.end_column),
                ):
                    if value is not None:
                        properties.append((key, value))
            properties.append(("title", f"trackplan ({diag.code})"))
            rendered = ",".join(f"{k}={_escape_property(str(v))}" for k, v in properties)
            where = path
            if path and diag.line is not None:
                where += f":{diag.line}:{diag.column or 1}"
            text = (
                f"{where}: {diag.code} {diag.message}" if where else f"{diag.code} {diag.message}"
            )
            stream.write(f"::{_COMMAND[diag.severity]} {rendered}::{_escape_data(text)}\n")
