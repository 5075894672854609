"""The ``trackplan init`` pipeline: decide everything, then write everything at once.

:func:`plan_init` reads and decides, and writes nothing:

1. refusals first: an existing plan file or baseline without ``force``, a
   ``pyproject.toml`` that cannot be read, parsed or given a ``[tool.trackplan]`` table,
   an existing ``[tool.trackplan]`` that is invalid (unless ``force`` replaces it);
2. wrapper inference over the project's Python files (:func:`_wrappers`, :mod:`.wrappers`);
3. a lint run with those wrappers and no plan: every recognised call;
4. the drafted plan (:mod:`.draft`), loaded back with trackplan's own plan loader from a
   temporary copy: it must load and hold exactly the drafted events;
5. a lint run against that plan: its naming findings (TP1xx) become the baseline, so
   ``trackplan lint --baseline`` passes on the code as it is;
6. the new ``pyproject.toml`` text (:func:`.pyproject.plan_trackplan_table`).

:func:`commit_init` then writes the plan, the baseline and ``pyproject.toml`` as one
change (:func:`trackplan.registry.fileio.atomic_write_many`): every file is staged and
fsynced before any is replaced, so a full disk changes nothing; a failed rename puts the
files already replaced back. Directories it created are removed again on failure. Each
rewritten file keeps its line endings and permission bits; a symlinked file is written
through its link.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from trackplan.linter.baseline import render_baseline
from trackplan.linter.config import Config, ConfigError, load_config
from trackplan.linter.discovery import discover_files
from trackplan.linter.init.draft import DraftPlan, draft_plan
from trackplan.linter.init.pyproject import (
    ConfigEdit,
    check_pyproject,
    plan_trackplan_table,
    with_line_endings_of,
)
from trackplan.linter.init.wrappers import WrapperCandidate, infer_wrappers
from trackplan.linter.reporters import relative_path
from trackplan.linter.runner import run_lint
from trackplan.linter.tomlfile import MAX_TOML_BYTES
from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.fileio import atomic_write_many, read_text_capped
from trackplan.registry.loader import check_plan

__all__ = ["DEFAULT_BASELINE", "InitError", "InitPlan", "InitResult", "commit_init", "run_init"]

DEFAULT_BASELINE = ".trackplan-baseline.json"
PLAN_FILE = "events.yaml"


class InitError(Exception):
    """``init`` refused to run (a file exists and ``force`` was not given, bad input, a
    write failed and was undone)."""


@dataclass
class InitResult:
    """What ``init`` found and wrote."""

    root: Path
    plan_file: Path
    draft: DraftPlan
    wrappers: list[WrapperCandidate]
    config: ConfigEdit
    baseline: Path | None
    baselined: list[Diagnostic] = field(default_factory=list)
    files_scanned: int = 0

    @property
    def declared_wrappers(self) -> list[WrapperCandidate]:
        return [w for w in self.wrappers if w.signature is not None]

    @property
    def undecided_wrappers(self) -> list[WrapperCandidate]:
        return [w for w in self.wrappers if w.signature is None]


@dataclass
class InitPlan:
    """Everything ``init`` decided; ``writes`` is (path, new text) in commit order."""

    result: InitResult
    writes: list[tuple[Path, str]]


def _posthog_major(root: Path) -> int:
    from trackplan.linter.analysis.versions import detect_posthog_version

    return detect_posthog_version(root).major


def _naming(diag: Diagnostic) -> bool:
    """TP1xx: the naming rules (what a legacy codebase breaks without being wrong)."""
    return diag.code.startswith("TP1")


def _existing_config(root: Path, force: bool) -> Config:
    """The project's current config (its excludes and wrappers count), or the defaults.

    An invalid ``[tool.trackplan]`` in ``root``'s own ``pyproject.toml`` is a refusal
    unless ``force`` (which replaces it); a broken one further up is not ours to judge.
    """
    own = str(root / "pyproject.toml")
    try:
        config = load_config(root)
    except ConfigError as error:
        if not force and any(problem.path == own for problem in error.problems):
            raise
        return Config(root=root)
    return config if config.root == root else Config(root=root)


def _exists(path: Path) -> bool:
    try:
        return os.path.lexists(path)
    except ValueError as error:  # a NUL in a path given on the command line
        raise InitError(f"{path!r}: not a usable path ({error})") from None


def _wrappers(root: Path, files: list[Path], existing: Config) -> list[WrapperCandidate]:
    """The wrappers the code has: the analyzer's own inference (on in every lint run), so
    ``init`` reports them and declares nothing for them."""
    return infer_wrappers(
        root,
        files,
        _posthog_major(root),
        declared=existing.wrappers,
        source_roots=existing.src,
    )


def _checked_plan(draft: DraftPlan, directory: Path) -> Path:
    """Write the draft to a temporary ``directory`` and load it back: it must load and
    define exactly the drafted events (else a refusal: nothing is written)."""
    path = directory / PLAN_FILE
    path.write_text(draft.text, encoding="utf-8")
    checked = check_plan([path])
    errors = [d for d in checked.diagnostics if d.severity is Severity.ERROR]
    if checked.plan is None or errors:
        first = errors[0] if errors else None
        detail = f"{first.code} {first.message}" if first else "it does not load"
        raise InitError(f"the drafted plan is not valid ({detail}); nothing was written")
    loaded, drafted = set(checked.plan.events), {event.name for event in draft.events}
    if loaded != drafted:
        raise InitError("the drafted plan does not read back as drafted; nothing was written")
    return path


def plan_init(
    root: Path,
    *,
    plan_dir: Path | None = None,
    baseline: Path | None = None,
    write_baseline_file: bool = True,
    force: bool = False,
) -> InitPlan:
    """Decide everything ``init`` will write; writes nothing (see the module docstring)."""
    root = root.resolve()
    if not root.is_dir():
        raise InitError(f"{root}: not a directory")
    plan_dir = (plan_dir if plan_dir is not None else root / "plans").resolve()
    plan_file = plan_dir / PLAN_FILE
    baseline_path = (baseline or root / DEFAULT_BASELINE).resolve()
    targets = [plan_file] + ([baseline_path] if write_baseline_file else [])
    existing = [path for path in targets if _exists(path)]
    if existing and not force:
        raise InitError(
            "refusing to overwrite "
            + ", ".join(relative_path(str(p), Path.cwd()) for p in existing)
            + " (pass --force to replace)"
        )
    pyproject = root / "pyproject.toml"
    check_pyproject(pyproject)  # an unusable pyproject.toml is refused before the scan
    existing_config = _existing_config(root, force)

    files = [p for p in discover_files([root], root, existing_config.exclude) if p.suffix == ".py"]
    wrappers = _wrappers(root, files, existing_config)
    scan_config = replace(existing_config, plan=None)
    scan = run_lint([root], scan_config, use_cache=False)
    draft = draft_plan(scan.calls, root)

    try:
        plan_setting = plan_dir.relative_to(root).as_posix()
    except ValueError:
        plan_setting = str(plan_dir)
    edit = plan_trackplan_table(pyproject, plan=plan_setting, wrappers=[], force=force)

    baselined: list[Diagnostic] = []
    try:
        with tempfile.TemporaryDirectory(prefix="trackplan-init-") as scratch:
            drafted = _checked_plan(draft, Path(scratch))
            # Naming findings with the plan are a subset of those without it (`naming:
            # legacy` only removes some), so only files that had one need a second look.
            naming = sorted({Path(d.path) for d in scan.diagnostics if _naming(d) and d.path})
            if write_baseline_file and naming:
                checked = run_lint(naming, replace(scan_config, plan=drafted), use_cache=False)
                baselined = [d for d in checked.diagnostics if _naming(d)]
    except OSError as error:
        reason = error.strerror or str(error)
        raise InitError(
            f"could not check the drafted plan in a temporary directory ({reason});"
            " nothing was written"
        ) from None

    writes = [(plan_file, draft.text)]
    if write_baseline_file:
        writes.append((baseline_path, render_baseline(baseline_path, baselined)))
    if edit.text is not None:
        writes.append((pyproject, edit.text))
    result = InitResult(
        root,
        plan_file,
        draft,
        wrappers,
        edit,
        baseline_path if write_baseline_file else None,
        baselined,
        scan.files_scanned,
    )
    return InitPlan(result, writes)


def _original_text(path: Path) -> str | None:
    try:
        return read_text_capped(path, MAX_TOML_BYTES * 8)
    except OSError:
        return None


def commit_init(plan: InitPlan) -> InitResult:
    """Write every file of ``plan`` as one change; :class:`InitError` (and nothing
    changed) when any write fails."""
    created: list[Path] = []
    try:
        files: list[tuple[str, bytes]] = []
        for path, text in plan.writes:
            target = Path(os.path.realpath(path))
            missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
            for directory in reversed(missing):
                directory.mkdir()
                created.append(directory)
            text = with_line_endings_of(_original_text(target), text)
            # a lone surrogate can only reach the baseline's JSON (the draft leaves such
            # names out), where "\udcxx" is the escape that reads back as that character
            files.append((str(target), text.encode("utf-8", errors="backslashreplace")))
        atomic_write_many(files)
    except OSError as error:
        for directory in reversed(created):
            with contextlib.suppress(OSError):
                directory.rmdir()
        reason = error.strerror or str(error)
        raise InitError(f"could not write the files ({reason}); nothing was changed") from None
    return plan.result


def run_init(
    root: Path,
    *,
    plan_dir: Path | None = None,
    baseline: Path | None = None,
    write_baseline_file: bool = True,
    force: bool = False,
) -> InitResult:
    """Draft a plan and config for the project at ``root``; see the module docstring."""
    try:
        decided = plan_init(
            root,
            plan_dir=plan_dir,
            baseline=baseline,
            write_baseline_file=write_baseline_file,
            force=force,
        )
    except OSError as error:  # reading or scanning failed: nothing was written yet
        reason = error.strerror or str(error) or type(error).__name__
        raise InitError(f"could not prepare the files ({reason}); nothing was written") from None
    return commit_init(decided)
