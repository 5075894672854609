"""``run_lint``: the library call behind ``trackplan lint``.

Pipeline: discover files -> prefilter on the analyzer's trigger tokens (stat index first:
an unchanged file is not even read) -> per-file result cache (content, settings and
dependency digests) -> analyse the misses, largest file first, over a process pool ->
suppressions (in the worker, before caching) -> :class:`RulePolicy` -> sorted result.

Start-up stays cheap: the analyzer (and libcst) is imported only when some file has to be
analysed, and on a warm run the trigger tokens come from the cache too. Memory stays flat
in the number of files: contents are read one file at a time and dropped, only the paths
and the small stat index are held.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from trackplan.linter.cache import (
    CachedResult,
    FileState,
    LintCache,
    content_digest,
    digest_parts,
    settings_digest,
)
from trackplan.linter.config import Config, ConfigError, ConfigProblem, locate_key
from trackplan.linter.discovery import discover
from trackplan.linter.prefilter import MAX_NESTING, TokenMatcher, nesting_depth
from trackplan.registry.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from trackplan.linter.analysis.model import TrackingCall
    from trackplan.registry.plan import Plan

__all__ = ["LintResult", "run_lint", "settings_digest"]


@dataclass(frozen=True)
class LintResult:
    """What a lint run found.

    ``diagnostics`` are selected, severity-adjusted, suppression-filtered and sorted;
    ``calls`` every recognised tracking call (sorted by place); ``files_scanned`` the files
    discovered, ``files_matched`` those that passed the prefilter, ``files_parsed`` those
    analysed in this run (the rest came from the cache).
    """

    diagnostics: tuple[Diagnostic, ...]
    raw_calls: tuple[Mapping[str, Any], ...] = field(repr=False)
    files_scanned: int
    files_parsed: int
    files_matched: int = 0

    @cached_property
    def calls(self) -> tuple[TrackingCall, ...]:
        """The recognised calls (built on first use, so a warm run need not import the
        analyzer)."""
        from trackplan.linter.analysis.model import TrackingCall

        return tuple(TrackingCall(**dict(raw)) for raw in self.raw_calls)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


# -- the analyzer, in this process or in a worker ----------------------------------------

_WORKER: Any = None


def _make_analyzer(config: Config, plan: Plan | None) -> Any:
    """The project's analyzer; a wrapper signature it refuses is a config error."""
    from trackplan.linter.analysis import AnalysisSettings, ProjectAnalyzer, SignatureError

    settings = AnalysisSettings(
        wrappers=dict(config.wrappers), posthog_version=config.posthog_version
    )
    try:
        return ProjectAnalyzer(config.root, settings, plan)
    except SignatureError as exc:
        raise _wrapper_error(config, str(exc)) from None


def _wrapper_error(config: Config, message: str) -> ConfigError:
    name = next((w for w in config.wrappers if repr(w) in message), None)
    key = ("wrappers", name) if name else ("wrappers",)
    dotted = "tool.trackplan.wrappers" + (f'."{name}"' if name else "")
    if config.source is None:
        return ConfigError([ConfigProblem("", 0, 0, dotted, message)])
    line, column = locate_key(config.source.read_text(encoding="utf-8"), key)
    return ConfigError([ConfigProblem(str(config.source), line, column, dotted, message)])


def _init_worker(config: Config, plan: Plan | None) -> None:
    global _WORKER
    _WORKER = _make_analyzer(config, plan)


@dataclass(frozen=True)
class _Outcome:
    """One analysed file, JSON-ready (paths relative to the root), as cached."""

    path: str
    diagnostics: list[dict[str, Any]]
    calls: list[dict[str, Any]]
    dependencies: list[str]


def _relative(path: str | os.PathLike[str], root: Path) -> str:
    """``path`` relative to ``root`` with ``/`` separators (``..`` when outside it)."""
    text, base = os.fspath(path), os.fspath(root)
    if text.startswith(base) and text[len(base) : len(base) + 1] == os.sep:
        text = text[len(base) + 1 :]
    else:
        text = os.path.relpath(text, base)
    return text if os.sep == "/" else text.replace(os.sep, "/")


