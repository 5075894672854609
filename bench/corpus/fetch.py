"""Fetch the corpus apps: each repository at its pinned commit, into a cache directory.

Usage::

    python bench/corpus/fetch.py [--cache DIR] [--mirror DIR] [APP ...]

Each app listed in ``bench/corpus/apps/*.toml`` is exported at its ``commit`` into
``<cache>/<name>/`` (default cache: ``~/.cache/trackplan-corpus``). Only what the analyzer
reads is exported: Python files and the files that declare dependencies (``*.toml``,
``*.cfg``, ``requirements*.txt``, ``setup.py``, ``.gitignore``). The exported tree is then
made a git work tree of its own (one commit), as a user's checkout would be, so that
discovery through ``git ls-files`` behaves as on a real project.

By default the commit is fetched from the app's GitHub repository (``git fetch --depth 1
origin <commit>``: GitHub serves any reachable commit by id). ``--mirror DIR`` takes
``DIR/<owner>+<name>/repo`` (a bare git directory) instead, for machines without network
access to GitHub. An app already in the cache at the same commit is left as it is
(``<cache>/<name>/.corpus-commit`` records the commit).

Nothing of the apps is stored in this repository: only the manifests (names, commit ids,
licences and hand-made labels).
"""

from __future__ import annotations

import argparse
import fnmatch
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = Path.home() / ".cache" / "trackplan-corpus"
WANTED = ("*.py", "*.toml", "*.cfg", "requirements*.txt", ".gitignore")
MARKER = ".corpus-commit"


def load_apps(names: list[str] | None = None) -> list[dict]:
    """Every app manifest (sorted by name), or those named."""
    apps = []
    for path in sorted((HERE / "apps").glob("*.toml")):
        with path.open("rb") as handle:
            app = tomllib.load(handle)
        app["manifest"] = str(path)
        apps.append(app)
    if names:
        known = {a["name"] for a in apps}
        unknown = sorted(set(names) - known)
        if unknown:
            raise SystemExit(
                f"unknown app(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        apps = [a for a in apps if a["name"] in names]
    return apps


def _git(*args: str, cwd: Path | None = None) -> bytes:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def _mirror_dir(mirror: Path, repo_url: str) -> Path:
    owner, name = repo_url.rstrip("/").split("/")[-2:]
    return mirror / f"{owner}+{name}" / "repo"


def _archive(git_dir: Path, commit: str) -> bytes:
    """A tar of the wanted files at ``commit``; files the store lacks (too big) are skipped."""
    listing = _git("--git-dir", str(git_dir), "ls-tree", "-r", "-z", "--name-only", commit)
    names = [
        n
        for n in listing.decode("utf-8", "surrogateescape").split("\0")
        if n and any(fnmatch.fnmatchcase(n.rsplit("/", 1)[-1], w) for w in WANTED)
    ]
    query = "".join(f"{commit}:{name}\n" for name in names).encode("utf-8", "surrogateescape")
    checked = subprocess.run(
        ["git", "--git-dir", str(git_dir), "cat-file", "--batch-check"],
        input=query,
        capture_output=True,
        check=True,
    )
    answers = checked.stdout.decode("utf-8", "surrogateescape").splitlines()
    present = [
        name for name, answer in zip(names, answers, strict=True) if not answer.endswith(" missing")
    ]
    if not present:
        raise RuntimeError(f"no Python files at {commit}")
    out = io.BytesIO()
    chunk = 500
    with tarfile.open(fileobj=out, mode="w") as tar:
        for start in range(0, len(present), chunk):
            part = _git(
                "--git-dir",
                str(git_dir),
                "archive",
                "--format=tar",
                commit,
                "--",
                *present[start : start + chunk],
            )
            with tarfile.open(fileobj=io.BytesIO(part)) as piece:
                for member in piece.getmembers():
                    if member.isfile():
                        tar.addfile(member, piece.extractfile(member))
    return out.getvalue()


def _fetch_from_github(url: str, commit: str, scratch: Path) -> Path:
    git_dir = scratch / "repo.git"
    _git("init", "-q", "--bare", str(git_dir))
    _git("--git-dir", str(git_dir), "fetch", "-q", "--depth", "1", url, commit)
    return git_dir


def fetch_app(app: dict, cache: Path, mirror: Path | None) -> Path:
    """The app's tree in the cache (exported if not there yet)."""
    target = cache / app["name"]
    commit = app["commit"]
    marker = target / MARKER
    if marker.is_file() and marker.read_text().strip() == commit:
        return target
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        scratch = Path(tmp)
        if mirror is not None:
            git_dir = _mirror_dir(mirror, app["repo"])
            if not git_dir.is_dir():
                raise RuntimeError(f"no mirror at {git_dir}")
        else:
            git_dir = _fetch_from_github(app["repo"], commit, scratch)
        data = _archive(git_dir, commit)
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(target, filter="data")
    _git("init", "-q", cwd=target)
    _git("add", "-A", cwd=target)
    _git(
        "-c",
        "user.name=corpus",
        "-c",
        "user.email=corpus@localhost",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "-m",
        f"{app['repo']} at {commit}",
        cwd=target,
    )
    marker.write_text(commit + "\n")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("apps", nargs="*", help="app names (default: all)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--mirror", type=Path, help="directory of bare mirrors <owner>+<name>/repo")
    args = parser.parse_args(argv)
    failed = 0
    for app in load_apps(args.apps):
        try:
            where = fetch_app(app, args.cache, args.mirror)
        except (RuntimeError, OSError) as exc:
            print(f"{app['name']}: FAILED: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{app['name']}: {where} @ {app['commit'][:12]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
