"""Which files are scanned: directories, explicit files, ``exclude`` globs, .gitignore
(answered by git in a work tree, by the small parser outside one, and the two agree)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from lint_cli_support import run_trackplan
from trackplan.linter.discovery import ExcludeMatcher, _walk_with_gitignore, discover, glob_to_regex

BAD_CALL = 'import posthog\n\nposthog.capture("{name}", distinct_id="u")\n'

GITIGNORE = """\
# comments and blank lines are skipped

*.tmp.py
!keep.tmp.py
/top_only.py
build_*/
docs/**/gen_*.py
"""

TREE = [
    "a.py",
    "x.tmp.py",
    "keep.tmp.py",
    "top_only.py",
    "sub/top_only.py",
    "sub/y.tmp.py",
    "build_1/b.py",
    "sub/build_2/c.py",
    "docs/gen_a.py",
    "docs/deep/er/gen_b.py",
    "docs/deep/other.py",
    "nested/local.py",
    "nested/kept.py",
]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _make_tree(root: Path) -> None:
    (root / ".gitignore").write_text(GITIGNORE)
    for rel in TREE:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x = 1\n")
    (root / "nested" / ".gitignore").write_text("local.py\n")


def test_the_gitignore_parser_agrees_with_git(tmp_path: Path) -> None:
    _make_tree(tmp_path)
    matcher = ExcludeMatcher(tmp_path, ())
    ours = sorted(
        Path(p).relative_to(tmp_path).as_posix() for p in _walk_with_gitignore(tmp_path, matcher)
    )
    _git(tmp_path, "init", "-q")
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    theirs = sorted(p for p in listed if p.endswith(".py"))
    assert ours == theirs
    assert "x.tmp.py" not in ours and "keep.tmp.py" in ours
    assert "sub/top_only.py" in ours and "top_only.py" not in ours


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
def test_gitignored_files_are_not_linted(project: Path, in_git: bool) -> None:
    (project / ".gitignore").write_text("generated/\n*.gen.py\n")
    (project / "generated").mkdir()
    (project / "generated" / "bad.py").write_text(BAD_CALL.format(name="ignored_dir_event"))
    (project / "app" / "models.gen.py").write_text(BAD_CALL.format(name="ignored_glob_event"))
    (project / "app" / "visible.py").write_text(BAD_CALL.format(name="visible_event"))
    if in_git:
        _git(project, "init", "-q")
    done = run_trackplan("lint", "--no-cache", "--select", "TP201", "-q", cwd=project)
    assert "visible_event" in done.stdout
    assert "ignored_dir_event" not in done.stdout
    assert "ignored_glob_event" not in done.stdout


def test_a_tracked_file_is_linted_even_if_it_matches_gitignore(project: Path) -> None:
    (project / "app" / "legacy.gen.py").write_text(BAD_CALL.format(name="tracked_event"))
    _git(project, "init", "-q")
    _git(project, "add", "app/legacy.gen.py")
    (project / ".gitignore").write_text("*.gen.py\n")
    done = run_trackplan("lint", "--no-cache", "--select", "TP201", "-q", cwd=project)
    assert "tracked_event" in done.stdout  # git's own rule: ignores apply to untracked files


def test_exclude_globs_apply_to_directories_and_explicit_files(project: Path) -> None:
    assert "excluded_by_config" not in run_trackplan("lint", "--no-cache", cwd=project).stdout
    explicit = run_trackplan("lint", "--no-cache", "scripts/seed.py", cwd=project)
    assert (explicit.returncode, explicit.stdout) == (0, "")


def test_explicit_files_still_resolve_names_from_other_modules(project: Path) -> None:
    done = run_trackplan("lint", "--no-cache", "-q", "app/billing.py", cwd=project)
    lines = [line for line in done.stdout.splitlines() if not line.startswith(" ")]
    assert all(line.startswith("app/billing.py:") for line in lines)
    assert any("TP202 event `order_created`" in line for line in lines)  # via app.events
    assert not any("TP401" in line for line in lines)


def test_a_missing_path_is_a_usage_error(project: Path) -> None:
    done = run_trackplan("lint", "no/such/dir", cwd=project)
    assert done.returncode == 2
    assert "does not exist" in done.stderr


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.py", "a.py", True),
        ("*.py", "dir/a.py", False),
        ("**/gen_*.py", "gen_a.py", True),
        ("**/gen_*.py", "a/b/gen_a.py", True),
        ("docs/**", "docs/a/b.py", True),
        ("a?c", "abc", True),
        ("a?c", "a/c", False),
        ("[!x]y", "zy", True),
        ("[!x]y", "xy", False),
    ],
)
def test_glob_semantics(pattern: str, path: str, matches: bool) -> None:
    assert bool(glob_to_regex(pattern).match(path)) is matches


def test_exclude_matcher_names_and_anchored_paths(tmp_path: Path) -> None:
    matcher = ExcludeMatcher(tmp_path, ("migrations", "src/**/generated_*.py", "*_pb2.py"))
    assert matcher.excludes(tmp_path / "app" / "migrations" / "0001.py")
    assert matcher.excludes(tmp_path / "src" / "a" / "generated_x.py")
    assert not matcher.excludes(tmp_path / "lib" / "generated_x.py")
    assert matcher.excludes(tmp_path / "proto" / "user_pb2.py")
    assert not matcher.excludes(tmp_path / "app" / "models.py")


def test_default_excludes_skip_virtualenvs_and_caches(tmp_path: Path) -> None:
    for rel in (".venv/lib/x.py", "node_modules/y.py", "__pycache__/z.py", "app/ok.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in discover([tmp_path], tmp_path)]
    assert found == ["app/ok.py"]
