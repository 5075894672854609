"""changed_lines on real git repositories built in the test."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from trackplan.linter.changes import ChangesError, changed_lines, on_changed_lines
from trackplan.registry.diagnostics import Diagnostic, Severity


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "t@example.com")
    git(root, "config", "user.name", "t")
    (root / "keep.py").write_text("".join(f"line{i}\n" for i in range(1, 11)))
    (root / "old_name.py").write_text("".join(f"row{i}\n" for i in range(1, 21)))
    (root / "gone.py").write_text("bye\n")
    (root / "shrink.py").write_text("a\nb\nc\nd\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def test_modified_lines_are_reported_and_untouched_lines_are_not(repo: Path) -> None:
    lines = (repo / "keep.py").read_text().splitlines()
    lines[2] = "changed3"
    lines.insert(7, "inserted")
    (repo / "keep.py").write_text("\n".join(lines) + "\n")
    git(repo, "commit", "-qam", "edit")
    assert changed_lines(repo, "main") == {str(repo / "keep.py"): {3, 8}}


def test_new_file_counts_every_line_and_deleted_file_nothing(repo: Path) -> None:
    (repo / "new.py").write_text("x = 1\ny = 2\n")
    (repo / "gone.py").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "add and delete")
    assert changed_lines(repo, "main") == {str(repo / "new.py"): {1, 2}}


def test_deleted_lines_only_give_an_empty_set(repo: Path) -> None:
    (repo / "shrink.py").write_text("a\nd\n")
    git(repo, "commit", "-qam", "shrink")
    assert changed_lines(repo, "main") == {str(repo / "shrink.py"): set()}


def test_renamed_file_reports_only_its_edited_lines(repo: Path) -> None:
    git(repo, "mv", "old_name.py", "pkg_new_name.py")
    text = (repo / "pkg_new_name.py").read_text().replace("row5\n", "row5 edited\n")
    (repo / "pkg_new_name.py").write_text(text)
    git(repo, "commit", "-qam", "rename")
    assert changed_lines(repo, "main") == {str(repo / "pkg_new_name.py"): {5}}


def test_pure_rename_changes_no_lines(repo: Path) -> None:
    git(repo, "mv", "old_name.py", "moved.py")
    git(repo, "commit", "-qm", "move")
    assert changed_lines(repo, "main") == {}


def test_merge_base_ignores_commits_made_on_the_base_branch_since(repo: Path) -> None:
    (repo / "keep.py").write_text("feature\n" + (repo / "keep.py").read_text())
    git(repo, "commit", "-qam", "feature edit")
    git(repo, "checkout", "-q", "main")
    (repo / "shrink.py").write_text("a\nb\nc\nd\ne\n")
    git(repo, "commit", "-qam", "main moves on")
    git(repo, "checkout", "-q", "feature")
    assert changed_lines(repo, "main") == {str(repo / "keep.py"): {1}}


def test_uncommitted_and_untracked_changes_count(repo: Path) -> None:
    (repo / "keep.py").write_text((repo / "keep.py").read_text() + "tail\n")
    (repo / "scratch.py").write_text("one\ntwo\nthree")
    (repo / ".gitignore").write_text("ignored.py\n")
    (repo / "ignored.py").write_text("no\n")
    result = changed_lines(repo, "main")
    assert result == {
        str(repo / "keep.py"): {11},
        str(repo / "scratch.py"): {1, 2, 3},
        str(repo / ".gitignore"): {1},
    }


def test_path_with_spaces_and_unicode(repo: Path) -> None:
    (repo / "dir with space").mkdir()
    (repo / "dir with space" / "café.py").write_text("a\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "odd names")
    assert changed_lines(repo, "main") == {str(repo / "dir with space" / "café.py"): {1}}


def test_unknown_ref_and_non_repo_raise_changes_error(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(ChangesError, match="merge-base"):
        changed_lines(repo, "no-such-branch")
    outside = tmp_path / "plain"
    outside.mkdir()
    with pytest.raises(ChangesError, match="rev-parse"):
        changed_lines(outside, "main")


def test_on_changed_lines_keeps_findings_whose_span_touches_a_changed_line(
    repo: Path,
) -> None:
    def diag(line: int, end: int | None = None, path: Path = repo / "keep.py") -> Diagnostic:
        return Diagnostic("TP201", Severity.ERROR, "m", path=str(path), line=line, end_line=end)

    changed = {str(repo / "keep.py"): {5}}
    kept = on_changed_lines(
        [diag(4), diag(5), diag(3, 6), diag(6), diag(5, path=repo / "other.py")], changed
    )
    assert [(d.line, d.end_line) for d in kept] == [(5, None), (3, 6)]
