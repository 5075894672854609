"""The on-disk cache of ``trackplan lint``: per-file results and a stat index.

Lives in ``.trackplan_cache/`` at the project root (with a ``CACHEDIR.TAG`` and a
``.gitignore`` of ``*`` so backups and git leave it alone). Two parts:

- **Results**, one JSON file per analysed source file and *settings digest* (trackplan's
  own code, the wrappers and posthog version, the bytes of every plan file, the project's
  dependency declarations), holding the content digest it was computed for. Each entry
  lists the project files the result depends on (the modules its constants, enums,
  instances and wrappers come from) with their content digests; a hit requires the file
  and every one of them unchanged, so editing ``app/events.py`` re-analyses the files
  that import from it. A new content replaces the file's entry, and only the
  :data:`KEEP_SETTINGS` most recently used settings digests are kept, so the cache stays
  bounded.
- **The stat index**, one JSON file remembering, per file, its ``(mtime_ns, size, inode)``,
  whether it passed the prefilter for the current trigger tokens and its content digest.
  A warm run stats files instead of reading them. An entry is only trusted when the
  file's mtime is at least :data:`RACY_NS` older than the moment its content was read
  (git's "racily clean" rule), so an edit in the same timestamp tick is never missed.

Every write goes to a temporary file in the same directory and is renamed into place
(atomic on POSIX and Windows; no fsync: a cache file lost in a crash is only a miss), so
concurrent runs never see a torn file. Every read is capped in size
(:mod:`trackplan.linter.limits`), regular files only, and checked against the exact shape
written here (:func:`~trackplan.linter.outcomes.valid_diagnostic`, ``valid_call``): a
damaged, truncated, foreign or hostile file reads as a miss, never an error.
``--no-cache`` bypasses both reading and writing.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

import orjson
from trackplan.linter.limits import (
    CACHE_ENTRY_MAX_BYTES,
    CACHE_INDEX_MAX_BYTES,
    MAX_DECLARATION_BYTES,
)
from trackplan.linter.outcomes import valid_call, valid_diagnostic
from trackplan.registry.fileio import read_bytes_capped

if TYPE_CHECKING:
    from trackplan.linter.config import Config

__all__ = [
    "CACHE_DIR_NAME",
    "RACY_NS",
    "CachedResult",
    "FileState",
    "LintCache",
    "content_digest",
    "digest_parts",
    "settings_digest",
]

CACHE_DIR_NAME = ".trackplan_cache"
FORMAT_VERSION = 1
KEEP_SETTINGS = 8  # result sets (settings digests) kept: branches, plan edits, configs
_NAME = re.compile(r"[a-z0-9_-]{1,64}")
RACY_NS = 2_000_000_000  # covers 1 s and 2 s mtime granularities (ext3, HFS+, FAT)


def content_digest(data: bytes) -> str:
    """The digest used for file contents in cache keys."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class FileState:
    """What the stat index remembers of one file.

    ``matched`` is the prefilter verdict (None: never prefiltered, only hashed as a
    dependency); ``digest`` is None when the content was not hashed.
    """

    mtime_ns: int
    size: int
    inode: int
    read_ns: int
    matched: bool | None
    digest: str | None

    def fresh_for(self, stat: os.stat_result) -> bool:
        return (
            stat.st_mtime_ns == self.mtime_ns
            and stat.st_size == self.size
            and stat.st_ino == self.inode
            and stat.st_mtime_ns + RACY_NS < self.read_ns
        )


@dataclass(frozen=True)
class CachedResult:
    """A stored analysis: JSON-ready diagnostics and calls (paths relative to the root)
    and the dependencies ``(relative path, digest)`` it was computed against."""

    diagnostics: list[dict[str, Any]]
    calls: list[dict[str, Any]]
    dependencies: list[tuple[str, str]]


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        with _suppress_os_error():
            os.unlink(temporary)
        raise


class _suppress_os_error:
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, value: object, traceback: object) -> bool:
        return isinstance(value, OSError)


