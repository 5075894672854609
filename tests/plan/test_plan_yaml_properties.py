"""Property tests: the event-stream YAML builder agrees with pyyaml's own safe loader,
and every value it builds has a recorded position."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from trackplan.registry.yaml_source import escape_pointer, parse_yaml

_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
_scalars |= st.floats(allow_nan=False, allow_infinity=False)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)


def _pointers(value: Any, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _pointers(item, f"{pointer}/{escape_pointer(key)}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _pointers(item, f"{pointer}/{index}")
    return found


@settings(max_examples=300, deadline=None)
@given(_values, st.booleans())
def test_builder_matches_safe_load(value: Any, flow: bool) -> None:
    text = yaml.safe_dump({"root": value}, default_flow_style=flow, allow_unicode=True)
    doc, problems = parse_yaml(text, "gen.yaml")
    assert problems == []
    assert doc is not None
    assert doc.value == yaml.safe_load(text)
    lines = text.splitlines()
    for pointer in _pointers(doc.value):
        assert pointer in doc.positions
        line, column = doc.positions[pointer]
        assert 1 <= line <= max(len(lines), 1) and column >= 1


def test_anchors_share_values_and_positions_point_at_the_anchor() -> None:
    doc, problems = parse_yaml("a: &x {k: [1, 2]}\nb: *x\n", "f.yaml")
    assert problems == [] and doc is not None
    assert doc.value == {"a": {"k": [1, 2]}, "b": {"k": [1, 2]}}
    assert doc.positions["/b/k/1"] == doc.positions["/a/k/1"] == (1, 15)
    assert doc.positions["/b"] == (2, 4)
