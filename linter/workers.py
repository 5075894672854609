"""The worker processes of ``trackplan lint``: their start-up, scheduling and the
analysis each of them runs.

Separate from :mod:`trackplan.linter.runner` because this is the code that runs on the
other side of the process boundary: a worker (forked for the pool, or started afresh for
an isolated retry) finds its initialisers and task functions here by name and keeps its
analyzer in this module's ``_WORKER`` global. The run itself (discovery, prefilter, cache,
policy, result) stays in the runner, which only submits files and collects outcomes.
Nothing here imports libcst at module level: the parent imports this module to schedule,
and only the workers import the analyzer.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trackplan.linter.config import Config, ConfigError, ConfigProblem, locate_key
from trackplan.linter.limits import DEFAULT_MAX_FILE_SIZE
from trackplan.linter.outcomes import (
    _call_to_json,
    _diagnostic_to_json,
    _json_unreadable,
    _Outcome,
    _relative,
    _text_safe,
    _unreadable,
)
from trackplan.linter.prefilter import MAX_NESTING, nesting_depth
from trackplan.linter.sources import read_source
from trackplan.registry.fileio import InputFileError

if TYPE_CHECKING:
    from concurrent.futures import Future

    from trackplan.linter.analysis.forwarding import ProjectFacts
    from trackplan.registry.plan import Plan

__all__ = [
    "KILL_HOOK_ENV",
    "_GROW_BYTES",
    "_PRESTART_FILES",
    "_Workers",
    "_default_jobs",
    "_wrapper_error",
]


# -- the analyzer, in this process or in a worker ----------------------------------------

_WORKER: Any = None
_LIMIT = DEFAULT_MAX_FILE_SIZE  # the run's max-file-size, set in each worker

#: Test hook (the crash tests): a worker analysing a file whose path ends with this value
#: kills itself with SIGKILL, as the OOM killer or a native crash in libcst would.
KILL_HOOK_ENV = "TRACKPLAN_TEST_KILL_WORKER_ON"


def _make_analyzer(config: Config, plan: Plan | None, facts: ProjectFacts | None = None) -> Any:
    """The project's analyzer; a wrapper signature it refuses is a config error.
    ``facts``: the run's whole-project pass (None: the analyzer runs it itself)."""
    from trackplan.linter.analysis import AnalysisSettings, ProjectAnalyzer, SignatureError

    settings = AnalysisSettings(
        wrappers=dict(config.wrappers),
        posthog_version=config.posthog_version,
        facts=facts,
        source_roots=config.src,
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
    the parent is still running the whole-project pass and loading the plan, then take
    the plan and the project's facts from ``plans``."""
    import queue

    import trackplan.linter.analysis.analyzer  # noqa: F401

    global _WORKER, _LIMIT
    _LIMIT = config.max_file_size
    parent = os.getppid()
    while True:
        try:
            kind, payload = plans.get(timeout=0.5)
            break
        except queue.Empty:
            if os.getppid() != parent:  # the parent is gone: nothing will come
                return
        except Exception:  # a torn queue: nothing will come either
            return
    if kind == "plan":
        with contextlib.suppress(Exception):  # a task then reports the failure
            plan, facts = payload
            _WORKER = _make_analyzer(config, plan, facts)


def _init_isolated_worker(
    config: Config, plan: Plan | None, facts: ProjectFacts | None = None
) -> None:
    global _WORKER, _LIMIT
    _LIMIT = config.max_file_size
    _WORKER = _make_analyzer(config, plan, facts)


def _analyze(
    analyzer: Any, path: str, root: Path, data: bytes | None = None, limit: int = _LIMIT
) -> _Outcome:
    """Analyse one file (``data``: its bytes, when the parent read them) and apply its
    suppression comments; never raises.

    The file is pruned here, in the worker (CPython's ``ast`` first, see
    :mod:`~trackplan.linter.analysis.pruning`), so the parent only reads and prefilters.
    """
    from trackplan.linter.analysis.pruning import prepare
    from trackplan.linter.suppressions import apply_suppressions

    _kill_hook(path)
    calls: list[Any] = []
    dependencies: list[str] = []
    try:
        if data is None:
            data = read_source(path, limit)
        depth = nesting_depth(data)
        if depth > MAX_NESTING:
            reason = f"brackets nested {depth} deep (Python allows {MAX_NESTING})"
            return _Outcome(_relative(path, root), [_json_unreadable(path, reason, root)], [], [])
        analysis = analyzer.analyze_file(Path(path), prepare(data, analyzer.call_names))
        diagnostics = list(analysis.diagnostics)
        calls = list(analysis.calls)
        dependencies = [_relative(dep, root) for dep in analysis.dependencies]
    except InputFileError as exc:
        diagnostics = [_unreadable(path, exc.reason)]
    except RecursionError:
        diagnostics = [_unreadable(path, "nested too deeply")]
    except MemoryError:
        diagnostics = [_unreadable(path, "ran out of memory analysing it")]
    except Exception as exc:  # the analyzer's bug must not cost the user the whole run
        diagnostics = [_unreadable(path, f"internal error ({type(exc).__name__}: {exc})")]
    if diagnostics and data is not None:
        diagnostics = apply_suppressions(diagnostics, data.decode("utf-8", errors="replace"))
    return _Outcome(
        _relative(path, root),
        [_text_safe(_diagnostic_to_json(d, root)) for d in diagnostics],
        [_text_safe(_call_to_json(c, root)) for c in calls],
        dependencies,
    )


def _kill_hook(path: str) -> None:
    suffix = os.environ.get(KILL_HOOK_ENV)
    if suffix and path.endswith(suffix):
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def _analyze_in_worker(path: str, root: Path, data: bytes | None = None) -> _Outcome:
    if _WORKER is None:
        reason = "internal error (the analyzer could not be set up)"
        return _Outcome(_relative(path, root), [_json_unreadable(path, reason, root)], [], [])
    return _analyze(_WORKER, path, root, data, _LIMIT)


def _warm_up() -> None:
    """A task that only makes a pool start its workers."""


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


#: A cold run over at least this many files starts its first worker before the prefilter.
_PRESTART_FILES = 1000

#: Workers started before the prefilter on a cold run over a large tree (measured on
#: the 4,338-file tree on 2 loaded cores: two were 1.4x slower than one, the second
#: libcst import competing with the prefilter; more start when work queues up).
_PRESTART_WORKERS = 1


def _stop_unused(executor: Any) -> None:
    """Shut down a pool that was never given a file (prestarted on a cold run whose
    prefilter then let nothing through): its workers are still importing libcst, and
    waiting for that would only delay the end of the run."""
    processes = list(getattr(executor, "_processes", {}).values())
    manager = getattr(executor, "_executor_manager_thread", None)  # shutdown() forgets it
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)
    # Let the pool's manager thread see its workers gone and close its wake-up pipe
    # now: left running, it races concurrent.futures' exit hook, which then writes to
    # the closed pipe and prints "Exception ignored ... Bad file descriptor" at exit.
    if manager is not None:
        with contextlib.suppress(Exception):
            manager.join(timeout=5)


