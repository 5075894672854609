"""Run a plan comparison for the CLI: load both sides, diff, render, pick the exit code.

Shared by ``trackplan diff OLD NEW`` and ``trackplan check --against REF``. The
semantics live in :mod:`trackplan.registry.evolution`; this module adds what a
command needs: plans from paths or git (:mod:`trackplan.linter.plan_sources`), the
history for ``*_transitive`` modes, the policy line ("which validation policy was
used"), and the four output formats. Exit codes: 0 compatible under the mode (and the
version bumped enough, with ``check_version``), 1 not, 2 when a plan cannot be
loaded or a source cannot be read (:class:`EvolutionError`).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from trackplan.linter.plan_sources import (
    NoPlanAtRef,
    PlanSource,
    PlanSourceError,
    display_path,
    history,
    materialize,
)
from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.evolution.diff import LENIENT_NOTE, Change, PlanDiff, diff_plans
from trackplan.registry.evolution.modes import directions_of, modes_broken
from trackplan.registry.loader import check_plan
from trackplan.registry.plan import Location, Plan
from trackplan.registry.policy import RulePolicy

__all__ = ["DiffRequest", "EvolutionError", "diff_diagnostics", "run_diff"]


class EvolutionError(Exception):
    """A plan that cannot be loaded or read: exit 2 with these lines."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


@dataclass
class DiffRequest:
    """What to compare and how to report it."""

    old: PlanSource
    new: PlanSource
    mode: str
    policy: RulePolicy
    policy_source: str
    output_format: str = "text"
    assume_open_properties_unused: bool = False
    check_version: bool = False
    cwd: Path = field(default_factory=Path.cwd)


@dataclass
class _Comparison:
    old_label: str
    diff: PlanDiff
    version_problem: Change | None


def _load(source: PlanSource, request: DiffRequest, tmp: Path, roots: dict[Path, str]) -> Plan:
    into = Path(tempfile.mkdtemp(prefix="v", dir=tmp))
    if source.ref is not None:
        roots[into] = source.ref
    try:
        paths = materialize(source, request.cwd, into)
    except NoPlanAtRef:
        raise
    except PlanSourceError as exc:
        raise EvolutionError([f"trackplan: {exc}"]) from exc
    result = check_plan(paths, lint=False)
    if result.plan is None:
        lines = [f"trackplan: the plan {source.label} cannot be used:"]
        for diag in result.diagnostics:
            if diag.is_error:
                where = display_path(diag.path or "<plan>", roots)
                if diag.line is not None:
                    where += f":{diag.line}:{diag.column or 1}"
                lines.append(f"{where}: {diag.code} {diag.message}")
        raise EvolutionError(lines)
    return result.plan


def run_diff(request: DiffRequest, stream: TextIO) -> int:
    """Compare, write the report on ``stream``, return the exit code (0 or 1)."""
    roots: dict[Path, str] = {}
    with tempfile.TemporaryDirectory(prefix="trackplan-diff-") as raw:
        comparisons = _compare(request, Path(raw), roots)
        ok = all(c.diff.ok(request.mode) and c.version_problem is None for c in comparisons)
        _render(request, comparisons, ok, roots, stream)
    return 0 if ok else 1


def diff_diagnostics(request: DiffRequest) -> list[Diagnostic]:
    """The comparison as diagnostics (``check --against``): errors break the mode."""
    roots: dict[Path, str] = {}
    with tempfile.TemporaryDirectory(prefix="trackplan-diff-") as raw:
        comparisons = _compare(request, Path(raw), roots)
        return _diagnostics(request, comparisons, roots)


def _compare(request: DiffRequest, tmp: Path, roots: dict[Path, str]) -> list[_Comparison]:
    new = _load(request.new, request, tmp, roots)
    olds = [request.old]
    if request.mode.endswith("_transitive"):
        try:
            earlier = history(request.old, request.cwd)
            olds = earlier if request.old.ref is not None else [request.old, *earlier]
        except PlanSourceError as exc:
            raise EvolutionError(
                [f"trackplan: {exc} ({request.mode} reads the plan's git history)"]
            ) from exc
    comparisons = []
    for source in olds:
        old = _load(source, request, tmp, roots)
        diff = diff_plans(
            old,
            new,
            policy=request.policy,
            assume_open_properties_unused=request.assume_open_properties_unused,
        )
        problem = diff.version_problem() if request.check_version else None
        comparisons.append(_Comparison(source.label, diff, problem))
    return comparisons


def _where(location: Location | None, roots: dict[Path, str]) -> str | None:
    if location is None:
        return None
    return f"{display_path(location.path, roots)}:{location.line}"


def _breaking(change: Change, mode: str) -> list[str]:
    return [d for d in directions_of(mode) if d in change.breaks]


def _render(
    request: DiffRequest,
    comparisons: list[_Comparison],
    ok: bool,
    roots: dict[Path, str],
    stream: TextIO,
) -> None:
    if request.output_format == "json":
        _render_json(request, comparisons, ok, roots, stream)
    elif request.output_format in ("github", "sarif"):
        _render_diagnostics(request, comparisons, roots, stream)
    else:
        _render_text(request, comparisons, ok, roots, stream)


