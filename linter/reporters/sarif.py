"""``sarif``: a SARIF 2.1.0 log (for GitHub code scanning and other SARIF viewers).

One run; ``tool.driver.rules`` describes, from the rule catalogue, every rule that has a
result (id, slug, summary, documentation, default level); each result points at its rule
by id and index. Paths are relative to the working directory (``%SRCROOT%``), columns
count Unicode code points (``columnKind``), and the output is deterministic: no
timestamps, no absolute paths.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any, TextIO
from urllib.parse import quote

from trackplan.linter.reporters import Reporter
from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.rules import catalogue

__all__ = ["SarifReporter"]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("trackplan")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def _rule(code: str) -> dict[str, Any]:
    rule = catalogue().get(code)
    if rule is None:
        return {"id": code}
    documentation = rule.documentation() or rule.summary  # written in Markdown
    return {
        "id": code,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary},
        "help": {"text": documentation, "markdown": documentation},
        "defaultConfiguration": {"level": _LEVEL[rule.default_severity]},
    }


class SarifReporter(Reporter):
    name = "sarif"

    def _location(self, diag: Diagnostic) -> dict[str, Any]:
        path = self.path_of(diag)
        if PurePath(path).is_absolute():  # outside the working directory: a file URI
            artifact = {"uri": Path(path).as_uri()}
        else:
            artifact = {"uri": quote(path), "uriBaseId": "%SRCROOT%"}
        physical: dict[str, Any] = {"artifactLocation": artifact}
        if diag.line is not None:
            region: dict[str, Any] = {"startLine": diag.line}
            if diag.column is not None:
                region["startColumn"] = diag.column
            if diag.end_line is not None:
                region["endLine"] = diag.end_line
            if diag.end_column is not None:
                region["endColumn"] = diag.end_column
            physical["region"] = region
        return {"physicalLocation": physical}

    def render(self, diagnostics: Sequence[Diagnostic], stream: TextIO) -> None:
        codes = sorted({diag.code for diag in diagnostics})
        index = {code: n for n, code in enumerate(codes)}
        results = []
        for diag in diagnostics:
            result: dict[str, Any] = {
                "ruleId": diag.code,
                "ruleIndex": index[diag.code],
                "level": _LEVEL[diag.severity],
                "message": {"text": diag.message},
            }
            if diag.path:
                result["locations"] = [self._location(diag)]
            if diag.event is not None:
                result["properties"] = {"event": diag.event}
            results.append(result)
        log = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "trackplan",
                            "version": _version(),
                            "rules": [_rule(code) for code in codes],
                        }
                    },
                    "columnKind": "unicodeCodePoints",
                    "results": results,
                }
            ],
        }
        json.dump(log, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
