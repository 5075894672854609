"""``trackplan lint --show-wrappers``: what wrapper inference found, and why.

One line per wrapper, ``path:line: qualified.name signature``, then the reason indented
(what it forwards to which call), so a user can trust an inferred wrapper or override it
in ``[tool.trackplan.wrappers]``. Declared wrappers are listed after the inferred ones.
Runs the same whole-project pass and the same analyzer as ``lint``.
"""

from __future__ import annotations

from pathlib import Path

from trackplan.linter.config import Config
from trackplan.linter.discovery import discover
from trackplan.linter.reporters import relative_path

__all__ = ["wrapper_report"]


def _describe(signature: str, event: str | None, event_class: str | None) -> str:
    extra = f" event={event!r}" if event is not None else ""
    extra += f" event-class={event_class!r}" if event_class is not None else ""
    return signature + extra


def wrapper_report(config: Config, cwd: Path) -> list[str]:
    """The lines ``--show-wrappers`` prints."""
    from trackplan.linter.analysis import AnalysisSettings, ProjectAnalyzer
    from trackplan.linter.analysis.triggers import trigger_tokens
    from trackplan.linter.init.wrappers import def_line
    from trackplan.linter.project_pass import facts_for_run

    root = config.root.resolve()
    files = [f for f in discover([root], root, config.exclude) if f.endswith(".py")]
    facts = facts_for_run(
        root,
        files,
        trigger_tokens(config.wrappers),
        use_cache=False,
        declared=config.wrappers,
    )
    analyzer = ProjectAnalyzer(
        root,
        AnalysisSettings(
            wrappers=dict(config.wrappers),
            posthog_version=config.posthog_version,
            facts=facts,
            source_roots=config.src,
        ),
    )
    lines: list[str] = []
    for wrapper in analyzer.inferred_wrappers([Path(f) for f in files]):
        row = wrapper.row
        where = "?"
        if wrapper.path is not None:
            line = def_line(wrapper.path, wrapper.qual)
            where = f"{relative_path(str(wrapper.path), cwd)}:{line}"
        event = row.event_template
        if event is None and "event" not in row.signature.roles():
            event = row.event  # a fixed event (a tracking helper's; `$identify`, `$set`)
        text = _describe(row.signature.text, event, row.event_class)
        lines.append(f"{where}: {wrapper.qual} {text}")
        lines.append(f"    inferred: {wrapper.reason}")
    for name, spec in sorted(config.wrappers.items()):
        if isinstance(spec, str):
            text = spec
        else:
            text = _describe(spec.get("signature", ""), spec.get("event"), spec.get("event-class"))
        source = relative_path(str(config.source), cwd) if config.source else "the config"
        lines.append(f"{source}: {name} {text}")
        lines.append("    declared in [tool.trackplan.wrappers]")
    return lines