def _change_json(change: Change, roots: dict[Path, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": change.code,
        "message": change.message,
        "event": change.event,
        "pointer": change.pointer,
        "old": _where(change.old, roots),
        "new": _where(change.new, roots),
        "breaks": sorted(change.breaks),
        "breaks_modes": modes_broken(change.breaks),
        "proven": {d: info["proven"] for d, info in sorted(change.breaks.items())},
        "witnesses": {d: info["witness"] for d, info in sorted(change.breaks.items())},
    }
    if change.events:
        out["events"] = list(change.events)
    return out


def _comparison_json(
    request: DiffRequest, item: _Comparison, roots: dict[Path, str]
) -> dict[str, Any]:
    diff = item.diff
    data = diff.to_dict(request.mode)
    data["old"] = item.old_label
    data["new"] = request.new.label
    data["changes"] = [_change_json(c, roots) for c in diff.changes]
    data["version"]["bumped_enough"] = (
        item.version_problem is None if request.check_version else None
    )
    if item.version_problem is not None:
        data["changes"].append(_change_json(item.version_problem, roots))
    return data


def _render_json(
    request: DiffRequest,
    comparisons: list[_Comparison],
    ok: bool,
    roots: dict[Path, str],
    stream: TextIO,
) -> None:
    base: dict[str, Any] = {
        "policy": request.policy_source,
        "assume_open_properties_unused": request.assume_open_properties_unused,
    }
    if request.mode.endswith("_transitive"):
        out = {
            "mode": request.mode,
            "compatible": ok,
            **base,
            "comparisons": [_comparison_json(request, c, roots) for c in comparisons],
        }
    else:
        out = {**_comparison_json(request, comparisons[0], roots), **base, "compatible": ok}
    json.dump(out, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _render_text(
    request: DiffRequest,
    comparisons: list[_Comparison],
    ok: bool,
    roots: dict[Path, str],
    stream: TextIO,
) -> None:
    write = stream.write
    write(f"validation policy: {request.policy_source}\n")
    if request.assume_open_properties_unused:
        write(f"note: {LENIENT_NOTE}\n")
    for item in comparisons:
        diff = item.diff
        write(f"\n{item.old_label} -> {request.new.label}\n")
        if not diff.changes:
            write("  no changes that affect validity\n")
        for change in diff.changes:
            where = _where(change.new, roots) or _where(change.old, roots) or "<plan>"
            breaks = sorted(change.breaks)
            tag = f" [breaks {', '.join(breaks)}]" if breaks else ""
            event = f" {change.event}" if change.event else ""
            was = _where(change.old, roots)
            before = f" (was {was})" if was and change.new is not None else ""
            write(
                f"  {where}: {change.code}{event} {change.pointer}: {change.message}{tag}{before}\n"
            )
        for direction in ("backward", "forward"):
            issues = [i for i in diff.incompatibilities if i.direction == direction]
            verdict = "compatible" if not issues else "INCOMPATIBLE"
            unproved = sum(1 for i in issues if not i.proven)
            extra = f" ({unproved} cannot prove)" if unproved else ""
            write(f"  {direction}: {verdict}{extra}\n")
            for issue in issues:
                write(f"    {issue.event} {issue.pointer or '/'}: {issue.reason}\n")
                if issue.witness is not None:
                    witness = json.dumps(issue.witness, ensure_ascii=False, sort_keys=True)
                    write(f"      witness: {witness}\n")
        write(f"  version: {diff.old_version} -> {diff.new_version}; required bump: {diff.bump}\n")
        if item.version_problem is not None:
            write(f"  {item.version_problem.code} {item.version_problem.message}\n")
    verdict = "compatible" if ok else "NOT compatible"
    write(f"\nresult: {verdict} under mode {request.mode}\n")


def _diagnostics(
    request: DiffRequest, comparisons: list[_Comparison], roots: dict[Path, str]
) -> list[Diagnostic]:
    """Every change as a :class:`Diagnostic`: error when it breaks the mode, else info."""
    found: list[Diagnostic] = []
    for item in comparisons:
        changes = list(item.diff.changes)
        if item.version_problem is not None:
            changes.append(item.version_problem)
        for change in changes:
            breaking = _breaking(change, request.mode)
            location = change.new or change.old
            severity = Severity.ERROR if breaking or change.code == "TP724" else Severity.INFO
            message = change.message
            if breaking:
                message += f" (breaks {', '.join(breaking)} compatibility"
                if not all(change.breaks[d]["proven"] for d in breaking):
                    message += ": cannot prove it is compatible"
                message += ")"
            if len(comparisons) > 1:
                message += f" [against {item.old_label}]"
            found.append(
                Diagnostic(
                    change.code,
                    severity,
                    message,
                    path=display_path(location.path, roots) if location else None,
                    line=location.line if location else None,
                    column=location.column if location else None,
                    event=change.event,
                    pointer=change.pointer,
                )
            )
    found.sort(key=Diagnostic.sort_key)
    return found


def _render_diagnostics(
    request: DiffRequest,
    comparisons: list[_Comparison],
    roots: dict[Path, str],
    stream: TextIO,
) -> None:
    from trackplan.linter.reporters import get_reporter

    reporter = get_reporter(request.output_format)(cwd=request.cwd, show_source=False)
    reporter.render(_diagnostics(request, comparisons, roots), stream)
