"""The exception a bad plan raises when a caller asks for a usable :class:`Plan`.

Only :func:`trackplan.registry.loader.load_plan` raises it; ``check_plan`` reports the
same findings as data. The diagnostics are kept so a caller can print every problem
with its file, line and column instead of the first one only.
"""

from __future__ import annotations

from collections.abc import Iterable

from trackplan.registry.diagnostics import Diagnostic

__all__ = ["PlanError"]


class PlanError(Exception):
    """The plan has error-severity problems; ``diagnostics`` lists all of them."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        errors = [d for d in self.diagnostics if d.is_error] or list(self.diagnostics)
        lines = [_format(d) for d in errors[:5]]
        if len(errors) > 5:
            lines.append(f"... and {len(errors) - 5} more")
        summary = f"invalid plan ({len(errors)} error{'s' if len(errors) != 1 else ''})"
        super().__init__("\n".join([summary, *lines]))


def _format(diag: Diagnostic) -> str:
    where = diag.path or "<plan>"
    if diag.line is not None:
        where += f":{diag.line}:{diag.column or 1}"
    return f"{where}: {diag.code} {diag.message}"
