"""Hostile source files, baselines and cache files through the real ``trackplan lint``.

Every hostile file costs at most one TP901 finding for that file (or is read normally);
the rest of the project is still analysed; no traceback, no hang (every run has a
timeout), exit codes as documented: 1 with error findings, 2 for a baseline that is not
a baseline.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from lint_cli_support import TRACKPLAN, run_trackplan

OK_SOURCE = (
    'import posthog\n\n\ndef f(user):\n    posthog.capture("Bad Name", distinct_id=user.id)\n'
)

BIG = b"import posthog\n" + b"x = 1  # filler line of a generated module\n" * 8000

#: name -> content; each must give exactly the TP901 message fragment listed (None: no
#: TP901, the file is analysed normally).
HOSTILE: dict[str, tuple[bytes, str | None]] = {
    "surrogate.py": (
        b'import posthog\nposthog.capture("\\ud800", distinct_id=u)\n',
        None,
    ),
    "nul.py": (b'import posthog\nposthog.capture("a\x00", distinct_id=u)\n', "NUL bytes"),
    "latin1.py": (b'import posthog\nposthog.capture("\xe9", distinct_id=u)\n', "not valid UTF-8"),
    "deep_parens.py": (b"import posthog\nx = " + b"(" * 50000 + b"1" + b")" * 50000, "nested"),
    "deep_lists.py": (b"import posthog\nx = " + b"[" * 50000 + b"]" * 50000, "nested"),
    "long_chain.py": (b"import posthog\nx = " + b"+".join([b"1"] * 50000) + b"\n", "nested"),
    "not_chain.py": (b"import posthog\nx = " + b"not " * 50000 + b"1\n", "nested"),
    "attr_chain.py": (b"import posthog\nx = posthog" + b".a" * 50000 + b"\n", "nested"),
    "call_chain.py": (b"import posthog\nx = posthog.capture" + b"()" * 50000 + b"\n", "nested"),
    "py312.py": (
        b"import posthog\ntype X = int\ndef f[T](x: T) -> T:\n"
        b'    posthog.capture("a_b", distinct_id=x)\n',
        None,
    ),
    "big.py": (
        BIG,
        f"file too large to analyse: {len(BIG):,} bytes, over the 262,144-byte limit",
    ),
}


@pytest.fixture
def hostile_project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0"\ndependencies = ["posthog>=6"]\n\n'
        "[tool.trackplan]\nmax-file-size = 262144\n"
    )
    (root / "ok.py").write_text(OK_SOURCE)
    for name, (content, _) in HOSTILE.items():
        (root / name).write_bytes(content)
    # a large file that never mentions a token: skipped silently, not TP901
    (root / "big_data.py").write_bytes(b"x = 1\n" * 60000)
    return root


def _findings(done: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert "Traceback" not in done.stderr, done.stderr
    result: list[dict[str, object]] = json.loads(done.stdout)
    return result


def test_every_hostile_file_is_one_finding_and_the_rest_is_analysed(
    hostile_project: Path,
) -> None:
    for flags in (["--no-cache"], [], []):  # cold, filling the cache, warm
        done = run_trackplan("lint", "--format", "json", *flags, cwd=hostile_project)
        assert done.returncode == 1, done.stderr
        findings = _findings(done)
        tp901 = {str(f["path"]): str(f["message"]) for f in findings if f["code"] == "TP901"}
        expected = {name for name, (_, reason) in HOSTILE.items() if reason is not None}
        assert set(tp901) == expected
        assert [f["path"] for f in findings].count("big.py") == 1
        for name, (_, reason) in HOSTILE.items():
            if reason is not None:
                assert reason in tp901[name], (name, tp901[name])
        # the ordinary file's findings are all there
        ok = sorted(str(f["code"]) for f in findings if f["path"] == "ok.py")
        assert ok == ["TP101", "TP102"]
        # a lone surrogate in a literal is reported with its escape, not a crash
        events = {f.get("event") for f in findings if f["path"] == "surrogate.py"}
        assert events == {"\\ud800"}
        # 3.12 syntax is read by libcst even where CPython is older
        assert {f["code"] for f in findings if f["path"] == "py312.py"} <= {"TP102"}


def test_text_output_of_a_surrogate_event_name_does_not_crash(hostile_project: Path) -> None:
    done = run_trackplan("lint", "--no-cache", "surrogate.py", cwd=hostile_project)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "event name `\\ud800`" in done.stdout


def test_fifos_devices_and_dangling_links_are_never_opened(hostile_project: Path) -> None:
    os.mkfifo(hostile_project / "pipe.py")
    (hostile_project / "zero.py").symlink_to("/dev/zero")
    (hostile_project / "gone.py").symlink_to(hostile_project / "nowhere.py")
    done = run_trackplan("lint", "--format", "json", "--no-cache", cwd=hostile_project)
    assert done.returncode == 1, done.stderr
    paths = {f["path"] for f in _findings(done)}
    assert not paths & {"pipe.py", "zero.py", "gone.py"}
    assert "ok.py" in paths


def test_a_git_tree_with_a_deleted_tracked_file(hostile_project: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=hostile_project, check=True)
    (hostile_project / ".gitignore").write_text("ignored_*.py\n")
    (hostile_project / "ignored_one.py").write_text(OK_SOURCE)
    subprocess.run([*git, "add", "-A"], cwd=hostile_project, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=hostile_project, check=True)
    (hostile_project / "ok.py").unlink()  # tracked, deleted from the work tree
    (hostile_project / "untracked.py").write_text(OK_SOURCE)
    done = run_trackplan("lint", "--format", "json", cwd=hostile_project)
    assert done.returncode == 1, done.stderr
    paths = {f["path"] for f in _findings(done)}
    assert "untracked.py" in paths
    assert not paths & {"ok.py", "ignored_one.py"}


def test_max_file_size_is_validated(hostile_project: Path) -> None:
    pyproject = hostile_project / "pyproject.toml"
    for value, fragment in (('"1MB"', "must be an integer"), ("12", "minimum")):
        pyproject.write_text(f"[tool.trackplan]\nmax-file-size = {value}\n")
        done = run_trackplan("lint", cwd=hostile_project)
        assert done.returncode == 2
        assert "tool.trackplan.max-file-size" in done.stderr
        assert fragment in done.stderr
        assert "Traceback" not in done.stderr


def test_a_killed_worker_costs_one_finding_and_the_run_goes_on(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.trackplan]\n")
    for n in range(6):
        (root / f"mod{n}.py").write_text(OK_SOURCE)
    done = run_trackplan(
        "lint",
        "--format",
        "json",
        "--jobs",
        "2",
        cwd=root,
        env={"TRACKPLAN_TEST_KILL_WORKER_ON": "mod2.py"},
    )
    assert done.returncode == 1, done.stderr
    findings = _findings(done)
    by_path: dict[str, list[str]] = {}
    for f in findings:
        by_path.setdefault(str(f["path"]), []).append(str(f["code"]))
    assert by_path.pop("mod2.py") == ["TP901"]
    assert by_path == {f"mod{n}.py": ["TP101", "TP102"] for n in (0, 1, 3, 4, 5)}
    killed = next(f for f in findings if f["path"] == "mod2.py")
    assert "died" in str(killed["message"])
    # the failure is not cached as the file's result: without the kill it is analysed
    again = _findings(run_trackplan("lint", "--format", "json", cwd=root))
    assert sorted(str(f["code"]) for f in again if f["path"] == "mod2.py") == ["TP101", "TP102"]


# -- baselines that are not baselines ---------------------------------------------------


def _baseline_run(project: Path, baseline: str) -> subprocess.CompletedProcess[str]:
    return run_trackplan("lint", "--no-cache", "ok.py", "--baseline", baseline, cwd=project)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"[]", "not a trackplan baseline"),
        (b'{"version": 1, "entries": {}}', "not a trackplan baseline"),
        (b'{"version": true, "entries": []}', "unsupported baseline version"),
        (b'{"version": 1, "entries": [], "extra": 1}', "unknown key `extra`"),
        (b'{"version": 1, "entries": [' + b"[" * 5000 + b"]" * 5000 + b"]}", "not valid JSON"),
        (b'{"version": 1, "entries": [{"code": "TP101", "count": 1e400}]}', "not valid JSON"),
        (b'{"version": 1, "entries": [{"code": "TP101", "count": NaN}]}', "not valid JSON"),
        (b'{"version": 1, "entries": [{"code": "TP101", "count": 99999999999}]}', "`count`"),
        (b'{"version": 1, "entries": [{"code": ["TP101"]}]}', "`code` must be a string"),
        (b'{"version": 1, "entries": [{"code": "TP1", "x\\u0000": 1}]}', "unknown key"),
        (b'{"version": 1, "entries": [{"code": "TP101"', "not valid JSON"),
        (b'\xff\xfe{"version": 1}', "not UTF-8"),
        (b'{"version": 1, "entries": ["\\ud800"]}', "not valid JSON"),
    ],
)
def test_a_baseline_that_is_not_a_baseline_is_exit_2_with_its_path(
    hostile_project: Path, content: bytes, fragment: str
) -> None:
    (hostile_project / "baseline.json").write_bytes(content)
    done = _baseline_run(hostile_project, "baseline.json")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("trackplan: baseline.json"), lines
    assert fragment in lines[0]


def test_a_baseline_that_is_a_fifo_a_device_or_huge_is_refused(hostile_project: Path) -> None:
    os.mkfifo(hostile_project / "fifo.json")
    with open(hostile_project / "huge.json", "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: no disk used
    for name, fragment in (
        ("fifo.json", "not a regular file"),
        ("/dev/zero", "not a regular file"),
        ("huge.json", "larger than the 67,108,864-byte limit"),
        ("missing.json", "No such file"),
        (".", "is a directory"),
    ):
        done = _baseline_run(hostile_project, name)
        assert done.returncode == 2, (name, done.stderr)
        assert "Traceback" not in done.stderr
        assert fragment in done.stderr, (name, done.stderr)


def test_writing_a_baseline_is_atomic_and_reads_back(hostile_project: Path) -> None:
    target = hostile_project / "b" / "baseline.json"
    done = run_trackplan("lint", "ok.py", "--write-baseline", str(target), cwd=hostile_project)
    assert done.returncode == 0, done.stderr
    assert not [p for p in target.parent.iterdir() if p.name != "baseline.json"]
    done = _baseline_run(hostile_project, str(target))
    assert done.returncode == 0, done.stderr


# -- hostile cache files ------------------------------------------------------------------


def test_hostile_cache_files_are_misses(hostile_project: Path) -> None:
    expected = run_trackplan("lint", "--format", "json", cwd=hostile_project).stdout
    entries = sorted((hostile_project / ".trackplan_cache").rglob("*.json"))
    assert len(entries) >= 5
    payloads = [
        b"[" * 3000 + b"]" * 3000,
        b'{"path": "ok.py", "digest": 1}',
        b'{"files": {"ok.py": "x"}, "tokens": 5}',
        b"\xff" * 100,
        b"",
    ]
    for number, path in enumerate(entries):
        payload = payloads[number % len(payloads)]
        path.unlink()
        if number % 7 == 3:
            os.mkfifo(path)  # a FIFO in the cache is never opened
        else:
            path.write_bytes(payload)
    for _ in range(2):
        done = run_trackplan("lint", "--format", "json", cwd=hostile_project)
        assert "Traceback" not in done.stderr
        assert done.stdout == expected


def test_wrong_shape_cache_entries_are_misses(hostile_project: Path) -> None:
    expected = run_trackplan("lint", "--format", "json", cwd=hostile_project).stdout
    results = [p for p in (hostile_project / ".trackplan_cache").rglob("*.json")]
    shaped = 0
    for path in results:
        data = json.loads(path.read_bytes() or b"null")
        if not (isinstance(data, dict) and "diagnostics" in data):
            continue
        for diag in data["diagnostics"]:
            diag["line"] = "one"  # right JSON, wrong shape
            diag["unexpected"] = True
        data["calls"] = [{"path": 1}]
        path.write_text(json.dumps(data))
        shaped += 1
    assert shaped >= 3
    done = run_trackplan("lint", "--format", "json", cwd=hostile_project)
    assert "Traceback" not in done.stderr
    assert done.stdout == expected


# -- progress ----------------------------------------------------------------------------


def test_progress_only_on_a_terminal(hostile_project: Path) -> None:
    env = {**os.environ, "TRACKPLAN_PROGRESS_AFTER": "0"}
    piped = subprocess.run(
        [*TRACKPLAN, "lint", "--no-cache", "-q"],
        cwd=hostile_project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "trackplan: scanned" not in piped.stderr
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [*TRACKPLAN, "lint", "--no-cache", "-q"],
            cwd=hostile_project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=120,
        )
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    assert done.returncode == 1
    assert b"trackplan: scanned" in shown
    assert b"files..." in shown
    assert shown.endswith(b"\r") or b"\r" in shown.rsplit(b"files...", 1)[1]
    assert b"trackplan: scanned" not in done.stdout
    assert sys.executable  # the CLI ran is the one next to this interpreter (TRACKPLAN)


def test_a_baseline_is_never_written_over_a_device_a_fifo_or_a_directory(
    hostile_project: Path, tmp_path: Path
) -> None:
    os.mkfifo(hostile_project / "fifo.json")
    (hostile_project / "dir.json").mkdir()
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a directory is needed")
    for name, fragment in (
        ("/dev/null", "not a regular file"),
        ("fifo.json", "not a regular file"),
        ("dir.json", "not a regular file"),
        (str(blocked / "baseline.json"), "cannot write baseline"),
    ):
        done = run_trackplan("lint", "ok.py", "--write-baseline", name, cwd=hostile_project)
        assert done.returncode == 2, (name, done.stderr)
        assert "Traceback" not in done.stderr
        assert fragment in done.stderr, (name, done.stderr)
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")
    assert (hostile_project / "dir.json").is_dir()


def test_a_5_mb_generated_module_under_the_default_limit(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.trackplan]\n")
    rows = b"".join(b"    (%d, 'row %d', %d.5),\n" % (n, n, n) for n in range(200_000))
    generated = b"ROWS = [\n" + rows + b"]\n"
    assert len(generated) > 5_000_000
    (root / "generated_quiet.py").write_bytes(generated)
    (root / "generated_tracking.py").write_bytes(b"import posthog\n" + generated)
    (root / "ok.py").write_text(OK_SOURCE)
    done = run_trackplan("lint", "--format", "json", cwd=root)
    assert done.returncode == 1, done.stderr
    findings = _findings(done)
    assert [(f["path"], f["code"]) for f in findings] == [
        ("generated_tracking.py", "TP901"),
        ("ok.py", "TP101"),
        ("ok.py", "TP102"),
    ]
    size = len(generated) + len(b"import posthog\n")
    assert findings[0]["message"] == (
        f"file too large to analyse: {size:,} bytes, over the 1,048,576-byte limit"
        " (max-file-size in [tool.trackplan])"
    )


def test_a_file_name_that_is_not_utf8(hostile_project: Path) -> None:
    name = os.fsencode(hostile_project) + b"/caf\xe9.py"
    with open(name, "wb") as handle:
        handle.write(OK_SOURCE.encode())
    for flags in (["--no-cache"], [], []):
        done = run_trackplan("lint", "-q", *flags, cwd=hostile_project)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert "caf\\udce9.py:5:21: TP101" in done.stdout
    done = run_trackplan("lint", "--write-baseline", "b.json", cwd=hostile_project)
    assert done.returncode == 0, done.stderr
    done = run_trackplan("lint", "--format", "json", "--baseline", "b.json", cwd=hostile_project)
    assert done.returncode == 0, done.stderr
    assert _findings(done) == []
