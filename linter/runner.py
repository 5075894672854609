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
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
    from concurrent.futures import Future

    from trackplan.linter.analysis.model import TrackingCall
    from trackplan.linter.analysis.pruning import Prepared
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


def _init_worker(config: Config, plans: Any) -> None:
    """Start-up of a worker process: import the analyzer (libcst, the slow part) while
    the parent is still loading the plan, then take the plan from ``plans``."""
    import queue

    import trackplan.linter.analysis.analyzer  # noqa: F401

    global _WORKER
    parent = os.getppid()
    while True:
        try:
            kind, plan = plans.get(timeout=0.5)
            break
        except queue.Empty:
            if os.getppid() != parent:  # the parent is gone: nothing will come
                return
        except Exception:  # a torn queue: nothing will come either
            return
    if kind == "plan":
        with contextlib.suppress(Exception):  # a task then reports the failure
            _WORKER = _make_analyzer(config, plan)


def _init_isolated_worker(config: Config, plan: Plan | None) -> None:
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


def _analyze(analyzer: Any, path: str, root: Path, prepared: Prepared | None = None) -> _Outcome:
    """Analyse one file and apply its suppression comments; never raises."""
    from trackplan.linter.suppressions import apply_suppressions

    try:
        with open(path, "rb") as handle:
            depth = nesting_depth(handle.read())
        if depth > MAX_NESTING:
            reason = f"brackets nested {depth} deep (Python allows {MAX_NESTING})"
            return _Outcome(_relative(path, root), [_json_unreadable(path, reason, root)], [], [])
        analysis = analyzer.analyze_file(Path(path), prepared)
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


def _analyze_in_worker(path: str, root: Path, prepared: Prepared | None = None) -> _Outcome:
    if _WORKER is None:
        reason = "internal error (the analyzer could not be set up)"
        return _Outcome(_relative(path, root), [_json_unreadable(path, reason, root)], [], [])
    return _analyze(_WORKER, path, root, prepared)


def _warm_up() -> None:
    """A task that only makes a pool start its workers."""


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


#: A cold run over at least this many files starts its first worker before the prefilter.
_PRESTART_FILES = 1000

#: Source bytes queued in a pool above which the parent prunes the next file itself.
_PREPARE_QUEUED_BYTES = 16 * 1024

#: Source bytes queued per worker above which one more worker pays for its start-up
#: (a worker imports libcst first: about what analysing this much code costs).
_GROW_BYTES = 256 * 1024


class _Pool:
    """One process pool and how much source it still has to analyse."""

    def __init__(self, executor: Any, workers: int) -> None:
        self.executor = executor
        self.workers = workers
        # the first task: done once a worker has started (imported libcst, got the plan)
        self.ready: Future[None] = executor.submit(_warm_up)
        self.submitted = 0  # bytes; written by the parent's thread only
        self.done = 0  # bytes; written by the pool's result thread only

    def load(self) -> float:
        return (self.submitted - self.done) / self.workers


class _Workers:
    """The worker processes that analyse files, started when a file first needs one.

    Even a single file is analysed in a worker: libcst's native parser can crash the
    whole process (a C stack overflow on a huge expression), and that must cost one
    TP901 finding, never the run. The parent never imports libcst.

    The first worker starts at the first file to analyse, while the parent is still
    prefiltering: it imports the analyzer while the parent loads the plan, then takes the
    plan from a queue. Files are submitted as the prefilter finds them, so parsing
    overlaps with reading the rest of the tree. The other ``jobs - 1`` workers start
    only when the queued work is worth their start-up (a few dozen files are analysed
    sooner by one warm worker than by two that both import libcst first).
    """

    def __init__(self, config: Config, jobs: int, load_plan: Callable[[], Plan | None]) -> None:
        self.config = config
        self.jobs = jobs
        self.load_plan = load_plan
        self.plan: Plan | None = None
        self.pending: list[tuple[str, Future[_Outcome]]] = []
        self._pools: list[_Pool] = []
        self._call_names: frozenset[str] = frozenset()

    @property
    def started(self) -> bool:
        return bool(self._pools)

    def submit(self, path: str, size: int, data: bytes | None) -> None:
        """Analyse ``path`` (``data``: its bytes, if the prefilter read them)."""
        if not self._pools:
            self._start(1, path, size, data)
        elif len(self._pools) == 1 and self.jobs > 1 and self._pools[0].load() > _GROW_BYTES:
            self._start(self.jobs - 1, path, size, data)
        else:
            self._submit(min(self._pools, key=_Pool.load), path, size, data)

    def _submit(self, pool: _Pool, path: str, size: int, data: bytes | None = None) -> None:
        # Pruning needs CPython's parser only, so the parent takes it off workers that
        # are still starting (importing libcst) or have work queued; an idle worker
        # does it itself.
        prepared = None
        queued = pool.submitted - pool.done
        if data is not None and (not pool.ready.done() or queued > _PREPARE_QUEUED_BYTES):
            from trackplan.linter.analysis.pruning import prepare

            prepared = prepare(data, self._call_names)
        future = pool.executor.submit(_analyze_in_worker, path, self.config.root, prepared)
        pool.submitted += size

        def finished(_: object) -> None:
            pool.done += size

        future.add_done_callback(finished)
        self.pending.append((path, future))

    def prestart(self) -> None:
        """Start the first worker now, before any file is known to need it: on a cold
        run over a large tree one surely will, and the worker's start-up then overlaps
        with the whole prefilter."""
        if not self._pools:
            self._start(1, None, 0, None)

    def _start(self, workers: int, path: str | None, size: int, data: bytes | None) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor  # not needed on a warm run

        if not self._pools:
            # Built before the fork, the verb lexicon of the naming rules is inherited by
            # the workers (each would build its own at its first event name), and the
            # plan loader below needs it too.
            from trackplan.registry.naming.lexicon import builtin_lexicon

            builtin_lexicon()

        context = multiprocessing.get_context()
        plans = context.Queue()
        plans.cancel_join_thread()  # never wait at exit for a worker that did not start
        executor = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker, initargs=(self.config, plans)
        )
        pool = _Pool(executor, workers)  # launches the workers: they import libcst meanwhile
        self._pools.append(pool)
        if len(self._pools) == 1:
            try:
                self._call_names = _call_names(self.config)
                self.plan = self.load_plan()
            except BaseException:
                plans.put(("abort", None))
                raise
        for _ in range(workers):
            plans.put(("plan", self.plan))
        if path is not None:
            self._submit(pool, path, size, data)

    def outcomes(self) -> Iterator[tuple[str, _Outcome]]:
        """(path, outcome) of every submitted file, in submission order."""
        if not self.pending:
            return  # (a warm run: not even concurrent.futures is imported)
        from concurrent.futures.process import BrokenProcessPool

        for path, future in self.pending:
            try:
                outcome = future.result()
            except BrokenProcessPool:  # a worker died: retry each file alone, in isolation
                outcome = _analyze_isolated(path, self.config, self.plan)
            yield path, outcome

    def close(self) -> None:
        for pool in self._pools:
            pool.executor.shutdown(wait=True, cancel_futures=True)
        self._pools.clear()


