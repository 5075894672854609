"""Changed-lines mode: which lines a branch added or changed since a git ref.

``trackplan lint --changed-since REF`` reports only findings on those lines, so a pull
request is judged by what it touches, not by the codebase it lands in. The lines come
from ``git diff -U0 -M <merge-base>`` against the working tree (so uncommitted edits
count too) plus every line of untracked, not ignored files. Renamed files count only
their edited lines; deleted lines add nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from trackplan.linter.limits import SOURCE_READ_MAX_BYTES
from trackplan.registry.diagnostics import Diagnostic
from trackplan.registry.fileio import read_bytes_capped

__all__ = ["ChangesError", "changed_lines", "on_changed_lines"]

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r"}


class ChangesError(Exception):
    """git is missing, the path is not in a repository, or the ref is unknown."""


def _git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=repo,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise ChangesError(f"cannot run git: {exc}") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise ChangesError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout.decode("utf-8", errors="surrogateescape")


def _unquote(name: str) -> str:
    """A path as git prints it in a diff header (C-quoted when it has odd characters)."""
    if not (name.startswith('"') and name.endswith('"')):
        return name
    body = name[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in "01234567" and i + 4 <= len(body):
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
            out += _ESCAPES.get(nxt, nxt).encode("utf-8")
            i += 2
            continue
        out += char.encode("utf-8", errors="surrogateescape")
        i += 1
    return out.decode("utf-8", errors="surrogateescape")


def _parse_diff(diff: str, top: Path) -> dict[str, set[int]]:
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = line[4:].rstrip("\t")
            if target == "/dev/null":
                current = None
                continue
            target = _unquote(target)
            if target.startswith("b/"):
                target = target[2:]
            current = changed.setdefault(str(top / target), set())
        elif current is not None and line.startswith("@@"):
            match = _HUNK.match(line)
            if match:
                start = int(match.group(1))
                count = 1 if match.group(2) is None else int(match.group(2))
                current.update(range(start, start + count))
    return changed


def _line_count(path: Path) -> int:
    try:
        data = read_bytes_capped(path, SOURCE_READ_MAX_BYTES)
    except OSError:  # also a FIFO or device (never opened) or a file over the cap
        return 0
    return data.count(b"\n") + (0 if not data or data.endswith(b"\n") else 1)


def changed_lines(repo: Path, ref: str) -> dict[str, set[int]]:
    """Absolute path -> line numbers added or changed since the merge-base with ``ref``.

    Files whose changes are only deletions map to an empty set. Raises
    :class:`ChangesError` when ``repo`` is not in a git work tree or ``ref`` is unknown.
    """
    top = Path(_git(Path(repo), "rev-parse", "--show-toplevel").strip())
    base = _git(top, "merge-base", ref, "HEAD").strip()
    diff = _git(
        top,
        "diff",
        "-U0",
        "-M",
        "--no-color",
        "--no-ext-diff",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        base,
        "--",
    )
    changed = _parse_diff(diff, top)
    untracked = _git(top, "ls-files", "-z", "--others", "--exclude-standard")
    for name in filter(None, untracked.split("\0")):
        path = top / name
        changed[str(path)] = set(range(1, _line_count(path) + 1))
    return changed


def on_changed_lines(
    diagnostics: Iterable[Diagnostic], changed: Mapping[str, set[int]]
) -> list[Diagnostic]:
    """The findings whose line span touches a changed line.

    Paths are compared as absolute paths (relative ones are taken from the working
    directory). A finding in a changed file without a line is kept.
    """
    wanted = {os.path.realpath(path): lines for path, lines in changed.items()}
    kept: list[Diagnostic] = []
    for diag in diagnostics:
        if not diag.path:
            continue
        lines = wanted.get(os.path.realpath(diag.path))
        if lines is None:
            continue
        if diag.line is None:
            kept.append(diag)
            continue
        span = range(diag.line, max(diag.line, diag.end_line or diag.line) + 1)
        if any(number in lines for number in span):
            kept.append(diag)
    return kept
