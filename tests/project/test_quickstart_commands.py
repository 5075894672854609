"""The README's two quickstart commands are the ones CI and users actually run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _fenced_shell_blocks(markdown: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", markdown, re.S)]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = _fenced_shell_blocks(quickstart)
    assert len(blocks) == 2, "the quickstart has exactly two commands"
    test_command = blocks[1]
    ci_lines = [
        line
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "set ", "cd "))
    ]
    assert ci_lines == [test_command]


def test_quickstart_main_command_uses_bundled_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    main_command = _fenced_shell_blocks(quickstart)[0]
    for path in re.findall(r"plans/[\w./-]+", main_command):
        assert (ROOT / path).exists(), f"{path} named in the quickstart does not exist"
