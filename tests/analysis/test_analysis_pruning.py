"""Pruning: libcst sees only the code that can matter, and nothing else changes.

The fixture holds tracking calls among code that cannot matter (filler functions,
methods, a one-line def, an async def, a decorated method) and code that must be kept
(a client bound through ``global``, one set on ``self`` in ``__init__``, a candidate
call in a parameter default). The expected findings are those of the unpruned analysis.
"""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest
from trackplan.linter.analysis import AnalysisSettings, ProjectAnalyzer
from trackplan.linter.analysis.calls import Outline, find_calls
from trackplan.linter.analysis.pruning import prepare, prune
from trackplan.linter.analysis.resolver import Resolver

FIXTURE = Path(__file__).parent / "fixtures" / "pruning"
SHAPES = FIXTURE / "app" / "shapes.py"


def _analyzer() -> ProjectAnalyzer:
    return ProjectAnalyzer(FIXTURE, AnalysisSettings(), None)


def test_pruned_analysis_finds_what_the_full_analysis_finds() -> None:
    result = _analyzer().analyze_file(SHAPES)
    found = [(d.code, d.line, d.column, d.end_line, d.end_column) for d in result.diagnostics]
    assert found == [
        ("TP101", 44, 25, 44, 40),
        ("TP101", 51, 20, 51, 36),
        ("TP302", 51, 50, 51, 61),
        ("TP101", 54, 35, 54, 50),
        ("TP301", 54, 64, 54, 66),
    ]
    calls = [(c.line, c.column, c.end_line, c.end_column, c.target, c.event) for c in result.calls]
    assert calls == [
        (44, 9, 44, 83, "posthog.Client.capture", "Order Created"),
        (51, 5, 51, 62, "posthog.Client.capture", "thing happened"),
        (54, 19, 54, 67, "posthog.capture", "default fired"),
    ]


def test_prune_hollows_only_what_cannot_matter() -> None:
    source = SHAPES.read_bytes()
    pruned = prune(source, ast.parse(source), _analyzer().call_names)
    assert pruned.hollowed == 5  # filler (with inner), unrelated, cached, later, one_liner
    assert pruned.candidate_lines == [44, 51, 54]
    before, after = source.decode().splitlines(), pruned.source.decode().splitlines()
    assert len(after) == len(before)  # every position is kept
    kept = {i for i, (a, b) in enumerate(zip(before, after, strict=True), 1) if a == b}
    for line in (22, 23, 24, 31, 32, 36, 43, 44, 50, 51, 54, 55):  # setup, __init__, send, ...
        assert line in kept, before[line - 1]
    assert after[10] == 'def filler(): """'
    assert after[35] == "    @functools.lru_cache(maxsize=None)"  # decorators stay
    assert after[46] == "def one_liner(): pass"
    ast.parse(pruned.source)


def test_prune_keeps_crlf_line_endings_and_lines() -> None:
    source = b"import posthog\r\n\r\ndef f(a):\r\n    x = a\r\n    return x\r\n"
    source += b"\r\nposthog.capture('e')\r\n"
    pruned = prune(source, ast.parse(source), frozenset({"capture"}))
    assert pruned.hollowed == 1
    assert pruned.source.split(b"\r\n")[2:6] == [b'def f(): """', b"", b'"""', b""]
    assert pruned.source.count(b"\r\n") == source.count(b"\r\n")


@pytest.mark.parametrize(
    "source",
    [
        b"import posthog\x00\n",  # NUL bytes: TP901 from the analyzer
        b"import posthog\n# caf\xe9\n",  # not UTF-8: libcst decides
        b"\xef\xbb\xbfimport posthog\n",  # a BOM: left whole
        b"import posthog\ndef (:\n",  # a syntax error: the analyzer reports it
    ],
)
def test_prepare_leaves_odd_files_to_the_analyzer(source: bytes) -> None:
    assert prepare(source, frozenset({"capture"})) is None


def test_skipping_statements_counts_calls_like_a_full_walk() -> None:
    analyzer = _analyzer()
    source = SHAPES.read_bytes()
    pruned = prune(source, ast.parse(source), analyzer.call_names)
    tree = cst.parse_module(pruned.source)
    lines = sorted(n.lineno for n in ast.walk(pruned.tree) if isinstance(n, ast.Call))
    outline = Outline(pruned.tree, lines, pruned.candidate_lines)
    results = []
    for name, plan in (("skipping", outline), ("full", None)):
        module = analyzer.index.register(f"app.shapes_{name}", SHAPES, tree, False)
        facts, total = find_calls(module, Resolver(analyzer.index), analyzer.table, plan)
        results.append((total, [fact.index for fact in facts]))
    assert results[0] == results[1]
    assert results[0][0] == len(lines)


def test_attribute_assignments_keep_a_function_only_when_they_may_hold_a_client() -> None:
    source = (
        b"import posthog\n"
        b"RESPONSE = object()\n"
        b"def test_refund(gateway_mock, payment):\n"
        b"    gateway_mock.refund.return_value = RESPONSE\n"
        b"    payment.charge_status = 'charged'\n"
        b"def create_app(app):\n"
        b"    app.state.posthog = make()\n"
        b"def wire(app):\n"
        b"    app.tracker = get_client()\n"
        b"def configure(settings):\n"
        b"    posthog.api_key = settings.KEY\n"
        b"class Service:\n"
        b"    def __init__(self, sink):\n"
        b"        self.sink = sink\n"
    )
    pruned = prune(source, ast.parse(source), frozenset({"capture"}))
    after = pruned.source.decode().splitlines()
    assert pruned.hollowed == 1
    assert after[2] == 'def test_refund(): """'
    assert after[6] == "    app.state.posthog = make()"
    assert after[8] == "    app.tracker = get_client()"
    assert after[10] == "    posthog.api_key = settings.KEY"
    assert after[13] == "        self.sink = sink"