def _read_json(path: Path, limit: int = CACHE_ENTRY_MAX_BYTES) -> Any:
    """The JSON in a cache file, or None when it is missing, not a regular file, larger
    than ``limit``, or not JSON (orjson refuses nesting over 1024 levels, NaN and numbers
    beyond 64 bits): every damaged or foreign file is a miss, never an error."""
    try:
        return orjson.loads(read_bytes_capped(path, limit))
    except (OSError, orjson.JSONDecodeError, RecursionError, MemoryError):
        return None


def _storable(text: str) -> bool:
    """Whether ``text`` can be written as JSON (a file name that is not UTF-8 cannot)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _valid_state(raw: object) -> TypeGuard[list[Any]]:
    """Whether a stat index entry has the shape :meth:`LintCache.remember` writes."""
    return (
        type(raw) is list
        and len(raw) == 6
        and all(type(n) is int for n in raw[:4])
        and (raw[4] is None or type(raw[4]) is bool)
        and (raw[5] is None or type(raw[5]) is str)
    )


def _dependencies(raw: object) -> list[tuple[str, str]] | None:
    if type(raw) is not list:
        return None
    out: list[tuple[str, str]] = []
    for item in raw:
        if type(item) is not list or len(item) != 2 or not all(type(p) is str for p in item):
            return None
        out.append((item[0], item[1]))
    return out


class LintCache:
    """The cache of one project root for one settings digest and one token set."""

    def __init__(self, root: Path, settings_digest: str) -> None:
        self.root = root
        self.directory = root / CACHE_DIR_NAME
        self.settings_digest = settings_digest
        self.tokens_digest = ""
        self._version_dir = self.directory / f"v{FORMAT_VERSION}"
        self._index_path = self._version_dir / "index.json"
        self._index: dict[str, list[Any]] = {}
        self._index_dirty = False

    @staticmethod
    def exists(root: Path) -> bool:
        """Whether ``root`` has a stat index at all (for any settings): without one a
        run is surely cold, before its settings digest is known."""
        return (root / CACHE_DIR_NAME / f"v{FORMAT_VERSION}" / "index.json").is_file()

    # -- the stat index ---------------------------------------------------------------

    def load_index(self, tokens_digest: str) -> None:
        """Read the index; it only counts if it was built for the same trigger tokens."""
        self.tokens_digest = tokens_digest
        data = _read_json(self._index_path, CACHE_INDEX_MAX_BYTES)
        if (
            isinstance(data, dict)
            and data.get("tokens") == self.tokens_digest
            and isinstance(data.get("files"), dict)
        ):
            # entries are checked where they are used (state, fresh_verdict,
            # forget_missing): a warm run touches each one once anyway
            self._index = data["files"]

    def is_cold(self) -> bool:
        """Whether the index knows no file (a first run: every candidate is a miss)."""
        return not self._index

    def state(self, rel: str) -> FileState | None:
        raw = self._index.get(rel)
        return FileState(*raw) if _valid_state(raw) else None

    def fresh_verdict(self, rel: str, stat: os.stat_result) -> str | None:
        """The prefilter verdict of an unchanged file without reading it: its content
        digest if it passed, ``""`` if it did not, None if the file must be read.

        (The hot path of a warm run: works on the raw index entry, builds no objects.)
        """
        raw = self._index.get(rel)
        if (
            type(raw) is not list
            or len(raw) != 6
            or raw[4] is None
            or raw[0] != stat.st_mtime_ns
            or raw[1] != stat.st_size
            or raw[2] != stat.st_ino
            or not isinstance(raw[3], int)
            or stat.st_mtime_ns + RACY_NS >= raw[3]
        ):
            return None
        if not raw[4]:
            return ""
        return raw[5] if isinstance(raw[5], str) and raw[5] else None

    def remember(self, rel: str, state: FileState) -> None:
        if not _storable(rel):
            return  # a file name that is not UTF-8: analysed every run, never indexed
        self._index[rel] = [
            state.mtime_ns,
            state.size,
            state.inode,
            state.read_ns,
            state.matched,
            state.digest,
        ]
        self._index_dirty = True

    def forget_missing(self, present: Iterable[str], below: str = "") -> None:
        """Drop prefilter entries below ``below`` (a relative directory, "" for the root)
        whose files were not discovered in a run that walked all of it (deleted files)."""
        seen = set(present)
        prefix = f"{below}/" if below else ""
        stale = [
            rel
            for rel, raw in self._index.items()
            if rel.startswith(prefix)
            and rel not in seen
            and (not _valid_state(raw) or raw[4] is not None)
        ]
        for rel in stale:
            del self._index[rel]
        self._index_dirty |= bool(stale)

    def save_index(self) -> None:
        """Write the index back, only if this run changed it."""
        if not self._index_dirty:
            return
        self._prepare()
        body = {"version": FORMAT_VERSION, "tokens": self.tokens_digest, "files": self._index}
        try:
            data = orjson.dumps(body)
        except orjson.JSONEncodeError:
            return  # (only entries we wrote are there: cannot happen) no index this time
        _write_atomic(self._index_path, data)
        self._index_dirty = False

    # -- the tokens of a settings digest ------------------------------------------------

    def stored_tokens(self, key: str) -> tuple[bytes, ...] | None:
        data = _read_json(self._version_dir / "tokens" / f"{key}.json")
        if isinstance(data, list) and len(data) > 10_000:
            return None
        if not isinstance(data, list) or not all(isinstance(t, str) for t in data):
            return None
        return tuple(t.encode("utf-8", "surrogateescape") for t in data)

    def store_tokens(self, key: str, tokens: Iterable[bytes]) -> None:
        self._prepare()
        body = [t.decode("utf-8", "surrogateescape") for t in tokens]
        _write_atomic(self._version_dir / "tokens" / f"{key}.json", orjson.dumps(body))

    # -- per-file results ---------------------------------------------------------------

    def _settings_dir(self) -> Path:
        return self._version_dir / "results" / self.settings_digest[:24]

    def _entry_path(self, rel: str) -> Path:
        key = hashlib.blake2b(rel.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
        return self._settings_dir() / key[:2] / f"{key}.json"

    def get(self, rel: str, digest: str) -> CachedResult | None:
        """The stored result for this content of ``rel`` (dependencies not yet checked)."""
        data = _read_json(self._entry_path(rel))
        if not isinstance(data, dict) or data.get("path") != rel or data.get("digest") != digest:
            return None
        diagnostics, calls = data.get("diagnostics"), data.get("calls")
        dependencies = _dependencies(data.get("dependencies"))
        if (
            type(diagnostics) is not list
            or type(calls) is not list
            or dependencies is None
            or not all(valid_diagnostic(d) for d in diagnostics)
            or not all(valid_call(c) for c in calls)
        ):
            return None  # a damaged or foreign entry: analysed again
        return CachedResult(diagnostics, calls, dependencies)

    def put(self, rel: str, digest: str, result: CachedResult) -> None:
        """Store ``result`` as the one entry of ``rel`` (replacing older contents' entry)."""
        self._prepare()
        body: Mapping[str, Any] = {
            "path": rel,
            "digest": digest,
            "diagnostics": result.diagnostics,
            "calls": result.calls,
            "dependencies": result.dependencies,
        }
        try:
            data = orjson.dumps(body)
        except orjson.JSONEncodeError:
            return  # not storable (cannot happen for what workers return): no entry
        _write_atomic(self._entry_path(rel), data)

    def prune(self, keep: int = KEEP_SETTINGS) -> None:
        """Keep the results of the ``keep`` most recently used settings digests only.

        One entry per file per settings digest bounds the cache to about ``keep`` times
        the analysed files. A concurrent run still using a removed set just misses.
        """
        current = self._settings_dir()
        if not current.is_dir():
            return
        os.utime(current)  # mark as recently used
        sets = sorted(
            (p for p in current.parent.iterdir() if p.is_dir()),
            key=lambda p: p.stat().st_mtime_ns,
            reverse=True,
        )
        for stale in sets[keep:]:
            if stale != current:
                shutil.rmtree(stale, ignore_errors=True)

    # -- project-level summaries (the hook of whole-project passes) ----------------------

    def get_summary(self, kind: str, digest: str, valid: Callable[[Any], bool]) -> Any | None:
        """A summary of kind ``kind`` computed from a file whose content digest is
        ``digest`` under these settings, or None (absent, damaged, or refused by
        ``valid``, the caller's exact shape check).

        For whole-project passes (e.g. the exports of a module that wrapper inference
        reads): a summary depends only on one file's content and the settings, so a warm
        run reads it back instead of parsing the file. Summaries live with the results
        of their settings digest and are pruned with them.
        """
        data = _read_json(self._summary_path(kind, digest))
        return data if data is not None and valid(data) else None

    def put_summary(self, kind: str, digest: str, data: Any) -> None:
        """Store a summary (JSON-ready ``data``); not storable data is skipped."""
        try:
            body = orjson.dumps(data)
        except orjson.JSONEncodeError:
            return
        self._prepare()
        _write_atomic(self._summary_path(kind, digest), body)

    def _summary_path(self, kind: str, digest: str) -> Path:
        if not _NAME.fullmatch(kind) or not _NAME.fullmatch(digest):
            raise ValueError(f"not a summary key: {kind!r}, {digest!r}")
        return self._settings_dir() / "summaries" / kind / digest[:2] / f"{digest}.json"

    # -- markers (facts about a settings digest, e.g. "this plan loaded fine") ------------

    def has_marker(self, name: str) -> bool:
        return (self._version_dir / "markers" / name).is_file()

    def put_marker(self, name: str) -> None:
        self._prepare()
        _write_atomic(self._version_dir / "markers" / name, b"ok\n")

    # -- housekeeping -------------------------------------------------------------------

    def _prepare(self) -> None:
        if (self.directory / "CACHEDIR.TAG").exists():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / ".gitignore").write_text("# Created by trackplan.\n*\n")
        (self.directory / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by trackplan.\n"
        )


