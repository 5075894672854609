"""Every reader of pyproject.toml (and of the other declaration files) takes any shape.

Hypothesis writes hostile documents: random values of every type at each key path the
readers look at (``tool``, ``project``, Poetry/uv/PDM tables, dependency groups, optional
dependencies, ``[tool.trackplan]`` and each of its keys), arrays and inline tables nested
up to 900 deep, 5,000-digit integers and version strings, NUL characters, and raw
TOML-ish token soup. The properties:

- nothing but :class:`ConfigError` ever leaves ``load_config``; nothing at all leaves
  ``detect_posthog_version``;
- a problem in our ``[tool.trackplan]`` is a ConfigError naming the file, a line and the
  key, exactly when an independent validator (python-jsonschema on the same schema) or
  the NUL rule refuses the table;
- someone else's table, of any shape, is read as absent (the config loads, the version
  detector falls back).
"""

from __future__ import annotations

import copy
import json
import os
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from config_files_support import (
    others,
    toml_document,
    toml_string,
    toml_value,
    values,
    versions,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trackplan.linter.analysis.versions import detect_posthog_version
from trackplan.linter.config import ConfigError, load_config
from trackplan.linter.tomlfile import (
    MAX_INT_DIGITS,
    MAX_NESTING,
    TomlFileError,
    parse_toml,
)
from trackplan.registry.rules import catalogue

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# -- strategies ------------------------------------------------------------------------

OUR_KEYS = [
    "plan",
    "wrappers",
    "select",
    "ignore",
    "extend-select",
    "severity",
    "exclude",
    "posthog-version",
    "plna",
]
# values that may well be valid at our keys, mixed with the hostile ones
our_values = st.one_of(
    values,
    st.lists(st.sampled_from(["TP", "TP2", "TP201", "TPX", "tp9", "a\x00b"]), max_size=3),
    st.dictionaries(
        st.sampled_from(["TP201", "TP999", "app.track", "track"]),
        st.sampled_from(["error", "warning", "fatal", "(event, distinct_id)", "(event)"]),
        max_size=3,
    ),
    versions,
)


def _write(directory: Path, text: str) -> Path:
    path = directory / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- someone else's tables -------------------------------------------------------------------


@SETTINGS
@given(assignments=others, with_ours=st.booleans())
def test_other_tables_of_any_shape_are_read_as_absent(
    tmp_path_factory: pytest.TempPathFactory,
    assignments: list[tuple[tuple[str, ...], Any]],
    with_ours: bool,
) -> None:
    root = tmp_path_factory.mktemp("others")
    with_ours = with_ours and all(path != ("tool",) for path, _ in assignments)
    if with_ours:
        assignments = [*assignments, (("tool", "trackplan", "plan"), "plans")]
    path = _write(root, toml_document(assignments))

    config = load_config(root)
    if with_ours:
        assert (config.source, config.plan) == (path, (root / "plans").resolve())
    else:
        assert config.source is None

    version = detect_posthog_version(root)
    assert version.source in ("pyproject.toml", "installed", "latest")
    assert all(0 <= part < 10**9 for part in version.version)


# -- our table ---------------------------------------------------------------------------


def _reference_validator() -> jsonschema.Draft202012Validator:
    """The shipped schema, completed as the loader completes it, on python-jsonschema (an
    engine independent of the one trackplan uses)."""
    schema = json.loads(
        resources.files("trackplan.linter").joinpath("data/config.schema.json").read_text("utf-8")
    )
    codes = sorted(catalogue())
    prefixes = sorted({code[:n] for code in codes for n in range(2, len(code) + 1)})
    schema = copy.deepcopy(schema)
    schema["$defs"]["code"]["enum"] = codes
    schema["$defs"]["selector"]["enum"] = prefixes
    return jsonschema.Draft202012Validator(schema)


REFERENCE = _reference_validator()


def _acceptable(text: str, root: Path) -> bool:
    """Whether ``[tool.trackplan]`` in ``text`` should load, decided without trackplan's
    reader: plain tomllib (a recursion or int-size failure means a value over a limit),
    no NUL anywhere in the table, at most 16 levels of nesting, the schema, and a plan
    path the OS can look up (a missing one is reported later, where it is needed)."""
    try:
        document = tomllib.loads(text)
    except (RecursionError, ValueError):
        return False
    table = document["tool"]["trackplan"]
    if not isinstance(table, dict):
        return False
    pending: list[tuple[int, object]] = [(0, table)]
    while pending:
        depth, value = pending.pop()
        if isinstance(value, str) and "\x00" in value:
            return False
        if isinstance(value, (dict, list)) and depth >= 16:
            return False
        if isinstance(value, dict):
            if any("\x00" in key for key in value):
                return False
            pending += [(depth + 1, item) for item in value.values()]
        elif isinstance(value, list):
            pending += [(depth + 1, item) for item in value]
    if not REFERENCE.is_valid(table):
        return False
    if isinstance(table.get("plan"), str):
        try:
            os.stat(root / table["plan"])
        except (FileNotFoundError, NotADirectoryError):
            pass
        except OSError:
            return False
    return True


@SETTINGS
@given(
    entries=st.dictionaries(st.sampled_from(OUR_KEYS), our_values, min_size=1, max_size=4),
    whole=st.one_of(st.none(), values),
    inline=st.booleans(),
)
def test_our_table_is_loaded_or_refused_with_file_line_and_key(
    tmp_path_factory: pytest.TempPathFactory,
    entries: dict[str, Any],
    whole: Any,
    inline: bool,
) -> None:
    root = tmp_path_factory.mktemp("ours")
    table: Any = entries if whole is None else whole
    if inline:
        text = f"tool = {{trackplan = {toml_value(table)}}}\n"
    elif isinstance(table, dict):
        text = "[tool.trackplan]\n" + toml_document([((k,), v) for k, v in table.items()])
    else:
        text = f"[tool]\ntrackplan = {toml_value(table)}\n"
    path = _write(root, text)
    expected_ok = _acceptable(text, root)
    try:
        config = load_config(root)
    except ConfigError as error:
        assert not expected_ok, str(error)
        assert error.problems
        for problem in error.problems:
            assert problem.path == str(path)
            assert 1 <= problem.line <= text.count("\n") + 1
            assert problem.key == "tool.trackplan" or problem.key.startswith(
                ("tool.trackplan.", "tool.trackplan[")
            )
            assert "\n" not in str(problem) and len(str(problem)) < 600
    else:
        assert expected_ok
        assert config.source == path


# -- raw token soup: never anything but a ConfigError ----------------------------------------

TOKENS = [
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ".",
    ",",
    " ",
    "\n",
    "\r\n",
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "#",
    "a",
    "tool",
    "trackplan",
    "plan",
    "project",
    "dependencies",
    '"posthog>=6"',
    "\\u0000",
    "1" * (MAX_INT_DIGITS + 5),
    "[tool.trackplan]\n",
    "[tool.poetry.dependencies]\n",
    "x = ",
    "[" * 200,
    "]" * 200,
    ".a" * 40,
    "é",
]


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_token_soup_never_escapes_as_anything_but_a_config_error(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    root = tmp_path_factory.mktemp("soup")
    path = _write(root, text)
    try:
        load_config(root)
    except ConfigError as error:
        assert all(p.path == str(path) and p.line >= 1 for p in error.problems)
    detect_posthog_version(root)


# -- the defusing pre-pass changes nothing the parser could read -----------------------------

_MULTILINE_SAFE = st.text(alphabet="ab[]{}#=.,'\" \n\\", max_size=10)


def _any_string(draw: st.DrawFn) -> str:
    text = draw(_MULTILINE_SAFE)
    style = draw(st.sampled_from(["basic", "literal", "ml_basic", "ml_literal"]))
    if style == "literal" and "'" not in text and "\n" not in text:
        return f"'{text}'"
    if style == "ml_literal" and "'''" not in text and not text.endswith("'"):
        return f"'''{text}'''"
    if style == "ml_basic":
        return '"""' + text.replace("\\", "\\\\").replace('"', '\\"') + '"""'
    return toml_string(text)


@st.composite
def _leaf(draw: st.DrawFn) -> str:
    return draw(st.one_of(st.builds(_any_string, st.just(draw)), st.just("1")))


@st.composite
def _nested(draw: st.DrawFn, depth: int) -> str:
    """A value exactly ``depth`` containers deep: one deep item plus up to two leaves per
    level (so the size stays linear in the depth)."""
    if depth == 0:
        return draw(_leaf())
    items = [draw(_leaf()) for _ in range(draw(st.integers(0, 2)))]
    items.insert(draw(st.integers(0, len(items))), draw(_nested(depth - 1)))
    if draw(st.booleans()):
        sep = draw(st.sampled_from([", ", ",\n  # a [comment] {\n  "]))
        return "[" + sep.join(items) + "]"
    return "{" + ", ".join(f"k{i} = {v}" for i, v in enumerate(items)) + "}"


@settings(SETTINGS, max_examples=150)
@given(st.lists(st.integers(1, MAX_NESTING), min_size=1, max_size=3), st.data())
def test_defusing_leaves_documents_within_the_limits_unchanged(
    depths: list[int], data: st.DataObject
) -> None:
    lines = ["# [[[ {{{ ''' \"\"\" a comment that mentions brackets"]
    for i, depth in enumerate(depths):
        lines.append(f"key{i} = {data.draw(_nested(depth))}")
    lines.append("pad = " + "[" * MAX_NESTING + "]" * MAX_NESTING)  # forces the full scan
    text = "\n".join(lines) + "\n"
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with pytest.raises(TomlFileError):
            parse_toml(text)
        return
    assert parse_toml(text) == expected


def test_over_limit_values_become_markers_and_lines_keep_their_numbers() -> None:
    deep = "[\n" * 900 + "]\n" * 900
    text = f"[tool.other]\nx = {deep}y = 1 = 2\n"
    with pytest.raises(TomlFileError) as raised:
        parse_toml(text, "p.toml")
    assert raised.value.line == 2 + 1800  # the real line of the real syntax error
    document = parse_toml("a." * 40 + "b = 1\n" + "n = " + "9" * 5000 + "\n")
    assert document["n"] == "\x00trackplan:integer-too-large"
    node = document
    for _ in range(32):  # the first MAX_KEY_PARTS parts are kept
        node = node["a"]
    assert list(node) == ["\x00trackplan:key-too-long:1"]
