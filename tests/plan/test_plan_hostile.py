"""Hostile plans: numbers JSON cannot carry, non-regular files, unreadable directories,
and generated YAML of every shape. ``check_plan`` never raises, every finding about a
file carries that file's line and column, and a plan that loads validates and exports
as strict JSON."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trackplan.registry.compiler import compile_plan
from trackplan.registry.loader import check_plan
from trackplan.registry.validation import Registry
from trackplan.registry.yaml_source import MAX_INT_DIGITS, parse_yaml

CLI = str(Path(sys.executable).with_name("trackplan"))
_HEAD = "version: 1\nevents:\n  user_signed_up:\n    properties:\n      amount:\n"


def _plan(tmp_path: Path, body: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("literal", "why"),
    [
        (".nan", "is NaN"),
        (".NaN", "is NaN"),
        (".NAN", "is NaN"),
        (".inf", "is an infinity"),
        ("-.Inf", "is an infinity"),
        ("+.INF", "is an infinity"),
        ("!!float nan", "is NaN"),
        ("1.0e+400", "overflows to infinity"),
        ("-9.9e+999", "overflows to infinity"),
    ],
)
def test_non_finite_numbers_are_tp002_at_their_position(
    tmp_path: Path, literal: str, why: str
) -> None:
    path = _plan(tmp_path, _HEAD + f"        type: number\n        maximum: {literal}\n")
    result = check_plan([path])
    assert result.plan is None
    [diag] = [d for d in result.diagnostics if d.code == "TP002"]
    assert why in diag.message and f"`{literal.split()[-1]}`" in diag.message
    assert (diag.path, diag.line, diag.column) == (str(path), 7, 18)
    assert diag.pointer == "/events/user_signed_up/properties/amount/maximum"


@pytest.mark.parametrize("literal", ["!!bool maybe", "!!int abc", "!!float x", "!!int 1e3"])
def test_scalars_their_explicit_tag_cannot_read_are_tp002(tmp_path: Path, literal: str) -> None:
    path = _plan(tmp_path, _HEAD + f"        type: number\n        maximum: {literal}\n")
    result = check_plan([path])
    assert result.plan is None
    [diag] = [d for d in result.diagnostics if d.code == "TP002"]
    value, tag = literal.split()[1], literal.split()[0]
    assert diag.message == f"`{value}` is not a valid `{tag}` value"
    assert (diag.line, diag.column) == (7, 18)


def test_every_non_finite_number_is_reported_not_only_the_first(tmp_path: Path) -> None:
    body = (
        _HEAD + "        enum: [1, .nan, 2, -.inf]\n        examples: [.inf]\n"
        "        description: .nan is fine as text\n"
    )
    result = check_plan([_plan(tmp_path, body)])
    found = [(d.line, d.column) for d in result.diagnostics if d.code == "TP002"]
    assert found == [(6, 19), (6, 28), (7, 20)]


@pytest.mark.parametrize(
    "literal",
    ["9" * (MAX_INT_DIGITS + 1), "-" + "7" * 5000, "0x" + "f" * 900, "0b" + "1" * 4000],
)
def test_integers_over_the_digit_limit_are_tp002(tmp_path: Path, literal: str) -> None:
    path = _plan(tmp_path, _HEAD + f"        type: integer\n        maximum: {literal}\n")
    result = check_plan([path])
    assert result.plan is None
    [diag] = result.diagnostics
    assert diag.code == "TP002" and f"more than {MAX_INT_DIGITS:,} digits" in diag.message
    assert (diag.line, diag.column) == (7, 18)


def test_integers_up_to_the_limit_load_and_validate_exactly(tmp_path: Path) -> None:
    big = 10 ** (MAX_INT_DIGITS - 1)
    body = _HEAD + f"        type: integer\n        maximum: {big}\n        multipleOf: 3\n"
    result = check_plan([_plan(tmp_path, body)])
    assert result.plan is not None, result.diagnostics
    registry = Registry(result.plan)

    def verdict(amount: object) -> bool:
        payload = {"event": "user_signed_up", "distinct_id": "u1", "properties": {"amount": amount}}
        return registry.validate(payload).valid

    assert verdict(big - 1) is True  # 99...9 is a multiple of 3
    assert verdict(big + 2) is False  # over the maximum
    assert verdict(3 * 10**500) is True
    assert verdict(10**500 + 1) is False  # not a multiple of 3
    text = json.dumps(compile_plan(result.plan), allow_nan=False)
    assert str(big) in text


def test_fifo_and_devices_named_as_plans_are_tp001_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = check_plan([fifo, "/dev/zero", "/dev/null"])
    assert time.monotonic() - started < 5
    assert result.plan is None
    assert [(d.code, d.path, d.message) for d in result.diagnostics] == [
        ("TP001", "/dev/null", "cannot read plan file: not a regular file"),
        ("TP001", "/dev/zero", "cannot read plan file: not a regular file"),
        ("TP001", str(fifo), "cannot read plan file: not a regular file"),
    ]


def test_fifo_and_dangling_link_inside_a_plan_directory_are_tp001(tmp_path: Path) -> None:
    _plan(tmp_path, "version: 1\nevents:\n  user_signed_up: {}\n", "a.yaml")
    os.mkfifo(tmp_path / "b.yaml")
    (tmp_path / "c.yml").symlink_to(tmp_path / "missing.yaml")
    (tmp_path / "notes.txt").write_text("not a plan")
    result = check_plan([tmp_path])
    assert result.plan is None
    assert [(d.code, Path(d.path or "").name, d.message) for d in result.diagnostics] == [
        ("TP001", "b.yaml", "cannot read plan file: not a regular file"),
        ("TP001", "c.yml", "cannot read plan file: No such file or directory"),
    ]


def test_unreadable_sub_directory_is_tp001_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plan(tmp_path, "version: 1\nevents:\n  user_signed_up: {}\n", "a.yaml")
    locked = tmp_path / "team"
    locked.mkdir()
    _plan(locked, "version: 1\nevents:\n  order_completed: {}\n", "b.yaml")
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:  # the tests run as root: inject the EACCES
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = check_plan([tmp_path])
    assert result.plan is None
    assert [(d.code, d.path, d.message) for d in result.diagnostics] == [
        ("TP001", str(locked), "cannot read plan directory: Permission denied")
    ]


def test_unreadable_file_is_tp001(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _plan(tmp_path, "version: 1\nevents:\n  user_signed_up: {}\n")
    real_open = os.open

    def open_(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(file) == path:  # the tests run as root: inject the EACCES
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    [diag] = check_plan([tmp_path]).diagnostics
    assert (diag.code, diag.path, diag.message) == (
        "TP001",
        str(path),
        "cannot read plan file: Permission denied",
    )


def test_export_refuses_a_nan_plan_and_never_prints_bare_nan(tmp_path: Path) -> None:
    path = _plan(tmp_path, _HEAD + "        type: number\n        maximum: .nan\n")
    proc = subprocess.run(
        [CLI, "export", "--format", "jsonschema", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "NaN" not in proc.stdout and "Infinity" not in proc.stdout
    assert "plan.yaml:7:18: TP002 `.nan` is NaN" in proc.stderr


# --- generated hostile YAML -----------------------------------------------------------

_special = st.sampled_from(
    [".nan", ".NaN", ".inf", "-.Inf", "+.inf", "1.0e+999", "-1e+400", "0x" + "f" * 1200,
     "9" * 1500, "-" + "9" * 5000, "0o777", "0b101", "1_000", "190:20:30", "~", "null",
     "yes", "no", "on", "2001-12-14", "!!binary aGk=", "!!set {a}", "!!python/none ''",
     "&a x", "*a", "*nope", "<<", "''", '"\\u0000"', '"\\ud800"', "|-\n  x", "? [a]",
     "!!bool maybe", "!!int abc", "!!float x", "!!null x", "!!int 0x", "!!str 1", "!!int 1_0"]
)  # fmt: skip
_keys = st.sampled_from(
    ["type", "enum", "pattern", "maximum", "minimum", "multipleOf", "properties", "items",
     "required", "format", "const", "anyOf", "$ref", "<<", "~", "", " ", "a/b~c", "1",
     "true", "null", ".nan", "é", "x-", "additionalProperties", "examples"]
) | st.text(max_size=6)  # fmt: skip
_leaf = (
    _special
    | st.integers(min_value=-(10**30), max_value=10**30).map(str)
    | st.floats().map(lambda f: repr(f).replace("inf", ".inf").replace("nan", ".nan"))
    | st.text(max_size=8).map(json.dumps)
    | st.sampled_from(["string", "integer", "number", "object", "array", "[a-z]+", "^(a+)+$"])
)


def _render(node: Any, indent: int) -> str:
    pad = "  " * indent
    if isinstance(node, tuple):  # ("map", items) or ("seq", items) or ("flow", text)
        kind, items = node
        if kind == "flow":
            return " " + items
        if not items:
            return " {}" if kind == "map" else " []"
        out = []
        for item in items:
            if kind == "map":
                key, value = item
                out.append(
                    f"\n{pad}{json.dumps(key) if key != '<<' else key}:{_render(value, indent + 1)}"
                )
            else:
                out.append(f"\n{pad}-{_render(item, indent + 1)}")
        return "".join(out)
    return " " + str(node)


_nodes = st.recursive(
    _leaf,
    lambda inner: (
        st.tuples(st.just("map"), st.lists(st.tuples(_keys, inner), max_size=4))
        | st.tuples(st.just("seq"), st.lists(inner, max_size=4))
        | st.tuples(
            st.just("flow"),
            st.lists(_leaf, max_size=3).map(
                lambda xs: "{" + ", ".join(f"k{i}: {x}" for i, x in enumerate(xs)) + "}"
            ),
        )
    ),
    max_leaves=20,
)  # fmt: skip


@st.composite
def _plan_texts(draw: st.DrawFn) -> str:
    """A plan-shaped document with hostile values, or a hostile document of any shape."""
    spec = draw(_nodes)
    events = draw(
        st.lists(st.sampled_from(["user_signed_up", "order_completed", "x y"]), max_size=3)
    )
    body = "".join(
        f"\n  {name}:\n    properties:\n      amount:{_render(spec, 4)}" for name in events
    )
    text = f"version: 1\nevents:{body or ' {}'}\n"
    if draw(st.booleans()):
        text += f"properties:\n  amount:{_render(draw(_nodes), 2)}\n"
    if draw(st.integers(0, 4)) == 0:
        depth = draw(st.integers(1, 400))
        text += "deep: " + "[" * depth + "]" * depth + "\n"
    if draw(st.integers(0, 4)) == 0:
        text = f"root:{_render(spec, 1)}\n"
    return text


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_plan_texts())
def test_generated_hostile_plans_never_raise_and_findings_are_positioned(text: str) -> None:
    doc, _problems = parse_yaml(text, "gen.yaml")
    if doc is not None:
        json.dumps(doc.value, default=str)  # what the loader does to digest it
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"trackplan-hostile-{os.getpid()}.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        result = check_plan([path])
    finally:
        path.unlink()
    for diag in result.diagnostics:
        assert diag.path == str(path)
        assert diag.line is not None and diag.line >= 1, diag
        assert diag.column is not None and diag.column >= 1, diag
    if result.plan is None:
        assert any(d.is_error for d in result.diagnostics)
        return
    json.dumps(compile_plan(result.plan), allow_nan=False)  # raises on NaN or Infinity
    registry = Registry(result.plan)
    for amount in (1, -(10**40), 1.5, "x" * 50, None, [1], {"a": 1}, math.inf):
        for event in result.plan.events:
            payload = {"event": event, "distinct_id": "u1", "properties": {"amount": amount}}
            verdict = registry.validate(payload)
            assert verdict.valid in (True, False)
