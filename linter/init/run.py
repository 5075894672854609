"""The ``trackplan init`` pipeline: infer wrappers, find every call, draft, write.

1. Wrapper inference over the project's Python files (:mod:`.wrappers`).
2. A lint run with those wrappers and no plan: every recognised call and the naming
   findings on the event names as they are today.
3. The drafted plan (``plans/events.yaml``), ``[tool.trackplan]`` in ``pyproject.toml``.
4. A lint run against the new plan; its naming findings (TP1xx) go into a baseline so
   ``trackplan lint --baseline`` passes on the code as it is, while every new call is
   held to the rules.

Nothing that exists is overwritten without ``force``; the refusal happens before any
file is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from trackplan.linter.baseline import write_baseline
from trackplan.linter.config import Config, ConfigError, load_config
from trackplan.linter.discovery import discover_files
from trackplan.linter.init.draft import DraftPlan, draft_plan
from trackplan.linter.init.pyproject import ConfigEdit, add_trackplan_table
from trackplan.linter.init.wrappers import WrapperCandidate, infer_wrappers
from trackplan.linter.reporters import relative_path
from trackplan.linter.runner import run_lint
from trackplan.registry.diagnostics import Diagnostic

__all__ = ["DEFAULT_BASELINE", "InitError", "InitResult", "run_init"]

DEFAULT_BASELINE = ".trackplan-baseline.json"
PLAN_FILE = "events.yaml"


class InitError(Exception):
    """``init`` refused to run (a file exists and ``force`` was not given, bad input)."""


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


def _posthog_major(root: Path) -> int:
    from trackplan.linter.analysis.versions import detect_posthog_version

    return detect_posthog_version(root).major


def _naming(diag: Diagnostic) -> bool:
    """TP1xx: the naming rules (what a legacy codebase breaks without being wrong)."""
    return diag.code.startswith("TP1")


def _existing_config(root: Path) -> Config:
    """The project's current config (its excludes and wrappers count), or the defaults."""
    try:
        config = load_config(root)
    except ConfigError:
        return Config(root=root)
    return config if config.root == root else Config(root=root)


def run_init(
    root: Path,
    *,
    plan_dir: Path | None = None,
    baseline: Path | None = None,
    write_baseline_file: bool = True,
    force: bool = False,
) -> InitResult:
    """Draft a plan and config for the project at ``root``; see the module docstring."""
    root = root.resolve()
    if not root.is_dir():
        raise InitError(f"{root}: not a directory")
    plan_dir = (plan_dir if plan_dir is not None else root / "plans").resolve()
    plan_file = plan_dir / PLAN_FILE
    baseline_path = (baseline or root / DEFAULT_BASELINE).resolve()
    targets = [plan_file] + ([baseline_path] if write_baseline_file else [])
    existing = [path for path in targets if path.exists()]
    if existing and not force:
        raise InitError(
            "refusing to overwrite "
            + ", ".join(relative_path(str(p), Path.cwd()) for p in existing)
            + " (pass --force to replace)"
        )
    existing_config = _existing_config(root)
    files = [p for p in discover_files([root], root, existing_config.exclude) if p.suffix == ".py"]
    # The analyzer's own inference (on in every lint run): nothing to declare for these
    wrappers = infer_wrappers(
        root,
        files,
        _posthog_major(root),
        declared=existing_config.wrappers,
        source_roots=existing_config.src,
    )
    scan_config = replace(existing_config, plan=None)
    scan = run_lint([root], scan_config, use_cache=False)
    draft = draft_plan(scan.calls, root)

    plan_dir.mkdir(parents=True, exist_ok=True)
    plan_file.write_text(draft.text, encoding="utf-8")
    try:
        plan_setting = plan_dir.relative_to(root).as_posix()
    except ValueError:
        plan_setting = str(plan_dir)
    edit = add_trackplan_table(root / "pyproject.toml", plan=plan_setting, wrappers=[], force=force)

    baselined: list[Diagnostic] = []
    written: Path | None = None
    if write_baseline_file:
        # Naming findings with the plan are a subset of those without it (`naming:
        # legacy` only removes some), so only files that had one need a second look.
        naming_files = sorted({Path(d.path) for d in scan.diagnostics if _naming(d) and d.path})
        if naming_files:
            checked = run_lint(naming_files, load_config(root), use_cache=False)
            baselined = [d for d in checked.diagnostics if _naming(d)]
        write_baseline(baseline_path, baselined)
        written = baseline_path
    return InitResult(
        root,
        plan_file,
        draft,
        wrappers,
        edit,
        written,
        baselined,
        scan.files_scanned,
    )
