"""Property tests: reaching definitions agree with running the code, and the
whole-project summariser never fails on any input."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from trackplan.linter.analysis import AnalysisSettings, ProjectAnalyzer
from trackplan.linter.analysis.forwarding import summarise_source

NAMES = ["a_done", "b_done", "c_done", "d_done"]
MAX_CONDITIONS = 8

Statement = Any
_statements = st.deferred(
    lambda: st.one_of(
        st.tuples(st.just("set"), st.sampled_from(NAMES)),
        st.tuples(
            st.just("if"),
            st.lists(_statements, min_size=1, max_size=3),
            st.lists(_statements, max_size=3),
        ),
    )
)


def _render(body: list[Statement], indent: str, conditions: list[str]) -> list[str]:
    """Each `if` tests a condition of its own: the branches are independent."""
    lines: list[str] = []
    for statement in body:
        if statement[0] == "set":
            lines.append(f"{indent}name = {statement[1]!r}")
        else:
            _, then, orelse = statement
            conditions.append(f"c{len(conditions)}")
            lines.append(f"{indent}if {conditions[-1]}:")
            lines += _render(then, indent + "    ", conditions)
            if orelse:
                lines.append(f"{indent}else:")
                lines += _render(orelse, indent + "    ", conditions)
    return lines


def _program(body: list[Statement]) -> tuple[str, int]:
    conditions: list[str] = []
    lines = _render(body, "    ", conditions)
    source = "\n".join(
        [
            "import posthog",
            "",
            "",
            f"def view(user, {', '.join(['c', *conditions])}):",
            '    name = "start_done"',
            *lines,
            "    posthog.capture(name, distinct_id=user)",
            "",
        ]
    )
    return source, len(conditions)


def _executed_names(source: str, conditions: int) -> set[str]:
    sent: set[str] = set()

    class _Posthog:
        @staticmethod
        def capture(name: str, distinct_id: object = None) -> None:
            sent.add(name)

    namespace: dict[str, Any] = {}
    exec(compile(source.replace("import posthog", ""), "<generated>", "exec"), namespace)
    namespace["posthog"] = _Posthog
    for values in itertools.product([False, True], repeat=conditions):
        namespace["view"]("u", None, *values)
    return sent


@settings(max_examples=30, deadline=None)
@given(st.lists(_statements, max_size=4))
def test_reaching_names_are_exactly_the_names_the_code_can_send(body: list[Statement]) -> None:
    source, conditions = _program(body)
    assume(conditions <= MAX_CONDITIONS)
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "app.py").write_text(source)
        analyzer = ProjectAnalyzer(root, AnalysisSettings(posthog_version="7"))
        result = analyzer.analyze_file(root / "app.py")
    found = {call.event for call in result.calls}
    # with independent conditions, every combination of branches can run: exact
    assert found == _executed_names(source, conditions), source


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_the_summariser_never_fails_on_any_text(text: str) -> None:
    summary = summarise_source(text.encode("utf-8", "surrogatepass"))
    assert isinstance(summary.forwards, tuple)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "def f(a, b):\n    x = a\n    send(x, b)\n",
                "class C:\n    def m(self, e, **kw):\n        self.p.capture(e, **kw)\n",
                "g = lambda e: capture(e)\n",
                "def h(*args, **kwargs):\n    return client.capture(*args, **kwargs)\n",
                "x: int = 1\n",
                "async def k(e):\n    await track(e)\n",
                "import posthog as ph\nph.capture('e')\n",
                "def n(e):\n    def inner(z):\n        capture(z)\n    return inner(e)\n",
            ]
        ),
        max_size=6,
    )
)
def test_summaries_of_valid_modules_are_stable_and_json_round_trip(parts: list[str]) -> None:
    from trackplan.linter.analysis.forwarding import FileSummary

    source = "".join(parts).encode()
    first = summarise_source(source)
    assert summarise_source(source) == first
    assert FileSummary.from_json(first.to_json()) == first
