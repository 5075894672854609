"""Which files ``trackplan lint`` scans: walk the given paths, minus excludes and ignored files.

Directories are walked for ``*.py`` files. Files that git ignores are skipped: inside a git
work tree git itself answers (``git ls-files --cached --others --exclude-standard``), so
every ``.gitignore``, ``.git/info/exclude`` and the global excludes file count exactly as
git counts them; outside one, a small ``.gitignore`` parser does the common part (globs,
``**``, ``/``-anchoring, trailing ``/`` for directories, ``!`` negation). Files named
explicitly are always scanned unless an ``exclude`` glob matches them (pre-commit passes
files explicitly, and ``exclude`` must still hold there).

``exclude`` globs (config key ``exclude``, on top of :data:`DEFAULT_EXCLUDE`): a pattern
without ``/`` matches any file or directory name at any depth (``migrations``,
``*_pb2.py``); a pattern with ``/`` matches the path relative to the project root
(``tests/fixtures``, ``src/**/generated_*.py``); a matching directory excludes everything
below it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from trackplan.linter.limits import GITIGNORE_MAX_BYTES
from trackplan.registry.fileio import read_text_capped

__all__ = ["DEFAULT_EXCLUDE", "ExcludeMatcher", "discover", "discover_files", "glob_to_regex"]

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".eggs",
    "__pycache__",
    "node_modules",
    "site-packages",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".trackplan_cache",
    "build",
    "dist",
)

_SOURCE_SUFFIXES = (".py",)
_GLOB_CHARS = re.compile(r"[*?\[]")


@lru_cache(maxsize=512)
def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """A regex for a ``/``-separated glob: ``*`` and ``?`` stay within one path segment,
    ``**`` spans segments, ``[...]`` is a character class (``[!...]`` negated)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == n:
            out.append("(?:/.*)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                out.append(re.escape(char))
                i += 1
            else:
                body = pattern[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end + 1
        elif char == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(char))
            i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


class ExcludeMatcher:
    """The ``exclude`` globs of a project, matched against paths relative to ``root``.

    Literal names (the defaults) are a set lookup and directory verdicts are memoised, so
    checking thousands of files costs little more than splitting their paths.
    """

    def __init__(self, root: Path, patterns: Iterable[str]) -> None:
        self.root = root
        self.patterns = tuple(patterns)
        names = [p.rstrip("/") for p in self.patterns if "/" not in p.rstrip("/")]
        self._literal = frozenset(n for n in names if not _GLOB_CHARS.search(n))
        self._names = [glob_to_regex(n) for n in names if _GLOB_CHARS.search(n)]
        self._anchored = [
            glob_to_regex(p.strip("/")) for p in self.patterns if "/" in p.rstrip("/")
        ]
        self._dirs: dict[str, bool] = {}

    @property
    def has_anchored(self) -> bool:
        """Whether some pattern is matched against whole paths (not just names)."""
        return bool(self._anchored)

    def excludes_name(self, name: str) -> bool:
        """Whether a file or directory called ``name`` is excluded wherever it is."""
        if name in self._literal:
            return True
        return bool(self._names) and any(rx.match(name) for rx in self._names)

    def excludes(self, path: str | Path) -> bool:
        """Whether ``path`` (absolute, or relative to the root) or one of its parents
        below the root is excluded."""
        return self.excludes_relative(_relative(path, self.root))

    def excludes_relative(self, rel: str) -> bool:
        """:meth:`excludes` for a ``/``-separated path relative to the root."""
        parent, _, name = rel.rpartition("/")
        return self._excludes_dir(parent) or self._excludes_rel(rel, name)

    def _excludes_rel(self, rel: str, name: str) -> bool:
        if self.excludes_name(name):
            return True
        return bool(self._anchored) and any(rx.match(rel) for rx in self._anchored)

    def _excludes_dir(self, rel_dir: str) -> bool:
        if not rel_dir:
            return False
        verdict = self._dirs.get(rel_dir)
        if verdict is None:
            parent, _, name = rel_dir.rpartition("/")
            verdict = self._excludes_dir(parent) or self._excludes_rel(rel_dir, name)
            self._dirs[rel_dir] = verdict
        return verdict


def _relative(path: str | Path, root: Path) -> str:
    text = str(path)
    if not os.path.isabs(text):
        text = os.path.join(root, text)
    base = str(root)
    if text.startswith(base + os.sep):
        text = text[len(base) + 1 :]
    return text.replace(os.sep, "/").lstrip("/")


def discover_files(paths: Sequence[Path], root: Path, exclude: Iterable[str] = ()) -> list[Path]:
    """Absolute paths of the files to scan, sorted, without duplicates.

    ``paths`` are files or directories (relative ones are taken from the working
    directory); a path that does not exist is skipped (the caller reports it).
    """
    return [Path(p) for p in discover(paths, root, exclude)]


def discover(
    paths: Sequence[Path], root: Path, exclude: Iterable[str] = (), *, check_files: bool = True
) -> list[str]:
    """:func:`discover_files` as plain strings (cheaper for thousands of files).

    ``check_files=False`` skips the per-file ``isfile`` test of git's listing (a tracked
    file deleted from the work tree, a FIFO): for a caller that stats every file anyway
    and skips what is not a regular file, as the lint run does.
    """
    matcher = ExcludeMatcher(root.resolve(), (*DEFAULT_EXCLUDE, *exclude))
    found: set[str] = set()
    for given in paths:
        path = given.resolve()
        if path.is_file():
            if not matcher.excludes(str(path)):
                found.add(str(path))
        elif path.is_dir():
            found.update(_walk(path, matcher, check_files))
    return sorted(found)


def _walk(directory: Path, matcher: ExcludeMatcher, check_files: bool = True) -> Iterator[str]:
    listed = _git_listing(directory)
    if listed is None:
        yield from _walk_with_gitignore(directory, matcher)
        return
    base = str(directory)
    inside = base == str(matcher.root) or base.startswith(str(matcher.root) + os.sep)
    prefix = _relative(directory, matcher.root) if inside else ""
    for rel in listed:
        if not rel.endswith(_SOURCE_SUFFIXES):
            continue
        absolute = f"{base}{os.sep}{rel}" if os.sep == "/" else os.path.join(base, rel)
        if inside:
            excluded = matcher.excludes_relative(f"{prefix}/{rel}" if prefix else rel)
        else:
            excluded = matcher.excludes(absolute)
        if excluded or (check_files and not os.path.isfile(absolute)):
            continue
        yield absolute


def _git_listing(directory: Path) -> list[str] | None:
    """Source files below ``directory`` that git does not ignore (tracked, and untracked
    but not ignored), relative to it; None outside a git work tree.

    git matches every ``.gitignore``, ``.git/info/exclude`` and the global excludes file
    itself, and the ``*.py`` pathspec keeps the listing to candidate files."""
    command = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--"]
    command += [f"*{suffix}" for suffix in _SOURCE_SUFFIXES]
    try:
        done = subprocess.run(
            command,
            cwd=directory,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    text = done.stdout.decode(sys.getfilesystemencoding(), "surrogateescape")  # = fsdecode
    return list({item for item in text.split("\0") if item})


# -- outside git: a small .gitignore reader ------------------------------------------------


@dataclass(frozen=True)
class _IgnoreRule:
    base: str  # directory of the .gitignore, relative to the walk root ("" for the root)
    regex: re.Pattern[str]
    anchored: bool
    directory_only: bool
    negated: bool

    def matches(self, rel: str, is_dir: bool) -> bool:
        if self.directory_only and not is_dir:
            return False
        if self.base:
            if not rel.startswith(self.base + "/"):
                return False
            rel = rel[len(self.base) + 1 :]
        target = rel if self.anchored else rel.rsplit("/", 1)[-1]
        return bool(self.regex.match(target))


def _read_gitignore(directory: str, base: str) -> list[_IgnoreRule]:
    try:
        text = read_text_capped(os.path.join(directory, ".gitignore"), GITIGNORE_MAX_BYTES)
    except OSError:  # absent, unreadable, not UTF-8, a FIFO or over the cap: no rules
        return []
    lines = text.splitlines()
    rules = []
    for raw in lines:
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        directory_only = line.endswith("/")
        line = line.rstrip("/")
        anchored = "/" in line
        line = line.lstrip("/")
        if not line:
            continue
        rules.append(_IgnoreRule(base, glob_to_regex(line), anchored, directory_only, negated))
    return rules


def _ignored(rules: Sequence[_IgnoreRule], rel: str, is_dir: bool) -> bool:
    verdict = False
    for rule in rules:
        if rule.matches(rel, is_dir):
            verdict = not rule.negated
    return verdict


def _walk_with_gitignore(directory: Path, matcher: ExcludeMatcher) -> Iterator[str]:
    top = str(directory)
    stack: list[tuple[str, str, list[_IgnoreRule]]] = [(top, "", _read_gitignore(top, ""))]
    while stack:
        current, rel_dir, rules = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            is_dir = entry.is_dir(follow_symlinks=False)
            if matcher.excludes_name(entry.name) or _ignored(rules, rel, is_dir):
                continue
            if is_dir:
                child_rules = rules + _read_gitignore(entry.path, rel)
                stack.append((entry.path, rel, child_rules))
            elif (
                entry.name.endswith(_SOURCE_SUFFIXES)
                and entry.is_file()
                and not (matcher.has_anchored and matcher.excludes(entry.path))
            ):
                yield entry.path
