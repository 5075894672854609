"""The app's own tracking wrappers as ``init`` reports them: the analyzer's inference.

There is one resolver: wrapper inference is part of the analyzer
(:mod:`trackplan.linter.analysis.inference`), on by default in ``lint``, ``init`` and
``coverage``, with the analyzer's own module names (``src/`` layouts and the ``src``
setting understood). This module only turns its results into :class:`WrapperCandidate`
rows for ``init``'s report and for ``trackplan lint --show-wrappers``; ``init`` writes
none of them into ``[tool.trackplan.wrappers]``, since lint infers them again.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["WrapperCandidate", "as_table", "def_line", "infer_wrappers", "module_name"]


@dataclass(frozen=True)
class WrapperCandidate:
    """A function found to forward a parameter into a tracking call.

    ``signature`` is the analyzer's signature text with roles; ``event`` an event
    template (``"app:{name}"``) when the event is built from parameters; ``event_class``
    the attribute of an event object that names the event. ``via`` is the qualified name
    of the call it forwards to, ``reason`` what it forwards.
    """

    qualname: str
    signature: str | None
    path: str
    line: int
    via: str
    reason: str = ""
    event: str | None = None
    event_class: str | None = None

    def spec(self) -> str | dict[str, str]:
        """The ``[tool.trackplan.wrappers]`` value that declares it."""
        assert self.signature is not None
        if self.event is None and self.event_class is None:
            return self.signature
        spec = {"signature": self.signature}
        if self.event is not None:
            spec["event"] = self.event
        if self.event_class is not None:
            spec["event-class"] = self.event_class
        return spec


def module_name(path: Path, root: Path, source_roots: Sequence[str] = ()) -> str | None:
    """The dotted module name of ``path`` under ``root``, as the analyzer names it."""
    from trackplan.linter.analysis.resolver import ProjectIndex

    index = ProjectIndex(root, [root / r for r in source_roots] or None)
    try:
        path.resolve().relative_to(index.root)
    except ValueError:
        return None
    name, _ = index.module_name(path)
    if not name or not all(part.isidentifier() for part in name.split(".")):
        return None
    return name


def def_line(path: Path, qualname: str) -> int:
    """The line of the ``def`` of ``qualname``'s last parts in ``path`` (1 if not found)."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return 1
    parts = qualname.split(".")

    def find(body: Sequence[ast.stmt], rest: list[str]) -> int | None:
        for node in body:
            if (
                isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                and node.name == rest[0]
            ):
                if len(rest) == 1:
                    return node.lineno
                found = find(node.body, rest[1:])
                if found is not None:
                    return found
        return None

    for cut in range(len(parts)):
        found = find(tree.body, parts[cut:])
        if found is not None:
            return found
    return 1


def infer_wrappers(
    root: Path,
    files: Iterable[Path],
    posthog_major: int,
    *,
    declared: Mapping[str, str | Mapping[str, str]] | None = None,
    source_roots: Sequence[str] = (),
) -> list[WrapperCandidate]:
    """Every wrapper the analyzer infers among ``files``, sorted by qualified name."""
    from trackplan.linter.analysis import AnalysisSettings, ProjectAnalyzer

    analyzer = ProjectAnalyzer(
        root,
        AnalysisSettings(
            wrappers=dict(declared or {}),
            posthog_version=str(posthog_major),
            source_roots=tuple(source_roots),
        ),
    )
    wanted = {Path(f).resolve() for f in files}
    out: list[WrapperCandidate] = []
    for wrapper in analyzer.inferred_wrappers():
        if wrapper.path is None or wrapper.path.resolve() not in wanted:
            continue
        row = wrapper.row
        out.append(
            WrapperCandidate(
                wrapper.qual,
                row.signature.text,
                str(wrapper.path),
                def_line(wrapper.path, wrapper.qual),
                wrapper.via,
                wrapper.reason,
                row.event_template,
                row.event_class,
            )
        )
    return out


def as_table(candidates: Sequence[WrapperCandidate]) -> dict[str, str | dict[str, str]]:
    """The candidates as ``[tool.trackplan.wrappers]`` values (what a user would write
    to pin them)."""
    return {c.qualname: c.spec() for c in candidates if c.signature is not None}
