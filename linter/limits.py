"""The size and depth limits of what ``trackplan lint`` reads: one table, used everywhere.

Every file the lint side reads (source files, ``.gitignore`` files, baselines, cache
entries, the files ``coverage`` quotes) goes through
:func:`trackplan.registry.fileio.read_bytes_capped` with one of these caps, so a FIFO, a
device or a runaway file can cost neither unbounded memory nor a hang. The figures and
why they were chosen are in ``docs/limits.md`` (section "Source files, baselines and
cache"); keep the two in step.
"""

from __future__ import annotations

__all__ = [
    "BASELINE_MAX_BYTES",
    "CACHE_ENTRY_MAX_BYTES",
    "CACHE_INDEX_MAX_BYTES",
    "DEFAULT_MAX_FILE_SIZE",
    "GITIGNORE_MAX_BYTES",
    "HARD_MAX_FILE_SIZE",
    "MAX_DECLARATION_BYTES",
    "SOURCE_READ_MAX_BYTES",
]

#: ``max-file-size`` default: a source file larger than this is TP901 "too large to
#: analyse" when it mentions a trigger token (and skipped silently when it does not).
DEFAULT_MAX_FILE_SIZE = 1024 * 1024

#: The largest ``max-file-size`` a project may configure.
HARD_MAX_FILE_SIZE = 64 * 1024 * 1024

#: What the analyzer reads of a file itself (the library API, dependency modules): the
#: lint run has applied the configured ``max-file-size`` before this.
SOURCE_READ_MAX_BYTES = HARD_MAX_FILE_SIZE

#: A ``.gitignore`` file (outside git; inside a work tree git reads them itself).
GITIGNORE_MAX_BYTES = 1024 * 1024

#: A baseline file: about 150 bytes an entry, so room for ~400k grandfathered findings.
BASELINE_MAX_BYTES = 64 * 1024 * 1024

#: One per-file result in the cache (the findings and calls of one source file).
CACHE_ENTRY_MAX_BYTES = 16 * 1024 * 1024

#: The stat index of the cache: about 120 bytes a file, so room for ~2M files.
CACHE_INDEX_MAX_BYTES = 256 * 1024 * 1024

#: JSON depth: parsed with orjson, which refuses nesting over 1024 levels (an error, not
#: a RecursionError), then checked against the exact shape of our formats (at most four
#: levels deep), so nothing deeper is ever walked.

#: Largest requirements file, setup.cfg, setup.py (or the SDK's ``version.py``) read for
#: the posthog version (declarations are small; a bigger file declares nothing as far
#: as trackplan is concerned).
MAX_DECLARATION_BYTES = 1 << 20
