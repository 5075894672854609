"""Selection and severity: the one engine that decides what a rule's finding becomes.

Rules report at their default severity; a :class:`RulePolicy` (built from config and
CLI flags) drops unselected codes and applies per-code severity overrides. Codes are
selected by prefix like ruff: ``select=["TP2"]`` selects every ``TP2xx`` rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from trackplan.registry.diagnostics import Diagnostic, Severity

__all__ = ["RulePolicy"]


def _longest_prefix(code: str, prefixes: Iterable[str]) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


@dataclass(frozen=True)
class RulePolicy:
    """Which codes are reported and at which severity.

    A code is reported when its longest matching ``select``/``extend_select`` prefix
    is longer than its longest matching ``ignore`` prefix (so ``ignore=["TP2"]``
    with ``select=["TP202"]`` keeps TP202, as in ruff).
    """

    select: tuple[str, ...] = ("TP",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)

    def is_selected(self, code: str) -> bool:
        chosen = _longest_prefix(code, (*self.select, *self.extend_select))
        return chosen >= 0 and chosen > _longest_prefix(code, self.ignore)

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    def apply(self, diagnostics: Iterable[Diagnostic]) -> Iterator[Diagnostic]:
        """Selected diagnostics, with severity overrides applied."""
        for diag in diagnostics:
            if not self.is_selected(diag.code):
                continue
            override = self.severity.get(diag.code)
            yield (
                diag
                if override is None or override is diag.severity
                else diag.with_severity(override)
            )
