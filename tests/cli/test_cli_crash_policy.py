"""One crash policy for every command (issue 8, section 1), through real subprocesses.

- An unexpected exception in any command: exit 2, exactly one stderr line, no traceback
  unless ``--debug`` or ``TRACKPLAN_DEBUG=1``. Failures are injected by a
  ``sitecustomize`` on ``PYTHONPATH`` that replaces a library function the command calls
  (so the real installed console script runs, unmodified).
- stdout's reader gone (a pipe with its read end closed, as after ``| head``): quiet, the
  command's own exit code, nothing on stderr (no "Exception ignored" at exit either).
- stdout on a full disk (``/dev/full``): exit 2, one line.

``COMMANDS`` holds a run of each command that reaches a library function; the failure
injected while a command starts runs for every command the group lists, so a command
added later is covered without a new row.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from suite_support import CLI, cli_env, run_cli

REPO = Path(__file__).resolve().parents[2]
PROJECTS = REPO / "tests" / "adoption" / "projects"

_INJECT = """\
import importlib, os

_target = os.environ.get("TRACKPLAN_TEST_RAISE", "")
_kind = os.environ.get("TRACKPLAN_TEST_RAISE_TYPE", "RuntimeError")


def _boom(*args, **kwargs):
    raise getattr(__import__("builtins"), _kind)("injected failure\\nsecond line")


if _target == "@subcommand":  # any subcommand, before its arguments are even parsed
    import click

    _make_context = click.Command.make_context

    def _failing_make_context(self, info_name, args, parent=None, **extra):
        if parent is not None:
            _boom()
        return _make_context(self, info_name, args, parent, **extra)

    click.Command.make_context = _failing_make_context
elif _target:
    _module, _, _attr = _target.partition(":")
    _owner = importlib.import_module(_module)
    *_outer, _name = _attr.split(".")
    for _part in _outer:
        _owner = getattr(_owner, _part)
    setattr(_owner, _name, _boom)
"""

#: command -> (function to break, arguments of a run that gets there and writes to stdout,
#: exit code of that run). Add a row for a new command.
COMMANDS: dict[str, tuple[str, tuple[str, ...], int]] = {
    "check": ("trackplan.registry.loader:check_plan", ("check", "bad.yaml"), 1),
    "lint": ("trackplan.linter.runner:run_lint", ("lint",), 1),
    "validate": (
        "trackplan.linter.validate.workers:_validate_inputs",
        ("validate", "--plan", "saas", "samples.jsonl"),
        0,  # output is streamed: a closed pipe ends it before the outcome is known
    ),
    "export": ("trackplan.registry.compiler:compile_plan", ("export", "saas"), 0),
    "init": ("trackplan.linter.init.run:run_init", ("init", "fresh"), 0),
    "coverage": ("trackplan.linter.coverage:compute_coverage", ("coverage",), 1),
    "rules": ("trackplan.linter.docs:render_rule_list", ("rules",), 0),
    "schema": ("trackplan.registry.plan_format:plan_schema_text", ("schema",), 0),
}

INTERNAL = (
    "trackplan: internal error: RuntimeError: injected failure second line (run with --debug"
    " or TRACKPLAN_DEBUG=1 for the traceback; please report it)\n"
)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A project where every command in ``COMMANDS`` has its inputs."""
    root = tmp_path / "project"
    shutil.copytree(PROJECTS / "funnels", root, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "plans" / "saas", root / "saas")
    shutil.copy(REPO / "plans" / "saas-samples.jsonl", root / "samples.jsonl")
    (root / "bad.yaml").write_text("version: 1\nevents:\n  Order Created:\n    description: x\n")
    shutil.copytree(PROJECTS / "funnels" / "app", root / "fresh" / "app")
    return root


@pytest.fixture(scope="module")
def injector(tmp_path_factory: pytest.TempPathFactory) -> str:
    directory = tmp_path_factory.mktemp("inject")
    (directory / "sitecustomize.py").write_text(_INJECT)
    return str(directory)


def _injected(injector: str, target: str, **extra: str) -> dict[str, str]:
    return {"PYTHONPATH": injector, "TRACKPLAN_TEST_RAISE": target, **extra}


def _listed_commands() -> list[str]:
    """Every command the group has, as ``trackplan --help`` lists them (later ones too)."""
    import click
    from trackplan.linter.cli import main

    return main.list_commands(click.Context(main))


def test_the_listing_is_the_help_listing() -> None:
    listing = run_cli("--help").stdout.split("Commands:", 1)[1]
    assert re.findall(r"^  ([a-z][a-z-]*)  ", listing, re.M) == _listed_commands()
    assert set(COMMANDS) <= set(_listed_commands())


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_crash_in_the_command_is_exit_2_and_one_line(
    name: str, workdir: Path, injector: str
) -> None:
    target, args, _ = COMMANDS[name]
    done = run_cli(*args, cwd=workdir, env=_injected(injector, target))
    assert (done.returncode, done.stderr) == (2, INTERNAL), done.stdout


@pytest.mark.parametrize("name", _listed_commands())
def test_a_crash_while_any_command_starts_is_exit_2_and_one_line(
    name: str, workdir: Path, injector: str
) -> None:
    done = run_cli(name, cwd=workdir, env=_injected(injector, "@subcommand"))
    assert (done.returncode, done.stdout, done.stderr) == (2, "", INTERNAL)