def _diagnostic_to_json(diag: Diagnostic, root: Path) -> dict[str, Any]:
    data = diag.to_dict()
    if diag.path:
        data["path"] = _relative(diag.path, root)
    return data


def _diagnostic_from_json(data: Mapping[str, Any], root: Path) -> Diagnostic:
    fields = dict(data)
    fields["severity"] = Severity(fields["severity"])
    if fields.get("path"):
        fields["path"] = os.path.normpath(root / fields["path"])
    if fields.get("line") is not None and fields.get("end_line") is None:
        # An unknown end is the start: every located code finding has a full range.
        fields["end_line"] = fields["line"]
        fields["end_column"] = fields.get("column")
    return Diagnostic(**fields)


def _call_to_json(call: Any, root: Path) -> dict[str, Any]:
    return {
        "path": _relative(call.path, root),
        "line": call.line,
        "column": call.column,
        "end_line": call.end_line,
        "end_column": call.end_column,
        "kind": call.kind,
        "target": call.target,
        "event": call.event,
        "properties": dict(call.properties) if call.properties is not None else None,
        "distinct_id": call.distinct_id,
    }


def _unreadable(path: str, reason: str) -> Diagnostic:
    from trackplan.registry.rules import diagnostic

    return diagnostic("TP901", f"cannot analyse this file: {reason}", path=path, line=1, column=1)


def _json_unreadable(path: str, reason: str, root: Path) -> dict[str, Any]:
    return _diagnostic_to_json(_unreadable(path, reason), root)


def _analyze(analyzer: Any, path: str, root: Path) -> _Outcome:
    """Analyse one file and apply its suppression comments; never raises."""
    from trackplan.linter.suppressions import apply_suppressions

    try:
        with open(path, "rb") as handle:
            depth = nesting_depth(handle.read())
        if depth > MAX_NESTING:
            reason = f"brackets nested {depth} deep (Python allows {MAX_NESTING})"
            return _Outcome(_relative(path, root), [_json_unreadable(path, reason, root)], [], [])
        analysis = analyzer.analyze_file(Path(path))
        diagnostics = list(analysis.diagnostics)
        calls = list(analysis.calls)
        dependencies = [_relative(dep, root) for dep in analysis.dependencies]
    except RecursionError:
        diagnostics, calls, dependencies = [_unreadable(path, "nested too deeply")], [], []
    except Exception as exc:  # the analyzer's bug must not cost the user the whole run
        reason = f"internal error ({type(exc).__name__}: {exc})"
        diagnostics, calls, dependencies = [_unreadable(path, reason)], [], []
    if diagnostics:
        try:
            with open(path, "rb") as handle:
                source = handle.read().decode("utf-8", errors="replace")
            diagnostics = apply_suppressions(diagnostics, source)
        except OSError:
            pass
    return _Outcome(
        _relative(path, root),
        [_diagnostic_to_json(d, root) for d in diagnostics],
        [_call_to_json(c, root) for c in calls],
        dependencies,
    )


def _analyze_in_worker(path: str, root: Path) -> _Outcome:
    return _analyze(_WORKER, path, root)


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _analyze_all(
    paths: Sequence[str], config: Config, plan: Plan | None, jobs: int
) -> Iterator[_Outcome]:
    """Outcomes for ``paths`` (already largest first) from worker processes.

    Even a single file is analysed in a worker: libcst's native parser can crash the
    whole process (a C stack overflow on a huge expression), and that must cost one
    TP901 finding, never the run. The parent imports the analyzer first, so forked
    workers start with libcst already loaded.
    """
    if not paths:
        return
    from concurrent.futures import ProcessPoolExecutor  # not needed on a warm run
    from concurrent.futures.process import BrokenProcessPool

    _make_analyzer(config, plan)  # fails early on a bad wrapper; forked workers inherit it
    workers = max(1, min(jobs, len(paths)))
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(config, plan)) as pool:
        futures = [pool.submit(_analyze_in_worker, path, config.root) for path in paths]
        for path, future in zip(paths, futures, strict=True):
            try:
                yield future.result()
            except BrokenProcessPool:  # a worker died: retry each file alone, in isolation
                yield _analyze_isolated(path, config, plan)


