"""Hostile configuration and declaration files through the real CLI.

Our ``[tool.trackplan]`` broken in any way: exit 2 and exactly one line naming the file,
line and key. Someone else's table, requirements file, setup.cfg or setup.py broken in any
way: the run goes on as if it were absent. A file that is not a regular file (a FIFO,
``/dev/zero``) never blocks or grows memory.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from config_files_support import run_cli
from trackplan.linter.analysis.versions import detect_posthog_version
from trackplan.linter.limits import MAX_DECLARATION_BYTES
from trackplan.linter.tomlfile import MAX_TOML_BYTES

DEEP = "[" * 900 + "]" * 900
HUGE = "9" * 5000

OURS = {
    "nul_in_plan": ('[tool.trackplan]\nplan = "plans\\u0000x"\n', 2, "tool.trackplan.plan"),
    "nul_in_exclude": (
        '[tool.trackplan]\nplan = "plans"\nexclude = ["a", "b\\u0000"]\n',
        3,
        "tool.trackplan.exclude[1]",
    ),
    "deep_exclude": (
        f"[tool.trackplan]\nexclude = {DEEP}\n",
        2,
        "tool.trackplan.exclude" + "[0]" * 15,
    ),
    "huge_version_string": (
        f'[tool.trackplan]\nposthog-version = "{HUGE}"\n',
        2,
        "tool.trackplan.posthog-version",
    ),
    "huge_version_int": (
        f"[tool.trackplan]\nposthog-version = {HUGE}\n",
        2,
        "tool.trackplan.posthog-version",
    ),
    "not_a_table": ('tool = {trackplan = "x"}\n', 1, "tool.trackplan"),
    "inline_wrong_type": ("tool = {trackplan = {plan = 3}}\n", 1, "tool.trackplan.plan"),
    "plan_name_too_long": (
        f'[tool.trackplan]\nplan = "{"p" * 5000}"\n',
        2,
        "tool.trackplan.plan",
    ),
}


@pytest.mark.parametrize("case", sorted(OURS))
def test_a_broken_trackplan_table_is_exit_2_and_one_line(case: str, tmp_path: Path) -> None:
    text, line, key = OURS[case]
    (tmp_path / "pyproject.toml").write_text(text)
    (tmp_path / "app.py").write_text("print('hi')\n")
    done = run_cli("lint", "--no-cache", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"trackplan: config error: pyproject.toml:{line}:")
    assert f": {key}: " in lines[0]
    assert len(lines[0]) < 300


OTHERS = {
    "tool_is_a_string": 'tool = "x"\n',
    "project_is_an_int": "project = 1\n",
    "poetry_is_a_string": '[tool]\npoetry = "x"\n',
    "uv_is_an_array": "[tool]\nuv = [1, 2]\n",
    "dependency_groups_array": 'dependency-groups = ["posthog>=6"]\n',
    "optional_dependencies_string": '[project]\noptional-dependencies = "posthog"\n',
    "non_string_dependencies": '[project]\ndependencies = [1, {a = 1}, ["posthog"], true]\n',
    "deep_array_elsewhere": f"[tool.other]\nx = {DEEP}\n",
    "deep_inline_elsewhere": "[tool.other]\nx = " + "{a = " * 900 + "1" + "}" * 900 + "\n",
    "huge_int_elsewhere": f"[tool.other]\nx = {HUGE}\n",
    "huge_version_in_dependency": f'[project]\ndependencies = ["posthog=={HUGE}"]\n',
    "long_dotted_key_elsewhere": "a" + ".a" * 40000 + " = 1\n",
    "nul_elsewhere": '[tool.other]\npath = "a\\u0000b"\n',
}


@pytest.mark.parametrize("case", sorted(OTHERS))
def test_someone_elses_table_of_any_shape_is_ignored(case: str, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(OTHERS[case])
    (tmp_path / "app.py").write_text("print('hi')\n")
    done = run_cli("lint", "--no-cache", cwd=tmp_path, timeout=60)
    assert done.returncode == 0
    assert (done.stdout + done.stderr) == "All checks passed (1 file scanned).\n"


def test_the_same_document_with_our_table_added_still_loads(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.other]\nx = {DEEP}\ny = {HUGE}\n[tool.trackplan]\nexclude = ["gen"]\n'
    )
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "bad.py").write_text("def (:\n")
    done = run_cli("lint", "--no-cache", cwd=tmp_path)
    assert done.returncode == 0  # the excluded file is not scanned (else TP901: exit 1)
    assert "config error" not in done.stderr


def _special(tmp_path: Path, kind: str, name: str = "pyproject.toml") -> None:
    target = tmp_path / name
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev_zero":
        target.symlink_to("/dev/zero")
    elif kind == "directory":
        target.mkdir()
    elif kind == "too_large":
        target.write_text("# " + "x" * MAX_TOML_BYTES + "\n")
    elif kind == "not_utf8":
        target.write_bytes(b'[tool.trackplan]\nplan = "\xff\xfe"\n')


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("fifo", "cannot read: not a regular file"),
        ("dev_zero", "cannot read: not a regular file"),
        ("too_large", f"cannot read: larger than the {MAX_TOML_BYTES:,}-byte limit"),
        ("not_utf8", "cannot read: not UTF-8 (invalid byte at offset 25)"),
    ],
)
def test_an_unreadable_pyproject_is_exit_2_without_blocking(
    kind: str, reason: str, tmp_path: Path
) -> None:
    _special(tmp_path, kind)
    done = run_cli("lint", "--no-cache", cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert done.stderr == f"trackplan: config error: pyproject.toml:1:1: {reason}\n"


def test_a_directory_named_pyproject_is_no_pyproject(tmp_path: Path) -> None:
    _special(tmp_path, "directory")
    (tmp_path / "app.py").write_text("print('hi')\n")
    done = run_cli("lint", "--no-cache", cwd=tmp_path, timeout=60)
    assert done.returncode == 0
    assert (done.stdout + done.stderr) == "All checks passed (1 file scanned).\n"


DECLARATIONS = ["requirements.txt", "requirements/dev.txt", "setup.cfg", "setup.py"]


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "directory", "too_large", "not_utf8"])
@pytest.mark.parametrize("name", DECLARATIONS)
def test_unreadable_declaration_files_declare_nothing(kind: str, name: str, tmp_path: Path) -> None:
    (tmp_path / "requirements").mkdir()
    if kind == "too_large":
        (tmp_path / name).write_text("posthog==5.0\n" + "#" * MAX_DECLARATION_BYTES + "\n")
    elif kind == "not_utf8":
        (tmp_path / name).write_bytes(b"\xff\xfe\x00posthog==5.0\n")
    else:
        _special(tmp_path, kind, name)
    if name != "setup.cfg":
        (tmp_path / "setup.cfg").write_text("[options]\ninstall_requires =\n    posthog==5.3\n")
    found = detect_posthog_version(tmp_path)
    if name != "setup.cfg":  # the hostile file declares nothing; the next one is read
        assert (found.version, found.source) == ((5, 3), "setup.cfg")
    else:
        assert found.source == "installed"
    (tmp_path / "app.py").write_text("import posthog\nposthog.capture('x')\n")
    done = run_cli("lint", cwd=tmp_path, timeout=60)  # the cache digests these files too
    assert done.returncode in (0, 1)
    assert done.stderr.startswith(("Found ", "All checks passed")), done.stderr


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("setup.py", "x = (" * 5000 + ")" * 5000 + "\n"),
        ("setup.py", "install_requires=['posthog==" + HUGE + "']\n"),
        ("setup.py", "\x00\n"),
        ("setup.py", "x = " + "1+" * 300_000 + "1\n"),  # RecursionError in ast
        ("setup.py", "x = " + "-" * 500_000 + "1\n"),  # MemoryError in ast
        ("setup.py", "install_requires = ['posthog>=6']\n" + "#" * (MAX_DECLARATION_BYTES + 1)),
        ("setup.cfg", "[options]\ninstall_requires = posthog==" + HUGE + "\n[options]\n"),
        ("setup.cfg", "no section header\n"),
        ("requirements.txt", "posthog==" + HUGE + "\n"),
        ("requirements.txt", "posthog>=" + ".".join(["1"] * 5000) + "\n"),
    ],
)
def test_hostile_declarations_are_ignored(name: str, text: str, tmp_path: Path) -> None:
    (tmp_path / name).write_text(text)
    found = detect_posthog_version(tmp_path)
    assert found.source in ("installed", "latest")


MEGABYTE = 1_000_000
BOUNDED = {
    "unclosed_brackets": ("x = " + "[" * MEGABYTE, 2),
    "deep_array_elsewhere": ("[tool.other]\nx = " + "[" * 400_000 + "]" * 400_000, 0),
    "long_dotted_key": ("a" + ".a" * 400_000 + " = 1\n", 0),
    "spaces_after_a_header_bracket": ("[tool.trackplan]\nplan = 3\n[" + " " * MEGABYTE, 2),
    "spaces_before_an_error_key": ("[tool.trackplan]\nplan = 3\n" + " " * MEGABYTE + "\n", 2),
    "backslashes_in_a_string": ('x = "' + "\\" * MEGABYTE, 2),
    "quotes": ('"' * MEGABYTE, 2),
    "deep_array_in_ours": ("[tool.trackplan]\nexclude = " + "[" * 400_000 + "]" * 400_000, 2),
}


@pytest.mark.parametrize("case", sorted(BOUNDED))
def test_a_megabyte_of_hostile_toml_ends_quickly_with_one_line(case: str, tmp_path: Path) -> None:
    text, code = BOUNDED[case]
    (tmp_path / "pyproject.toml").write_text(text)
    (tmp_path / "app.py").write_text("print('hi')\n")
    done = run_cli("lint", "--no-cache", cwd=tmp_path, timeout=60)  # a hang fails here
    assert done.returncode == code
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
    if code == 2:
        assert done.stderr.startswith("trackplan: config error: pyproject.toml:")