# -- the settings digest -----------------------------------------------------------------


def digest_parts(parts: Iterable[str]) -> str:
    """One digest of several strings (NUL-separated)."""
    return content_digest("\0".join(parts).encode("utf-8", "surrogateescape"))


def _file_part(path: Path) -> str:
    try:  # capped, regular files only: what the version reader would read, nothing more
        return f"{path}={content_digest(read_bytes_capped(path, MAX_DECLARATION_BYTES))}"
    except OSError:
        return f"{path}=missing"


@functools.cache
def _code_stamp() -> tuple[str, ...]:
    """trackplan's own code: a new version or an edited analyzer invalidates the cache
    (taken once per process: the lint cache and the whole-project pass both use it)."""
    import trackplan.registry

    out: list[str] = []
    for package in (Path(__file__).parent, *map(Path, trackplan.registry.__path__)):
        for directory, dirs, files in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".json", ".txt")):
                    stat = os.stat(os.path.join(directory, name))
                    out.append(f"{directory}/{name}:{stat.st_mtime_ns}:{stat.st_size}")
    return tuple(out)


def _plan_files(plan: Path | None) -> list[Path]:
    if plan is None:
        return []
    if plan.is_dir():
        return sorted(p for p in plan.rglob("*") if p.suffix in (".yaml", ".yml"))
    return [plan]


def _declarations(root: Path) -> list[Path]:
    """The files a project declares its posthog version in (the analyzer reads them)."""
    named = [root / n for n in ("pyproject.toml", "setup.cfg", "setup.py")]
    return named + sorted(root.glob("requirements*.txt")) + sorted(root.glob("requirements/*.txt"))


def _installed_sdks() -> Iterator[str]:
    from importlib.util import find_spec

    for name in ("posthog", "posthoganalytics"):
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        locations = list(spec.submodule_search_locations or []) if spec else []
        for location in locations:
            yield _file_part(Path(location) / "version.py")


def settings_digest(config: Config) -> str:
    """Everything besides a file's own content (and its dependencies) that its analysis
    depends on. Selection and severity are not part of it: they are applied after."""
    parts = [
        "trackplan-lint",
        *_code_stamp(),
        f"root={config.root}",
        f"posthog-version={config.posthog_version}",
        *(f"wrapper={k}={v}" for k, v in sorted(config.wrappers.items())),
        *(f"plan:{_file_part(p)}" for p in _plan_files(config.plan)),
        *(f"declared:{_file_part(p)}" for p in _declarations(config.root)),
        *_installed_sdks(),
    ]
    return digest_parts(parts)