def _analyze_isolated(path: str, config: Config, plan: Plan | None) -> _Outcome:
    """Analyse one file in a fresh one-worker pool: if it kills that worker too, the file
    gets a TP901 finding and the run goes on."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(1, initializer=_init_worker, initargs=(config, plan)) as pool:
            return pool.submit(_analyze_in_worker, path, config.root).result()
    except BrokenProcessPool:
        reason = "the analyzer crashed on this file"
        return _Outcome(
            _relative(path, config.root), [_json_unreadable(path, reason, config.root)], [], []
        )


# -- the run -----------------------------------------------------------------------------


def _load_plan(config: Config) -> Plan | None:
    if config.plan is None:
        return None
    from trackplan.registry.errors import PlanError
    from trackplan.registry.loader import check_plan

    checked = check_plan([config.plan])
    if checked.plan is None:
        raise PlanError(checked.diagnostics)
    return checked.plan


def _check_plan_path(config: Config) -> None:
    if config.plan is None or config.plan.exists():
        return
    shown = os.path.relpath(config.plan, config.root)
    if config.source is None:
        problem = ConfigProblem("", 0, 0, "--plan", f"plan {shown!r} does not exist")
    else:
        text = config.source.read_text(encoding="utf-8")
        line, column = locate_key(text, ("plan",))
        problem = ConfigProblem(
            str(config.source),
            line,
            column,
            "tool.trackplan.plan",
            f"plan {shown!r} does not exist",
        )
    raise ConfigError([problem])


class _Digests:
    """Content digests of project files through the stat index (read only if changed)."""

    def __init__(self, root: Path, cache: LintCache, started_ns: int) -> None:
        self.root = root
        self.cache = cache
        self.started_ns = started_ns

    def of(self, rel: str) -> str:
        path = self.root / rel
        try:
            stat = os.stat(path)
        except OSError:
            return "missing"
        state = self.cache.state(rel)
        if state is not None and state.digest is not None and state.fresh_for(stat):
            return state.digest
        try:
            digest = content_digest(path.read_bytes())
        except OSError:
            return "missing"
        matched = state.matched if state is not None and state.fresh_for(stat) else None
        self.cache.remember(
            rel,
            FileState(
                stat.st_mtime_ns, stat.st_size, stat.st_ino, self.started_ns, matched, digest
            ),
        )
        return digest


def _tokens(config: Config, cache: LintCache | None, key: str) -> tuple[bytes, ...]:
    tokens = cache.stored_tokens(key) if cache else None
    if tokens is None:
        tokens = tuple(_make_analyzer(config, None).trigger_tokens())
        if cache:
            _quietly(cache.store_tokens, key, tokens)
    return tokens


class _Candidate(NamedTuple):
    """A file that passed the prefilter."""

    path: str
    rel: str
    digest: str
    size: int


class _Findings:
    """What a run has collected so far (JSON-ready cache entries are turned back here)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.diagnostics: list[Diagnostic] = []
        self.calls: list[Mapping[str, Any]] = []

    def add(
        self, diagnostics: Iterable[Mapping[str, Any]], calls: Iterable[Mapping[str, Any]]
    ) -> None:
        self.diagnostics.extend(_diagnostic_from_json(d, self.root) for d in diagnostics)
        self.calls.extend(_absolute_call(c, self.root) for c in calls)


def _prefiltered(
    files: Sequence[str],
    root: Path,
    tokens: Sequence[bytes],
    cache: LintCache | None,
    started_ns: int,
    found: _Findings,
) -> list[_Candidate]:
    """The files that may hold tracking calls; unchanged files are judged by the stat
    index without being read."""
    prefilter = TokenMatcher(tokens)
    candidates = []
    for path in files:
        rel = _relative(path, root)
        try:
            stat = os.stat(path)
            verdict = cache.fresh_verdict(rel, stat) if cache else None
            if verdict is not None:
                if verdict:
                    candidates.append(_Candidate(path, rel, verdict, stat.st_size))
                continue
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            found.diagnostics.append(_unreadable(path, exc.strerror or str(exc)))
            continue
        hit = prefilter(data)
        digest = content_digest(data) if hit else None
        if cache:
            cache.remember(
                rel, FileState(stat.st_mtime_ns, stat.st_size, stat.st_ino, started_ns, hit, digest)
            )
        if hit and digest:
            candidates.append(_Candidate(path, rel, digest, stat.st_size))
    return candidates


