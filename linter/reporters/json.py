"""``json``: a JSON array of diagnostics (paths relative to the working directory)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from trackplan.linter.reporters import Reporter
from trackplan.registry.diagnostics import Diagnostic


class JsonReporter(Reporter):
    name = "json"

    def render(self, diagnostics: Sequence[Diagnostic], stream: TextIO) -> None:
        items = []
        for diag in diagnostics:
            item = diag.to_dict()
            if diag.path is not None:
                item["path"] = self.path_of(diag)
            items.append(item)
        json.dump(items, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
