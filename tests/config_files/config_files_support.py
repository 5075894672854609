"""Helpers of the configuration-file and ``init`` tests (a uniquely named module): the
real CLI next to the running interpreter, and a TOML renderer for hostile documents."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

TRACKPLAN = str(Path(sys.executable).with_name("trackplan"))


def run_cli(
    *args: str, cwd: Path, timeout: float = 120, preexec: Any = None
) -> subprocess.CompletedProcess[str]:
    """``trackplan <args>`` in ``cwd`` as a real subprocess (GitHub variables removed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [TRACKPLAN, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
        timeout=timeout,
        preexec_fn=preexec,
    )


class Raw(str):
    """TOML text used as a value verbatim (deep brackets, 5,000-digit integers...)."""


def toml_string(text: str) -> str:
    """A TOML basic string: control characters and DEL as ``\\uXXXX`` escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(part: str) -> str:
    if part and all(c.isascii() and (c.isalnum() or c in "_-") for c in part):
        return part
    return toml_string(part)


def toml_value(value: object) -> str:
    """A TOML rendering of ``value`` (JSON string escapes are TOML basic-string escapes)."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(type(value))


def toml_document(assignments: Sequence[tuple[tuple[str, ...], object]]) -> str:
    """Top-level dotted-key assignments, one a line."""
    return "".join(
        ".".join(toml_key(p) for p in path) + " = " + toml_value(value) + "\n"
        for path, value in assignments
    )