def _from_cache(
    candidates: Sequence[_Candidate],
    cache: LintCache | None,
    digests: _Digests | None,
    found: _Findings,
) -> list[_Candidate]:
    """Takes cached results (whose dependencies are unchanged); returns the misses."""
    if cache is None or digests is None:
        return list(candidates)
    misses = []
    for candidate in candidates:
        entry = cache.get(candidate.rel, candidate.digest)
        if entry is not None and all(
            digests.of(dep) == dep_digest for dep, dep_digest in entry.dependencies
        ):
            found.add(entry.diagnostics, entry.calls)
        else:
            misses.append(candidate)
    return misses


def _plan_for_run(config: Config, cache: LintCache | None, key: str, needed: bool) -> Plan | None:
    """The plan, loaded when files must be analysed, and otherwise once per settings
    digest, so a broken plan is reported (exit 2) whether or not the cache is warm."""
    marker = f"plan-{key}"
    if not needed and (config.plan is None or (cache is not None and cache.has_marker(marker))):
        return None
    plan = _load_plan(config)
    if cache is not None:
        _quietly(cache.put_marker, marker)
    return plan


def run_lint(
    paths: Sequence[Path],
    config: Config,
    *,
    use_cache: bool = True,
    jobs: int | None = None,
) -> LintResult:
    """Lint ``paths`` (files or directories) under ``config``.

    Raises :class:`ConfigError` when the configured plan path does not exist and
    :class:`trackplan.registry.errors.PlanError` when the plan is unusable; every problem
    with a source file becomes a TP901 finding instead.
    """
    config = replace(config, root=config.root.resolve())
    _check_plan_path(config)
    started_ns = time.time_ns()
    root = config.root
    files = discover(paths, root, config.exclude)
    key = settings_digest(config)
    cache = LintCache(root, key) if use_cache else None
    tokens = _tokens(config, cache, key)
    if cache:
        cache.load_index(digest_parts(t.decode("utf-8", "surrogateescape") for t in tokens))
    found = _Findings(root)
    candidates = _prefiltered(files, root, tokens, cache, started_ns, found)
    digests = _Digests(root, cache, started_ns) if cache else None
    misses = _from_cache(candidates, cache, digests, found)
    plan = _plan_for_run(config, cache, key, needed=bool(misses))

    misses.sort(key=lambda item: (-item.size, item.rel))  # largest first, then by path
    by_rel = {item.rel: item for item in misses}
    for outcome in _analyze_all([m.path for m in misses], config, plan, jobs or _default_jobs()):
        found.add(outcome.diagnostics, outcome.calls)
        if cache and digests is not None:
            stored = CachedResult(
                outcome.diagnostics,
                outcome.calls,
                [(dep, digests.of(dep)) for dep in sorted(set(outcome.dependencies))],
            )
            _quietly(cache.put, outcome.path, by_rel[outcome.path].digest, stored)
    if cache:
        if any(Path(p).resolve() == root for p in paths):
            cache.forget_missing(_relative(f, root) for f in files)
        _quietly(cache.save_index)
        if misses:
            _quietly(cache.prune)

    found.calls.sort(key=lambda c: (c["path"], c["line"], c["column"]))
    return LintResult(
        diagnostics=tuple(sorted(config.policy.apply(found.diagnostics), key=Diagnostic.sort_key)),
        raw_calls=tuple(found.calls),
        files_scanned=len(files),
        files_parsed=len(misses),
        files_matched=len(candidates),
    )


def _absolute_call(data: Mapping[str, Any], root: Path) -> dict[str, Any]:
    call = dict(data)
    call["path"] = os.path.normpath(root / call["path"])
    return call


def _quietly(action: Any, *args: Any) -> None:
    """Run a cache write; a read-only or full disk degrades to no caching, not a crash."""
    with contextlib.suppress(OSError):
        action(*args)
