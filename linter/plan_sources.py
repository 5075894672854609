"""Plans from the working tree or from git: ``PATH``, ``git:REF:PATH`` and plan history.

``trackplan diff`` and ``trackplan check --against`` compare plans that may not exist
as files: ``git:REF:PATH`` is the plan file or directory ``PATH`` (relative to the
working directory, as git reads ``REF:./PATH``) at commit ``REF``. Its files are
written below a temporary directory (the caller owns it) and loaded like any plan;
:func:`display_path` turns those temporary paths back into ``REF:PATH`` for output.
:func:`history` lists every earlier version of a plan path (the commits reachable
from ``REF`` that changed it, newest first, identical contents once) for the
``*_transitive`` modes. Git runs as a subprocess (``git`` on PATH); every failure is a
:class:`PlanSourceError` with git's own message.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trackplan.registry.fileio import atomic_write_bytes
from trackplan.registry.loader import PLAN_SUFFIXES

__all__ = [
    "NoPlanAtRef",
    "PlanSource",
    "PlanSourceError",
    "display_path",
    "history",
    "materialize",
    "parse",
]

_PREFIX = "git:"


class PlanSourceError(Exception):
    """A plan argument that cannot be read (bad ref, path not in the commit, no git)."""


class NoPlanAtRef(PlanSourceError):
    """The ref exists (or is the unborn ``HEAD`` of a new repository) but has no plan."""


@dataclass(frozen=True)
class PlanSource:
    """Where a plan comes from: ``ref`` is None for the working tree."""

    paths: tuple[str, ...]
    ref: str | None = None

    @property
    def label(self) -> str:
        joined = ", ".join(self.paths)
        return f"git:{self.ref}:{joined}" if self.ref is not None else joined


def parse(spec: str) -> PlanSource:
    """``git:REF:PATH`` or a plain path (``git:`` paths split at the last ``:``)."""
    if not spec.startswith(_PREFIX):
        return PlanSource((spec,))
    rest = spec[len(_PREFIX) :]
    ref, sep, path = rest.rpartition(":")
    if not sep or not ref or not path:
        raise PlanSourceError(f"`{spec}`: expected git:REF:PATH, e.g. git:origin/main:plans")
    return PlanSource((path,), ref)


def _git(args: Sequence[str], cwd: Path) -> bytes:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError as exc:
        raise PlanSourceError("git is not installed (needed for git:REF:PATH)") from exc
    except subprocess.TimeoutExpired as exc:
        raise PlanSourceError(f"git {' '.join(args)} timed out") from exc
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PlanSourceError(f"git {' '.join(args)}: {message[-1] if message else 'failed'}")
    return proc.stdout


def _files_at(ref: str, path: str, cwd: Path) -> list[str]:
    out = _git(["ls-tree", "-r", "--full-name", "--name-only", ref, "--", path], cwd)
    names = [n for n in out.decode("utf-8", "surrogateescape").splitlines() if n]
    return [n for n in names if n.endswith(PLAN_SUFFIXES)]


def materialize(source: PlanSource, cwd: Path, into: Path) -> list[Path]:
    """The plan paths to load: the paths themselves, or their copies from git."""
    if source.ref is None:
        return [Path(p) for p in source.paths]
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).decode().strip())
    if source.ref == "HEAD" and not _has_commits(cwd):
        raise NoPlanAtRef(f"HEAD: no commit yet, so no earlier plan at {source.label}")
    prefix = _git(["rev-parse", "--show-prefix"], cwd).decode().strip()
    out: list[Path] = []
    for path in source.paths:
        names = _files_at(source.ref, path, cwd)
        if not names:
            raise NoPlanAtRef(f"{source.ref}:{path}: no plan files at that commit")
        for name in names:
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, _git(["show", f"{source.ref}:{name}"], top))
        out.append(into / prefix / path)
    return out


def _has_commits(cwd: Path) -> bool:
    try:
        _git(["rev-parse", "--verify", "--quiet", "HEAD"], cwd)
    except PlanSourceError:
        return False
    return True


def display_path(path: str, roots: dict[Path, str]) -> str:
    """``path`` with a temporary git copy's root replaced by ``REF:`` (else unchanged)."""
    for root, ref in roots.items():
        try:
            rel = Path(path).resolve().relative_to(root.resolve())
        except ValueError:
            continue
        return f"{ref}:{rel.as_posix()}"
    return path


def history(source: PlanSource, cwd: Path) -> list[PlanSource]:
    """Every version of the plan at ``source`` and before it, newest first, deduplicated.

    For a working-tree path the history starts at ``HEAD``.
    """
    ref = source.ref or "HEAD"
    commits = _git(["log", "--format=%H", ref, "--", *source.paths], cwd).decode().split()
    versions: list[PlanSource] = []
    seen: set[str] = set()
    for commit in commits:
        trees: list[str] = []
        for path in source.paths:
            listing = _git(["ls-tree", "-r", commit, "--", path], cwd).decode()
            trees.append(listing)
        if not any(trees):
            continue  # the plan was deleted in that commit
        key = "\n".join(trees)
        if key in seen:
            continue
        seen.add(key)
        versions.append(PlanSource(source.paths, commit[:12]))
    return versions
