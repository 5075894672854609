"""``run_lint``: the library call behind ``trackplan lint``.

Pipeline: discover files -> prefilter on the analyzer's trigger tokens (stat index first:
an unchanged file is not even read) -> per-file result cache (content, settings and
dependency digests) -> each miss goes to a worker process as soon as it is found (pruned
by the parent with CPython's ``ast`` while the workers are busy) -> suppressions (in the
worker, before caching) -> :class:`RulePolicy` -> sorted result.

The parent never imports libcst: trigger tokens, wrapper checks and pruning come from
libcst-free modules, and the workers import the analyzer while the parent loads the plan
and prefilters. A warm run imports neither the analyzer nor the plan loader, and takes the
trigger tokens from the cache too. Memory stays flat in the number of files: contents are
read one file at a time and dropped, only the paths and the small stat index are held.

The worker processes and their scheduling live in :mod:`trackplan.linter.workers`, the
JSON form of a file's result (what a worker returns and the cache keeps) in
:mod:`trackplan.linter.outcomes`.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any, NamedTuple

from trackplan.linter.analysis.forwarding import Scanned
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
from trackplan.linter.limits import SOURCE_READ_MAX_BYTES
from trackplan.linter.outcomes import (
    _absolute_call,
    _diagnostic_from_json,
    _relative,
    _text_safe,
    _unreadable,
)
from trackplan.linter.prefilter import TokenMatcher
from trackplan.linter.progress import Progress
from trackplan.linter.sources import (
    large_file_mentions,
    read_source,
    source_state,
    too_large_reason,
)
from trackplan.linter.workers import _PRESTART_FILES, _default_jobs, _Workers, _wrapper_error
from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.fileio import InputFileError
from trackplan.registry.rules import diagnostic

if TYPE_CHECKING:
    from trackplan.linter.analysis.forwarding import ProjectFacts
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
            stat = source_state(str(path))
        except OSError:
            stat = None
        if stat is None:
            return "missing"
        state = self.cache.state(rel)
        if state is not None and state.digest is not None and state.fresh_for(stat):
            return state.digest
        try:
            digest = content_digest(read_source(str(path), SOURCE_READ_MAX_BYTES))
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


def _check_wrappers(config: Config) -> None:
    """A wrapper signature the analyzer would refuse is a config error (checked here,
    without importing libcst)."""
    from trackplan.linter.analysis.sdk_table import wrapper_rows
    from trackplan.linter.analysis.signatures import SignatureError

    try:
        wrapper_rows(dict(config.wrappers))
    except SignatureError as exc:
        raise _wrapper_error(config, str(exc)) from None


def _tokens(config: Config, cache: LintCache | None, key: str) -> tuple[bytes, ...]:
    tokens = cache.stored_tokens(key) if cache else None
    if tokens is None:
        from trackplan.linter.analysis.triggers import trigger_tokens

        _check_wrappers(config)
        tokens = trigger_tokens(config.wrappers)
        if cache:
            _quietly(cache.store_tokens, key, tokens)
    return tokens


class _Candidate(NamedTuple):
    """A file that passed the prefilter (``data``: its bytes, if they were read)."""

    path: str
    rel: str
    digest: str
    size: int
    data: bytes | None


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
    limit: int,
    progress: Progress | None = None,
    scanned: Scanned | None = None,
) -> Iterator[_Candidate]:
    """The files that may hold tracking calls, as they are found; unchanged files are
    judged by the stat index without being read, and files the whole-project pass has
    just read with the same tokens (``scanned``) by what it found. Only regular files
    are opened, never more than ``limit`` bytes of one: a larger file that mentions a
    token is TP901 "too large to analyse", one that does not is skipped."""
    hits = scanned.hits if scanned is not None else {}
    misses = scanned.misses if scanned is not None else set()
    stats = scanned.stats if scanned is not None else {}
    prefilter = TokenMatcher(tokens)
    prefix = os.path.join(root, "")
    cut = len(prefix)
    for number, path in enumerate(files, start=1):
        if progress is not None:
            progress.update("scanned", number, len(files))
        rel = path[cut:] if path.startswith(prefix) and os.sep == "/" else _relative(path, root)
        try:
            stat = stats.get(path) or source_state(path)
            if stat is None or not S_ISREG(stat.st_mode):
                continue  # gone since discovery, or a FIFO, a device: never opened
            if stat.st_size > limit:
                if large_file_mentions(path, prefilter):
                    message = too_large_reason(stat.st_size, limit)
                    found.diagnostics.append(
                        diagnostic("TP901", message, path=_text_safe(path), line=1, column=1)
                    )
                continue
            if cache is not None:
                verdict = cache.fresh_verdict(rel, stat)
                if verdict is not None:
                    if verdict:
                        yield _Candidate(path, rel, verdict, stat.st_size, None)
                    continue
            known = hits.get(path)
            if known is not None and len(known) == stat.st_size:
                data = known
            elif path in misses:
                data = None
            else:
                data = read_source(path, limit)
        except InputFileError as exc:
            found.diagnostics.append(_unreadable(path, exc.reason))
            continue
        except OSError as exc:
            found.diagnostics.append(_unreadable(path, exc.strerror or str(exc)))
            continue
        hit = data is not None and (data is known or prefilter(data))
        digest = content_digest(data) if hit and data is not None else None
        if cache:
            cache.remember(
                rel, FileState(stat.st_mtime_ns, stat.st_size, stat.st_ino, started_ns, hit, digest)
            )
        if digest and data is not None:
            yield _Candidate(path, rel, digest, len(data), data)


def _cached(
    candidate: _Candidate, cache: LintCache | None, digests: _Digests | None, found: _Findings
) -> bool:
    """Takes the cached result of ``candidate`` if there is one whose dependencies are
    unchanged; False when the file must be analysed."""
    if cache is None or digests is None:
        return False
    entry = cache.get(candidate.rel, candidate.digest)
    if entry is None or not all(
        digests.of(dep) == dep_digest for dep, dep_digest in entry.dependencies
    ):
        return False
    found.add(entry.diagnostics, entry.calls)
    return True


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
    progress: Progress | None = None,
) -> LintResult:
    """Lint ``paths`` (files or directories) under ``config``.

    ``progress`` (the CLI passes one when stderr is a terminal) is told how far the run is.

    Raises :class:`ConfigError` when the configured plan path does not exist and
    :class:`trackplan.registry.errors.PlanError` when the plan is unusable; every problem
    with a source file becomes a TP901 finding instead.
    """
    config = replace(config, root=config.root.resolve())
    _check_plan_path(config)
    started_ns = time.time_ns()
    root = config.root
    files = discover(paths, root, config.exclude, check_files=False)
    cache: LintCache | None = None
    key = ""
    workers = _Workers(
        config,
        max(1, min(jobs or _default_jobs(), len(files))),
        lambda: _plan_for_run(config, cache, key, needed=True),
        facts_known=False,
    )
    matched = 0
    misses: dict[str, str] = {}  # path -> content digest of the files analysed
    try:
        if len(files) >= _PRESTART_FILES and not (use_cache and LintCache.exists(root)):
            # surely cold (no cache at all): the first worker imports libcst while the
            # whole-project pass and the prefilter read the tree
            workers.prestart()
        scanned = Scanned()
        facts = _project_facts(config, paths, files, use_cache, scanned)
        key = digest_parts([settings_digest(config), facts.digest(), f"src={config.src}"])
        cache = LintCache(root, key) if use_cache else None
        tokens = tuple(sorted({*_tokens(config, cache, key), *facts.tokens()}))
        if cache:
            cache.load_index(digest_parts(t.decode("utf-8", "surrogateescape") for t in tokens))
        found = _Findings(root)
        digests = _Digests(root, cache, started_ns) if cache else None
        workers.set_facts(facts)
        if len(files) >= _PRESTART_FILES and cache is not None and cache.is_cold():
            workers.prestart()
        for candidate in _prefiltered(
            files, root, tokens, cache, started_ns, found, config.max_file_size, progress, scanned
        ):
            matched += 1
            if not _cached(candidate, cache, digests, found):
                misses[candidate.path] = candidate.digest
                workers.submit(candidate.path, candidate.size, candidate.data)
        if not workers.started:
            _plan_for_run(config, cache, key, needed=False)  # a broken plan is still exit 2
        for done, (path, outcome) in enumerate(workers.outcomes(), start=1):
            if progress is not None:
                progress.update("analysed", done, len(misses))
            found.add(outcome.diagnostics, outcome.calls)
            if cache and digests is not None and outcome.cacheable:
                stored = CachedResult(
                    outcome.diagnostics,
                    outcome.calls,
                    [(dep, digests.of(dep)) for dep in sorted(set(outcome.dependencies))],
                )
                _quietly(cache.put, outcome.path, misses[path], stored)
    finally:
        workers.close()
        if progress is not None:
            progress.close()
    if cache:
        if any(Path(p).resolve() == root for p in paths):
            prefix = os.path.join(root, "")
            cut = len(prefix)
            cache.forget_missing(
                f[cut:] if f.startswith(prefix) and os.sep == "/" else _relative(f, root)
                for f in files
            )
        _quietly(cache.save_index)
        if misses:
            _quietly(cache.prune)

    found.calls.sort(key=lambda c: (c["path"], c["line"], c["column"]))
    return LintResult(
        diagnostics=tuple(sorted(config.policy.apply(found.diagnostics), key=Diagnostic.sort_key)),
        raw_calls=tuple(found.calls),
        files_scanned=len(files),
        files_parsed=len(misses),
        files_matched=matched,
    )


def _project_facts(
    config: Config,
    paths: Sequence[Path],
    files: Sequence[str],
    use_cache: bool,
    scanned: Scanned,
) -> ProjectFacts:
    """Wrapper inference's whole-project pass (see :mod:`trackplan.linter.project_pass`):
    over every file of the project, also when only some paths are linted (a wrapper is
    often defined in a file the run does not look at)."""
    from trackplan.linter.analysis.triggers import trigger_tokens
    from trackplan.linter.project_pass import facts_for_run

    _check_wrappers(config)
    root = config.root
    everything = files
    if not any(Path(p).resolve() == root for p in paths):
        everything = discover([root], root, config.exclude)
    python = [f for f in everything if f.endswith(".py")]
    return facts_for_run(
        root,
        python,
        trigger_tokens(config.wrappers),
        use_cache=use_cache,
        declared=config.wrappers,
        scanned=scanned,
    )


def _quietly(action: Any, *args: Any) -> None:
    """Run a cache write; a read-only or full disk degrades to no caching, not a crash."""
    with contextlib.suppress(OSError):
        action(*args)
