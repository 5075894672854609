"""How the test suite runs real programs: the installed CLI and child environments.

Every test that runs ``trackplan`` goes through :func:`run_cli` (or the ``cli`` fixture in
``tests/conftest.py``, which is this function): the console script next to the running
interpreter (``Path(sys.executable).with_name("trackplan")``), never a bare ``trackplan``
from ``PATH``, so the suite tests the environment it runs in, activated or not.

Child environments (virtualenvs the tests create, and the ones pre-commit creates) must see
the packages of the running environment, not the base interpreter's:
:func:`see_running_environment` writes a ``.pth`` file into a virtualenv we create, and
:func:`running_environment_pythonpath` gives a ``PYTHONPATH`` entry that does the same for
virtualenvs created by other tools. Both append the running environment's site
directories *after* the child's own, so what the child installs wins.

(A uniquely named module: pytest puts ``tests/`` on ``sys.path`` because of
``tests/conftest.py``, and test modules never import from ``conftest`` directly.)
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "BIN",
    "CLI",
    "cli_env",
    "run_cli",
    "running_environment_pythonpath",
    "running_site_dirs",
    "see_running_environment",
    "tool",
]

#: The directory of the running interpreter's console scripts.
BIN = Path(sys.executable).parent
#: The installed ``trackplan`` console script of the running environment.
CLI = BIN / "trackplan"


def tool(name: str) -> str:
    """A console script installed in the running environment (``pre-commit``, ``ruff``)."""
    path = BIN / name
    assert path.exists(), f"{name} is not installed next to {sys.executable}"
    return str(path)


def cli_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a CLI run gets: ours, without GitHub Actions' variables
    (``GITHUB_ACTIONS`` changes the default output format), with ``env`` on top."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    full.update(env or {})
    return full


def run_cli(
    *args: str | os.PathLike[str],
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    input: str | bytes | None = None,
    text: bool = True,
    timeout: float = 300,
    **kwargs: Any,
) -> subprocess.CompletedProcess[Any]:
    """Run the installed ``trackplan`` with ``args`` as a real subprocess; never raises on
    a non-zero exit (tests assert the exit code)."""
    assert CLI.exists(), f"the trackplan CLI is not installed next to {sys.executable}"
    return subprocess.run(
        [str(CLI), *map(str, args)],
        cwd=cwd,
        env=cli_env(env),
        input=input,
        text=text,
        capture_output=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )


def running_site_dirs() -> list[str]:
    """The site directories the running interpreter imports packages from: its own
    (``purelib``/``platlib``), and the base interpreter's when the environment includes
    system site-packages (as ``sys.path`` shows)."""
    paths = sysconfig.get_paths()
    found = [paths["purelib"], paths["platlib"]]
    for entry in [*site.getsitepackages(), *sys.path]:
        if entry.endswith(("site-packages", "dist-packages")) and Path(entry).is_dir():
            found.append(entry)
    return list(dict.fromkeys(os.path.realpath(p) for p in found))


def see_running_environment(venv: Path) -> Path:
    """Make the virtualenv ``venv`` see the running environment's packages (a ``.pth``
    file in its site-packages, processed after its own packages). Returns the file."""
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    pth = Path(purelib) / "_trackplan_tests_running_env.pth"
    pth.write_text("".join(f"{path}\n" for path in running_site_dirs()), encoding="utf-8")
    return pth


def running_environment_pythonpath(directory: Path) -> str:
    """A ``PYTHONPATH`` entry that makes any Python started with it (such as the
    virtualenvs pre-commit creates) also see the running environment's packages, after
    its own: a ``sitecustomize`` in ``directory`` that appends our site directories."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sitecustomize.py").write_text(
        "import sys\n"
        f"for _path in {running_site_dirs()!r}:\n"
        "    if _path not in sys.path:\n"
        "        sys.path.append(_path)\n",
        encoding="utf-8",
    )
    return str(directory)
