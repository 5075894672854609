"""The public value types of the code analyzer: settings in, call facts and findings out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from trackplan.registry.diagnostics import Diagnostic

if TYPE_CHECKING:
    from trackplan.linter.analysis.forwarding import ProjectFacts
    from trackplan.linter.analysis.sdk_table import WrapperSpec

__all__ = ["AnalysisSettings", "FileAnalysis", "TrackingCall"]


@dataclass(frozen=True)
class AnalysisSettings:
    """What the analyzer needs from the configuration.

    ``wrappers`` maps the qualified name of a project function or method to its
    signature text, e.g. ``{"app.telemetry.track": "(event, distinct_id, properties=None)"}``
    (or a table with ``signature`` and ``event`` / ``event-class``, see
    :func:`~trackplan.linter.analysis.sdk_table.wrapper_rows`).
    ``posthog_version`` overrides the version detected from the project's declarations.
    ``infer_wrappers`` turns wrapper inference on (the default). ``facts`` is the result of
    the whole-project pass (:func:`~trackplan.linter.analysis.forwarding.project_facts`)
    when the caller ran it already; None makes the analyzer run it over its root.
    ``source_roots`` are the directories top-level packages live in (relative to the
    root; empty: ``src/`` when it is a src layout, and the root).
    """

    wrappers: Mapping[str, WrapperSpec] = field(default_factory=dict)
    posthog_version: str | None = None
    infer_wrappers: bool = True
    facts: ProjectFacts | None = None
    source_roots: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrackingCall:
    """One recognised tracking call (an SDK call or a call of a declared wrapper).

    ``properties`` maps each literal property key to the JSON type of its literal value
    (``"unknown"`` when the value is not a literal); it is None when the properties are
    not written as a literal. ``distinct_id`` is the literal distinct id, if any.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    kind: str
    target: str
    event: str | None
    properties: Mapping[str, str] | None
    distinct_id: str | None


@dataclass
class FileAnalysis:
    """The result of analysing one source file."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    calls: list[TrackingCall] = field(default_factory=list)
    dependencies: tuple[Path, ...] = ()
