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

from hypothesis import strategies as st
from trackplan.linter.tomlfile import MAX_INT_DIGITS

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


# -- Hypothesis strategies for hostile TOML values and documents -------------------------------

deep_arrays = st.integers(1, 900).map(lambda n: Raw("[" * n + "]" * n))
deep_tables = st.integers(1, 900).map(lambda n: Raw("{a = " * n + "1" + "}" * n))
huge_ints = st.integers(MAX_INT_DIGITS + 1, 5000).map(lambda n: Raw("9" * n))
versions = st.one_of(
    st.from_regex(r"[0-9]{1,6}(\.[0-9]{1,6}){0,3}", fullmatch=True),
    st.integers(4000, 5000).map(lambda n: "9" * n),
    st.integers(2, 40).map(lambda n: ".".join(["1"] * n)),
)
requirements = st.builds(
    lambda name, op, version: f"{name}{op}{version}",
    st.sampled_from(["posthog", "posthoganalytics", "requests", "posthog[sentry]"]),
    st.sampled_from(["==", ">=", "<", "<=", "^", "~=", "~", " ", ""]),
    versions,
)
scalars = st.one_of(
    st.text(max_size=12),
    st.text(alphabet="\x00ab/.-\n\u2028#:\"'", max_size=8),
    st.integers(),
    st.floats(),
    st.booleans(),
    requirements,
)
hostile = st.one_of(deep_arrays, deep_tables, huge_ints)
values = st.recursive(
    st.one_of(scalars, hostile),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=10,
)

OTHER_PATHS: list[tuple[str, ...]] = [
    ("tool",),
    ("project",),
    ("project", "dependencies"),
    ("project", "optional-dependencies"),
    ("project", "optional-dependencies", "extra"),
    ("dependency-groups",),
    ("dependency-groups", "dev"),
    ("tool", "poetry"),
    ("tool", "poetry", "dependencies"),
    ("tool", "poetry", "dependencies", "posthog"),
    ("tool", "poetry", "dev-dependencies"),
    ("tool", "poetry", "group"),
    ("tool", "poetry", "group", "dev"),
    ("tool", "poetry", "group", "dev", "dependencies"),
    ("tool", "uv"),
    ("tool", "uv", "dev-dependencies"),
    ("tool", "pdm"),
    ("tool", "pdm", "dev-dependencies"),
    ("tool", "pdm", "dev-dependencies", "test"),
    ("tool", "black"),
]


def prefix_free(
    assignments: list[tuple[tuple[str, ...], Any]],
) -> list[tuple[tuple[str, ...], Any]]:
    """Drop assignments whose path is a prefix of another's (a TOML redefinition)."""
    kept: list[tuple[tuple[str, ...], Any]] = []
    for path, value in assignments:
        if all(path[: len(p)] != p and p[: len(path)] != path for p, _ in kept):
            kept.append((path, value))
    return kept


others = st.lists(st.tuples(st.sampled_from(OTHER_PATHS), values), max_size=5).map(prefix_free)