#: Source bytes queued in a pool above which files are sent by path, not by content.
_QUEUED_DATA_BYTES = 32 * 1024 * 1024

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

    def __init__(
        self,
        config: Config,
        jobs: int,
        load_plan: Callable[[], Plan | None],
        facts: ProjectFacts | None = None,
        *,
        facts_known: bool = True,
    ) -> None:
        self.config = config
        self.facts = facts
        #: False until :meth:`set_facts`: a worker started before then waits for them
        self._facts_known = facts_known
        self._held: list[tuple[Any, int]] = []  # (queue, workers) waiting for the facts
        self._plan_loaded = False
        self.jobs = jobs
        self.load_plan = load_plan
        self.plan: Plan | None = None
        self.pending: list[tuple[str, Future[_Outcome]]] = []
        self._pools: list[_Pool] = []
        self._recovery: Any = None  # the one-worker pool that retries after a crash

    @property
    def started(self) -> bool:
        return bool(self._pools)

    def submit(self, path: str, size: int, data: bytes | None) -> None:
        """Analyse ``path`` (``data``: its bytes, if the prefilter read them)."""
        if not self._pools:
            self._start(1, path, size, data)
        elif (
            len(self._pools) == 1
            and self._pools[0].workers < self.jobs
            and self._pools[0].load() > _GROW_BYTES
        ):
            self._start(self.jobs - self._pools[0].workers, path, size, data)
        else:
            self._submit(min(self._pools, key=_Pool.load), path, size, data)

    def _submit(self, pool: _Pool, path: str, size: int, data: bytes | None = None) -> None:
        # The bytes the prefilter read go along: the worker analyses exactly the content
        # the cache key was computed for, and prunes it itself (the parent never parses).
        # Past _QUEUED_DATA_BYTES waiting, the worker reads the file itself: the parent
        # never holds more than that of the tree, however large it is.
        if pool.submitted - pool.done > _QUEUED_DATA_BYTES:
            data = None
        future = pool.executor.submit(_analyze_in_worker, path, self.config.root, data)
        pool.submitted += size

        def finished(_: object) -> None:
            pool.done += size

        future.add_done_callback(finished)
        self.pending.append((path, future))

    def set_facts(self, facts: ProjectFacts) -> None:
        """The run's whole-project facts, now known: a worker prestarted before them
        gets them (and the plan) now."""
        self.facts = facts
        self._facts_known = True
        held, self._held = self._held, []
        for plans, workers in held:
            self._release(plans, workers)

    def prestart(self) -> None:
        """Start the first worker now, before any file is known to need it: on a cold
        run over a large tree one surely will, and its start-up (importing libcst) then
        overlaps with the whole-project pass and the prefilter. If the prefilter lets
        nothing through, the worker is stopped at the end instead of waited for."""
        if not self._pools:
            self._start(min(self.jobs, _PRESTART_WORKERS), None, 0, None)

    def _start(self, workers: int, path: str | None, size: int, data: bytes | None) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor  # not needed on a warm run

        if not self._pools and self.config.plan is not None:
            # The plan loader below needs the verb lexicon of the naming rules: built
            # before the fork, the workers inherit it. Without a plan the parent never
            # needs it, and a worker builds it at its first event name, if any.
            from trackplan.registry.naming.lexicon import builtin_lexicon

            builtin_lexicon()

        context = multiprocessing.get_context()
        plans = context.Queue()
        plans.cancel_join_thread()  # never wait at exit for a worker that did not start
        executor = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(self.config, plans),
        )
        pool = _Pool(executor, workers)  # launches the workers: they import libcst meanwhile
        self._pools.append(pool)
        if self._facts_known:
            self._release(plans, workers)
        else:
            self._held.append((plans, workers))
        if path is not None:
            self._submit(pool, path, size, data)

    def _release(self, plans: Any, workers: int) -> None:
        """Hand ``workers`` started workers the plan (loaded here, once) and the facts."""
        if not self._plan_loaded:
            try:
                self.plan = self.load_plan()
            except BaseException:
                plans.put(("abort", None))
                raise
            self._plan_loaded = True
        for _ in range(workers):
            plans.put(("plan", (self.plan, self.facts)))

    def outcomes(self) -> Iterator[tuple[str, _Outcome]]:
        """(path, outcome) of every submitted file, in submission order."""
        if not self.pending:
            return  # (a warm run: not even concurrent.futures is imported)
        from concurrent.futures.process import BrokenProcessPool

        for path, future in self.pending:
            try:
                outcome = future.result()
            except BrokenProcessPool:  # a worker died: what it left is retried one by one
                outcome = self._recover(path)
            yield path, outcome

    def _recover(self, path: str) -> _Outcome:
        """Analyse ``path`` alone in a one-worker pool (kept for the next retry): if it
        kills that worker too, the file gets a TP901 finding and the run goes on.

        A dead worker breaks its whole pool, so every file still queued there lands
        here; one pool for all of them costs one start-up, not one per file.
        """
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        if self._recovery is None:
            self._recovery = ProcessPoolExecutor(
                1,
                initializer=_init_isolated_worker,
                initargs=(self.config, self.plan, self.facts),
            )
        try:
            outcome: _Outcome = self._recovery.submit(
                _analyze_in_worker, path, self.config.root
            ).result()
            return outcome
        except BrokenProcessPool:
            self._recovery.shutdown(wait=True, cancel_futures=True)
            self._recovery = None
            root = self.config.root
            reason = "the analysis process died on this file (crashed or was killed)"
            diagnostics = [_json_unreadable(path, reason, root)]
            return _Outcome(_relative(path, root), diagnostics, [], [], cacheable=False)

    def close(self) -> None:
        for pool in self._pools:
            if pool.submitted == 0:
                _stop_unused(pool.executor)
            else:
                pool.executor.shutdown(wait=True, cancel_futures=True)
        self._pools.clear()
        if self._recovery is not None:
            self._recovery.shutdown(wait=True, cancel_futures=True)
            self._recovery = None