def _analyze_isolated(path: str, config: Config, plan: Plan | None) -> _Outcome:
    """Analyse one file in a fresh one-worker pool: if it kills that worker too, the file
    gets a TP901 finding and the run goes on."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(
            1, initializer=_init_isolated_worker, initargs=(config, plan)
        ) as pool:
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


def _call_names(config: Config) -> frozenset[str]:
    """The analyzer's :attr:`~trackplan.linter.analysis.ProjectAnalyzer.call_names`,
    worked out the same way without importing libcst."""
    from trackplan.linter.analysis.sdk_table import builtin_rows, call_names, wrapper_rows
    from trackplan.linter.analysis.versions import detect_posthog_version

    version = detect_posthog_version(config.root, config.posthog_version)
    table = builtin_rows(version.major)
    table.update(wrapper_rows(dict(config.wrappers)))
    return call_names(table)


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


_O_BINARY = getattr(os, "O_BINARY", 0)


def _read(path: str) -> bytes:
    """A file's bytes (``os.read`` without the ``open()`` machinery: thousands of files)."""
    fd = os.open(path, os.O_RDONLY | _O_BINARY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 18):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def _prefiltered(
    files: Sequence[str],
    root: Path,
    tokens: Sequence[bytes],
    cache: LintCache | None,
    started_ns: int,
    found: _Findings,
) -> Iterator[_Candidate]:
    """The files that may hold tracking calls, as they are found; unchanged files are
    judged by the stat index without being read."""
    prefilter = TokenMatcher(tokens)
    for path in files:
        rel = _relative(path, root)
        try:
            if cache is None:
                data = _read(path)
            else:
                stat = os.stat(path)
                verdict = cache.fresh_verdict(rel, stat)
                if verdict is not None:
                    if verdict:
                        yield _Candidate(path, rel, verdict, stat.st_size, None)
                    continue
                data = _read(path)
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
    digests = _Digests(root, cache, started_ns) if cache else None
    workers = _Workers(
        config,
        max(1, min(jobs or _default_jobs(), len(files))),
        lambda: _plan_for_run(config, cache, key, needed=True),
    )
    matched = 0
    misses: dict[str, str] = {}  # path -> content digest of the files analysed
    try:
        if len(files) >= _PRESTART_FILES and (cache is None or cache.is_cold()):
            workers.prestart()
        for candidate in _prefiltered(files, root, tokens, cache, started_ns, found):
            matched += 1
            if not _cached(candidate, cache, digests, found):
                misses[candidate.path] = candidate.digest
                workers.submit(candidate.path, candidate.size, candidate.data)
        if not workers.started:
            _plan_for_run(config, cache, key, needed=False)  # a broken plan is still exit 2
        for path, outcome in workers.outcomes():
            found.add(outcome.diagnostics, outcome.calls)
            if cache and digests is not None:
                stored = CachedResult(
                    outcome.diagnostics,
                    outcome.calls,
                    [(dep, digests.of(dep)) for dep in sorted(set(outcome.dependencies))],
                )
                _quietly(cache.put, outcome.path, misses[path], stored)
    finally:
        workers.close()
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
        files_matched=matched,
    )


def _absolute_call(data: Mapping[str, Any], root: Path) -> dict[str, Any]:
    call = dict(data)
    call["path"] = os.path.normpath(root / call["path"])
    return call


def _quietly(action: Any, *args: Any) -> None:
    """Run a cache write; a read-only or full disk degrades to no caching, not a crash."""
    with contextlib.suppress(OSError):
        action(*args)
