"""The whole-project pass of a lint run, with its own small cache (libcst-free).

Wrapper inference needs to know, before any file is analysed, which names may be
tracking wrappers (:mod:`trackplan.linter.analysis.forwarding`): those names are
prefilter tokens, pruning keeps their calls, and the analyzers resolve them. This module
runs that pass for :func:`~trackplan.linter.runner.run_lint` in the parent process:

- a warm run whose files are all unchanged (same paths, ``(mtime_ns, size, inode)``, none
  modified within :data:`~trackplan.linter.cache.RACY_NS` of now) takes the stored facts
  and reads no file;
- otherwise the rounds run again, and each matched file's summary comes from the stored
  summaries by content digest when its bytes are unchanged (so only edited files are
  parsed, with CPython's ``ast``).

The facts' digest goes into the lint cache's settings digest: results cached under other
facts (a wrapper added, renamed or removed somewhere) are not reused, results of unchanged
files under the same facts are. Stored in ``.trackplan_cache/v1/facts-<key>.json``,
written atomically; a damaged file reads as a miss.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson
from trackplan.linter.analysis.forwarding import (
    FileSummary,
    ProjectFacts,
    Scanned,
    project_facts,
    sdk_call_names,
    summarise_source,
)
from trackplan.linter.cache import (
    CACHE_DIR_NAME,
    RACY_NS,
    _code_stamp,
    content_digest,
    digest_parts,
)
from trackplan.registry.fileio import InputFileError, atomic_write_bytes, read_bytes_capped

__all__ = ["facts_for_run"]

_MAX_BYTES = 8 * 1024 * 1024


def _read(path: str) -> bytes | None:
    try:
        return read_bytes_capped(path, _MAX_BYTES)
    except InputFileError:
        return None


def _stat_signature(
    files: Sequence[str], now_ns: int, stats: dict[str, os.stat_result] | None = None
) -> str | None:
    """A digest of every file's path and stat, or None when one was modified too
    recently to be trusted (an edit in the same timestamp tick could be missed). Each
    stat is also put in ``stats``."""
    parts: list[str] = []
    for path in files:
        try:
            stat = os.stat(path)
        except OSError:
            parts.append(f"{path}\0missing")
            continue
        if stats is not None:
            stats[path] = stat
        if now_ns - stat.st_mtime_ns < RACY_NS:
            return None
        parts.append(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\0{stat.st_ino}")
    return digest_parts(parts)


def facts_for_run(
    root: Path,
    files: Sequence[str],
    tokens: Iterable[bytes],
    *,
    use_cache: bool = True,
    declared: Iterable[str] = (),
    scanned: Scanned | None = None,
) -> ProjectFacts:
    """The whole-project facts for a lint run over ``files`` (absolute paths);
    ``declared``: the declared wrappers' qualified names. When the files had to be read,
    ``scanned`` is told what the reads found (see
    :class:`~trackplan.linter.analysis.forwarding.Scanned`).

    The pass seeds candidates from the SDK method names of every posthog version (and
    the declared wrappers' names): the facts do not depend on the installed SDK, so a
    warm run neither detects its version nor builds the signature table. trackplan's own
    code is part of the store's key."""
    wanted = tuple(sorted(set(tokens)))
    targets = tuple(sorted(set(declared)))
    key = digest_parts(
        [
            "facts-3",
            *_code_stamp(),
            *(t.decode("utf-8", "surrogateescape") for t in wanted),
            "--",
            *targets,
        ]
    )
    store = root / CACHE_DIR_NAME / "v1" / f"facts-{key[:24]}.json"
    stats = scanned.stats if scanned is not None else None
    signature = _stat_signature(files, time.time_ns(), stats) if use_cache else None
    stored: dict[str, Any] = {}
    if use_cache:
        with contextlib.suppress(OSError, orjson.JSONDecodeError, ValueError):
            loaded = orjson.loads(store.read_bytes())
            if isinstance(loaded, dict):
                stored = loaded
        if signature is not None and stored.get("signature") == signature:
            facts = _facts_from_json(stored.get("facts"))
            if facts is not None:
                return facts
    known = stored.get("summaries") if isinstance(stored.get("summaries"), dict) else {}
    assert isinstance(known, dict)
    summaries: dict[str, Any] = {}

    def summary_of(_path: str, data: bytes) -> FileSummary:
        digest = content_digest(data)
        raw = known.get(digest)
        summary: FileSummary | None = None
        if isinstance(raw, dict):
            with contextlib.suppress(TypeError, ValueError, AttributeError):
                summary = FileSummary.from_json(raw)
        if summary is None:
            summary = summarise_source(data)
        summaries[digest] = summary.to_json()
        return summary

    names = sdk_call_names() | {t.rpartition(".")[2] for t in targets}
    facts, _ = project_facts(list(files), wanted, names, _read, summary_of, targets, scanned)
    if use_cache:
        document = {
            "signature": signature,
            "facts": {
                "wrappers": sorted(facts.wrapper_names),
                "attrs": sorted(facts.client_attrs),
                "args": sorted(facts.arg_types),
                "subclasses": sorted(facts.subclasses),
            },
            "summaries": summaries,
        }
        with contextlib.suppress(OSError):
            store.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(store, orjson.dumps(document))
    return facts


def _facts_from_json(raw: object) -> ProjectFacts | None:
    if not isinstance(raw, dict):
        return None
    wrappers = raw.get("wrappers")
    attrs = raw.get("attrs")
    args = raw.get("args")
    subclasses = raw.get("subclasses")
    if not (
        isinstance(wrappers, list)
        and isinstance(attrs, list)
        and isinstance(args, list)
        and isinstance(subclasses, list)
    ):
        return None
    return ProjectFacts(
        frozenset(map(str, wrappers)),
        frozenset(map(str, attrs)),
        frozenset(map(str, args)),
        frozenset(map(str, subclasses)),
    )
