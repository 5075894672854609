"""``trackplan init`` never leaves a project worse than it found it (real CLI, real files).

- every pyproject shape a real repository has (out-of-order tables, inline ``tool``, dotted
  keys, CRLF, a symlink, an odd mode, no file at all) gets ``[tool.trackplan]`` with every
  other byte kept;
- every refusal and every failed write leaves every file as it was: a real full disk
  stand-in (``RLIMIT_FSIZE`` in the CLI's process, ``SIGXFSZ`` ignored, so a write fails
  with EFBIG), and immutable files and directories (``chattr +i``: the tests run as root,
  for whom ``chmod`` read-only stops nothing).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from config_files_support import Raw, others, run_cli, toml_document, toml_value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trackplan.linter.init.pyproject import PyprojectError, plan_trackplan_table
from trackplan.linter.init.wrappers import WrapperCandidate
from trackplan.linter.tomlfile import TomlFileError, parse_toml
from trackplan.registry.fileio import atomic_write_many

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SHOP = Path(__file__).parents[1] / "adoption" / "projects" / "shop"

Snapshot = dict[str, tuple[bytes | None, int]]


def snapshot(root: Path) -> Snapshot:
    """Every path under ``root``: its bytes (None for a directory) and its mode."""
    found: Snapshot = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        data = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
        found[path.relative_to(root).as_posix()] = (data, stat.S_IMODE(info.st_mode))
    return found


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(SHOP, target, ignore=shutil.ignore_patterns("__pycache__", ".trackplan_cache"))
    return target


def _ours(root: Path) -> dict[str, object]:
    document = tomllib.loads((root / "pyproject.toml").read_text())
    table = document["tool"]["trackplan"]
    assert isinstance(table, dict)
    return table


# -- pyproject shapes ---------------------------------------------------------------------

SHAPES = {
    "out_of_order_tables": (
        '[tool.a]\nx = 1\n\n[project]\nname = "shop"\n\n[tool.b]\ny = 2\n',
        {"project": {"name": "shop"}, "tool": {"a": {"x": 1}, "b": {"y": 2}}},
    ),
    "inline_tool": (
        'tool = {black = {line-length = 99}}\n[project]\nname = "shop"\n',
        {"project": {"name": "shop"}, "tool": {"black": {"line-length": 99}}},
    ),
    "dotted_keys": (
        'tool.black.line-length = 99\nproject.name = "shop"\n',
        {"project": {"name": "shop"}, "tool": {"black": {"line-length": 99}}},
    ),
    "array_of_tables_last": (
        "[[tool.hooks]]\nname = 'a'\n[[tool.hooks]]\nname = 'b'",
        {"tool": {"hooks": [{"name": "a"}, {"name": "b"}]}},
    ),
    "comments_and_nan": (
        "# top comment\n[tool.x]  # trailing\nv = nan\n",
        None,
    ),
    "empty": ("", {"tool": {}}),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_init_adds_the_table_to_any_pyproject_shape(shape: str, shop: Path) -> None:
    text, others = SHAPES[shape]
    (shop / "pyproject.toml").write_text(text)
    done = run_cli("init", "--no-baseline", cwd=shop)
    assert done.returncode == 0, done.stderr
    new = (shop / "pyproject.toml").read_text()
    if shape != "inline_tool":
        assert new.startswith(text)  # appended: every existing byte kept
    document = tomllib.loads(new)
    ours = document["tool"].pop("trackplan")
    assert ours["plan"] == "plans"
    assert "wrappers" not in ours  # lint infers `app.telemetry.track` itself (issue 9)
    if others is not None:
        assert document == others
    assert run_cli("check", cwd=shop).returncode in (0, 1)  # the config loads
    assert "app.telemetry.track" in run_cli("lint", "--show-wrappers", cwd=shop).stdout


def test_dotted_trackplan_keys_are_kept_or_replaced_with_force(shop: Path) -> None:
    original = 'tool.trackplan.plan = "old"\n[project]\nname = "shop"\n'
    (shop / "pyproject.toml").write_text(original)
    kept = run_cli("init", "--no-baseline", cwd=shop)
    assert kept.returncode == 0, kept.stderr
    assert (shop / "pyproject.toml").read_text() == original
    shutil.rmtree(shop / "plans")
    forced = run_cli("init", "--no-baseline", "--force", cwd=shop)
    assert forced.returncode == 0, forced.stderr
    assert _ours(shop)["plan"] == "plans"
    assert tomllib.loads((shop / "pyproject.toml").read_text())["project"] == {"name": "shop"}


def test_out_of_order_trackplan_tables_are_replaced_with_force(shop: Path) -> None:
    (shop / "pyproject.toml").write_text(
        '[tool.trackplan]\nplan = "old"\n[project]\nname = "shop"\n'
        '[tool.trackplan.wrappers]\n"a.b" = "(event)"\n[tool.z]\nq = 1\n'
    )
    done = run_cli("init", "--no-baseline", "--force", cwd=shop)
    assert done.returncode == 0, done.stderr
    document = tomllib.loads((shop / "pyproject.toml").read_text())
    assert document["tool"]["trackplan"]["plan"] == "plans"
    assert "wrappers" not in document["tool"]["trackplan"]  # replaced, and none declared
    assert (document["project"], document["tool"]["z"]) == ({"name": "shop"}, {"q": 1})


def test_crlf_stays_crlf_and_mode_and_symlink_are_kept(shop: Path, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere.toml"
    original = b'[project]\r\nname = "shop"\r\n\r\n[tool.ruff]\r\nline-length = 99\r\n'
    real.write_bytes(original)
    real.chmod(0o640)
    (shop / "pyproject.toml").unlink()
    (shop / "pyproject.toml").symlink_to(real)
    done = run_cli("init", cwd=shop)
    assert done.returncode == 0, done.stderr
    assert (shop / "pyproject.toml").is_symlink()  # written through the link
    data = real.read_bytes()
    assert data.startswith(original)
    assert data.count(b"\n") == data.count(b"\r\n")  # CRLF throughout
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert tomllib.loads(data.decode())["tool"]["trackplan"]["plan"] == "plans"


def test_a_missing_pyproject_is_created(shop: Path) -> None:
    (shop / "pyproject.toml").unlink()
    done = run_cli("init", "--no-baseline", cwd=shop)
    assert done.returncode == 0, done.stderr
    assert _ours(shop)["plan"] == "plans"


# -- refusals change nothing ----------------------------------------------------------------

REFUSED = {
    "tool_is_a_string": ('tool = "x"\n', "`tool` is str value, not a table"),
    "tool_is_an_array_of_tables": ("[[tool]]\na = 1\n", "`tool` is list value, not a table"),
    "invalid_toml": ("[project\n", "invalid TOML"),
    "invalid_trackplan_table": ("[tool.trackplan]\nplan = 3\n", "tool.trackplan.plan"),
    "trackplan_not_a_table": ("[tool]\ntrackplan = 1\n", "tool.trackplan: must be a table"),
    "not_utf8": (b"[project]\nname = '\xff'\n", "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_init_changes_nothing(case: str, shop: Path) -> None:
    text, message = REFUSED[case]
    pyproject = shop / "pyproject.toml"
    pyproject.write_bytes(text if isinstance(text, bytes) else text.encode())
    before = snapshot(shop)
    done = run_cli("init", cwd=shop)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(shop) == before


# -- a full disk (RLIMIT_FSIZE) and immutable files change nothing ----------------------------


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write is EFBIG, not a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def _written_sizes(tmp_path: Path) -> list[int]:
    """The sizes init writes for the shop project (from a run in a scratch copy)."""
    scratch = tmp_path / "scratch"
    shutil.copytree(SHOP, scratch, ignore=shutil.ignore_patterns("__pycache__"))
    assert run_cli("init", cwd=scratch).returncode == 0
    names = ["plans/events.yaml", ".trackplan-baseline.json", "pyproject.toml"]
    return sorted((scratch / name).stat().st_size for name in names)


def test_a_full_disk_at_any_file_changes_nothing(shop: Path, tmp_path: Path) -> None:
    sizes = _written_sizes(tmp_path)
    limits = sorted({1, *(size - 1 for size in sizes)})
    before = snapshot(shop)
    for limit in limits:
        done = run_cli("init", cwd=shop, preexec=_file_size_limit(limit))
        assert done.returncode == 2, (limit, done.stdout, done.stderr)
        assert done.stderr.startswith("trackplan init: could not "), done.stderr
        assert "nothing was" in done.stderr
        assert len(done.stderr.splitlines()) == 1
        assert snapshot(shop) == before, limit  # no file, temp file or directory left
    assert len(limits) == 4


def test_a_full_disk_with_force_keeps_the_old_files(shop: Path, tmp_path: Path) -> None:
    assert run_cli("init", cwd=shop).returncode == 0
    (shop / "plans" / "events.yaml").write_text("version: 1\nevents: {}\n")
    before = snapshot(shop)
    sizes = _written_sizes(tmp_path)
    for limit in sorted({size - 1 for size in sizes}):
        done = run_cli("init", "--force", cwd=shop, preexec=_file_size_limit(limit))
        assert done.returncode == 2, done.stderr
        assert snapshot(shop) == before


@pytest.fixture
def immutable() -> Iterator[Callable[[Path], None]]:
    """``chattr +i`` (undone at teardown); the tests run as root, so chmod stops nothing."""
    marked: list[Path] = []

    def mark(path: Path) -> None:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if done.returncode != 0:  # pragma: no cover - a file system without attributes
            pytest.skip(f"chattr +i is not available here: {done.stderr!r}")
        marked.append(path)

    yield mark
    for path in marked:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_an_immutable_pyproject_rolls_back_the_files_written_before_it(
    shop: Path, immutable: Callable[[Path], None]
) -> None:
    immutable(shop / "pyproject.toml")
    before = snapshot(shop)
    done = run_cli("init", cwd=shop)
    assert done.returncode == 2
    assert done.stderr == (
        "trackplan init: could not write the files (Operation not permitted); nothing was changed\n"
    )
    assert snapshot(shop) == before  # plan and baseline were renamed in, then rolled back


def test_an_immutable_project_directory_changes_nothing(
    shop: Path, immutable: Callable[[Path], None]
) -> None:
    immutable(shop)
    before = snapshot(shop)
    done = run_cli("init", cwd=shop)
    assert done.returncode == 2
    assert "nothing was changed" in done.stderr
    assert snapshot(shop) == before


def test_an_immutable_plans_directory_with_force_changes_nothing(
    shop: Path, immutable: Callable[[Path], None]
) -> None:
    assert run_cli("init", cwd=shop).returncode == 0
    immutable(shop / "plans")
    before = snapshot(shop)
    done = run_cli("init", "--force", cwd=shop)
    assert done.returncode == 2
    assert snapshot(shop) == before


def test_atomic_write_many_restores_earlier_files_when_a_later_rename_fails(
    tmp_path: Path,
) -> None:
    existing, new, blocker = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c"
    existing.write_bytes(b"old\r\n")
    existing.chmod(0o600)
    blocker.mkdir()  # a file cannot be renamed over a directory
    with pytest.raises(IsADirectoryError):
        atomic_write_many([(existing, b"new"), (new, b"new"), (blocker, b"x")])
    assert existing.read_bytes() == b"old\r\n"
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    assert not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "c"]  # no temp left
    atomic_write_many([(existing, b"one"), (new, b"two")])
    assert (existing.read_bytes(), new.read_bytes()) == (b"one", b"two")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "b.txt", "c"]


# -- the pyproject edit, over Hypothesis-drawn documents ----------------------------------------


WRAPPER = WrapperCandidate("app.t.track", "(event)", "/p/app/t.py", 3, "posthog.capture")
EXISTING = [
    "",
    '[tool.trackplan]\nplan = "old"\n',
    'tool.trackplan.plan = "old"\n',
    '[tool.trackplan]\nplan = "old"\n[zzz]\na = 1\n[tool.trackplan.wrappers]\n"x.y" = "(e)"\n',
]


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    assignments=others,
    existing=st.sampled_from(EXISTING),
    crlf=st.booleans(),
    inline_tool=st.booleans(),
)
def test_the_pyproject_edit_changes_exactly_our_table(
    tmp_path_factory: pytest.TempPathFactory,
    assignments: list[tuple[tuple[str, ...], object]],
    existing: str,
    crlf: bool,
    inline_tool: bool,
) -> None:
    tool_values = [(p[1:], v) for p, v in assignments if p[0] == "tool" and len(p) > 1]
    rest = [(p, v) for p, v in assignments if p[0] != "tool"]
    if inline_tool and tool_values and not existing:
        inline = "{" + ", ".join(f"{'.'.join(p)} = {toml_value(v)}" for p, v in tool_values) + "}"
        text = toml_document(rest) + f"tool = {inline}\n"
    else:
        text = toml_document(assignments) + existing
    if crlf:
        text = text.replace("\n", "\r\n")
    path = tmp_path_factory.mktemp("edit") / "pyproject.toml"
    path.write_bytes(text.encode())
    try:
        before = parse_toml(text)
    except TomlFileError:  # the drawn parts redefine a key: not TOML, so refused
        with pytest.raises(PyprojectError):
            plan_trackplan_table(path, plan="plans", wrappers=[WRAPPER], force=True)
        return
    if not isinstance(before.get("tool", {}), dict):
        with pytest.raises(PyprojectError):
            plan_trackplan_table(path, plan="plans", wrappers=[WRAPPER], force=True)
        return
    inline = (inline_tool and tool_values) or any(
        # `tool` given a value: a drawn table, or raw TOML text of an inline table
        p == ("tool",) and (isinstance(v, dict) or (isinstance(v, Raw) and v.startswith("{")))
        for p, v in assignments
    )
    try:
        edit = plan_trackplan_table(path, plan="plans", wrappers=[WRAPPER], force=True)
    except PyprojectError:
        # only where a TOML editor is needed (an inline `tool`, a table to remove) and
        # cannot reproduce the rest of the file exactly: a refusal, nothing written
        assert inline or existing
        assert path.read_bytes() == text.encode()
        return
    assert edit.text is not None
    after = parse_toml(edit.text)
    assert after["tool"].pop("trackplan") == {
        "plan": "plans",
        "wrappers": {"app.t.track": "(event)"},
    }
    before.setdefault("tool", {}).pop("trackplan", None)
    assert json.dumps(after, sort_keys=True, default=str) == json.dumps(
        before, sort_keys=True, default=str
    )
    if crlf and "\n" in text:
        assert edit.text.count("\n") == edit.text.count("\r\n")
    if not existing and not inline:
        assert edit.text.startswith(text)  # appended: every byte kept
    assert path.read_bytes() == text.encode()  # planning wrote nothing