@pytest.mark.parametrize("how", [("--debug",), ()])
def test_the_traceback_is_shown_when_asked(
    how: tuple[str, ...], workdir: Path, injector: str
) -> None:
    env = _injected(injector, COMMANDS["check"][0])
    if not how:
        env["TRACKPLAN_DEBUG"] = "1"
    done = run_cli(*how, "check", "bad.yaml", cwd=workdir, env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("Traceback (most recent call last):\n")
    assert 'in _boom\n    raise getattr(__import__("builtins"), _kind)' in done.stderr
    assert done.stderr.endswith(INTERNAL)


@pytest.mark.parametrize(
    ("kind", "code", "stderr"),
    [
        ("MemoryError", 2, INTERNAL.replace("RuntimeError", "MemoryError")),
        ("RecursionError", 2, INTERNAL.replace("RuntimeError", "RecursionError")),
        ("FileNotFoundError", 2, INTERNAL.replace("RuntimeError", "FileNotFoundError")),
        # click first ends the terminal's `^C` echo with a newline
        ("KeyboardInterrupt", 130, "\ntrackplan: interrupted\n"),
    ],
)
def test_other_exception_kinds(
    kind: str, code: int, stderr: str, workdir: Path, injector: str
) -> None:
    env = _injected(injector, COMMANDS["lint"][0], TRACKPLAN_TEST_RAISE_TYPE=kind)
    done = run_cli("lint", cwd=workdir, env=env)
    assert (done.returncode, done.stdout, done.stderr) == (code, "", stderr)


def test_without_injection_the_runs_write_output(workdir: Path) -> None:
    """The runs the pipe and disk tests use do write to stdout, with the expected code."""
    for name, (_, args, code) in COMMANDS.items():
        done = run_cli(*args, cwd=workdir)
        assert done.stdout, name
        assert done.returncode == (1 if name == "validate" else code), (name, done.stderr)


def _run_with_stdout(args: tuple[str, ...], cwd: Path, stdout: int) -> tuple[int, str]:
    done = subprocess.run(
        [str(CLI), *args],
        cwd=cwd,
        env=cli_env(),
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stderr


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_closed_pipe_is_quiet_with_the_commands_exit_code(name: str, workdir: Path) -> None:
    _, args, code = COMMANDS[name]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte, as after `| head -0`
    try:
        assert _run_with_stdout(args, workdir, write_end) == (code, "")
    finally:
        os.close(write_end)


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("rules", "--help")])
def test_a_closed_pipe_is_quiet_for_help_and_version_too(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        assert _run_with_stdout(args, tmp_path, write_end) == (0, "")
    finally:
        os.close(write_end)


def test_a_real_head_pipeline_keeps_the_commands_exit_code(workdir: Path) -> None:
    script = f'"{CLI}" rules --all | head -n 1; echo "${{PIPESTATUS[0]}}"'
    done = subprocess.run(
        ["bash", "-c", script], cwd=workdir, env=cli_env(), capture_output=True, text=True
    )
    assert done.stdout == "## TP001 plan-unreadable\n0\n"
    assert done.stderr == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_full_disk_on_stdout_is_exit_2_and_one_line(name: str, workdir: Path) -> None:
    _, args, _ = COMMANDS[name]
    fd = os.open("/dev/full", os.O_WRONLY)
    try:
        code, stderr = _run_with_stdout(args, workdir, fd)
    finally:
        os.close(fd)
    assert code == 2
    assert stderr.splitlines()[-1:] == [
        "trackplan: cannot write output: [Errno 28] No space left on device"
    ]
    assert len(stderr.splitlines()) == 1, stderr


def test_closed_stdout_and_stderr_at_start_are_not_a_crash(workdir: Path) -> None:
    script = f'"{CLI}" check bad.yaml >&- 2>&-; echo $?'
    done = subprocess.run(["bash", "-c", script], cwd=workdir, capture_output=True, text=True)
    assert done.stdout == "1\n"


def test_closed_stdin_is_empty_input(workdir: Path) -> None:
    script = f'"{CLI}" validate --plan saas <&-; echo $?'
    done = subprocess.run(["bash", "-c", script], cwd=workdir, capture_output=True, text=True)
    assert done.stdout == "0 events checked, 0 invalid, 0 violations\n0\n", done.stderr
    assert done.stderr == ""


def test_export_to_a_directory_that_cannot_be_made_says_so(workdir: Path) -> None:
    (workdir / "taken").write_text("a file, not a directory\n")
    done = run_cli("export", "saas", "--out", "taken/schemas", cwd=workdir)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("trackplan export: cannot write taken/schemas: ")
    assert len(done.stderr.splitlines()) == 1


def test_usage_errors_are_exit_2(workdir: Path) -> None:
    for args in (("nope",), ("lint", "--jobs", "-1"), ("rules", "TP999"), ("check", "--x")):
        done = run_cli(*args, cwd=workdir)
        assert done.returncode == 2, args
        assert "Traceback" not in done.stderr


def test_in_process_use_returns_the_code_without_exiting() -> None:
    from trackplan.linter.cli import main

    assert main.main(["rules", "TP999"], standalone_mode=False) == 2
