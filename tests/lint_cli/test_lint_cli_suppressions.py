"""Inline suppressions (one regex) and the prefilter, as data tables; plus the end-to-end
proof on the fixture project (app/quiet.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_cli_support import run_trackplan
from trackplan.linter.prefilter import TokenMatcher, may_track
from trackplan.linter.suppressions import apply_suppressions, suppressions_in
from trackplan.registry.diagnostics import Diagnostic, Severity

SILENCED = [
    ("x()  # trackplan: ignore[TP201]", frozenset({"TP201"})),
    ("x()  # trackplan: ignore[TP201, tp3]", frozenset({"TP201", "TP3"})),
    ("x()  # trackplan:ignore", None),
    ("x()  # TRACKPLAN: IGNORE", None),
    ("x()  # noqa: TP201", frozenset({"TP201"})),
    ("x()  # noqa: E501,TP202 TP3", frozenset({"TP202", "TP3"})),
    ("x()  # noqa: E501", frozenset()),
]


@pytest.mark.parametrize(("line", "codes"), SILENCED, ids=[s[0][6:] for s in SILENCED])
def test_suppression_comment_forms(line: str, codes: frozenset[str] | None) -> None:
    assert suppressions_in(line + "\n") == {1: codes}


@pytest.mark.parametrize(
    "source",
    ["x()  # noqa\n", 'x = "# trackplan: ignore"\n', "x()  # see trackplan docs\n"],
)
def test_not_a_suppression(source: str) -> None:
    assert dict(suppressions_in(source)) in ({}, {1: frozenset()})


def _finding(code: str, line: int) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, "m", path="f.py", line=line, column=1)


def test_only_the_reported_line_and_listed_codes_are_silenced() -> None:
    source = "a()  # trackplan: ignore[TP201]\nb()\nc()  # noqa: TP2\n"
    findings = [
        _finding("TP201", 1),
        _finding("TP202", 1),
        _finding("TP201", 2),
        _finding("TP204", 3),
    ]
    kept = apply_suppressions(findings, source)
    assert [(d.code, d.line) for d in kept] == [("TP202", 1), ("TP201", 2)]


def test_a_suppression_in_an_untokenizable_file_still_counts() -> None:
    source = 'x = """unterminated\nposthog.capture("e")  # trackplan: ignore\n'
    assert apply_suppressions([_finding("TP201", 2)], source) == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"import posthog\n", True),
        (b"# posthog\n    # uses posthog\n", False),
        (b"x = 1  # posthog\n", True),
        (b'"""\n# posthog in a docstring line\n"""\n', False),
        (b"# a\r\nposthog.capture()\r\n", True),
        (b"x = 1\r# posthog\r", False),
        (b"nothing here\n", False),
    ],
)
def test_prefilter(data: bytes, expected: bool) -> None:
    assert may_track(data, (b"posthog",)) is expected
    assert TokenMatcher([b"posthog", b"posthoganalytics"])(data) is expected


def test_token_matcher_keeps_only_minimal_tokens() -> None:
    assert TokenMatcher([b"track", b"posthog", b"posthoganalytics", b"tracking"]).tokens == (
        b"posthog",
        b"track",
    )


def test_suppressions_end_to_end(project: Path) -> None:
    done = run_trackplan("lint", "--no-cache", "-q", "app/quiet.py", cwd=project)
    findings = [line for line in done.stdout.splitlines() if not line.startswith(" ")]
    assert findings == [
        "app/quiet.py:8:21: TP201 event `gift_wrapped` is not in the plan",
        "app/quiet.py:9:51: TP201 event `review_posted` is not in the plan",
    ]


def test_unreadable_sources_are_findings_not_crashes(project: Path) -> None:
    (project / "app" / "nul.py").write_bytes(b"import posthog\x00\nposthog.capture('x')\n")
    (project / "app" / "latin1.py").write_bytes(b"import posthog\n# caf\xe9\n")
    (project / "app" / "deep.py").write_text(
        "import posthog\nx = " + "[" * 3000 + "]" * 3000 + "\n"
    )
    long_sum = "+".join(["1"] * 20000)  # valid Python that overflows libcst's native parser
    (project / "app" / "long.py").write_text(f"import posthog\nx = {long_sum}\n")
    done = run_trackplan("lint", "--no-cache", "--select", "TP901", "-q", cwd=project)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    paths = [line.split(":")[0] for line in done.stdout.splitlines() if not line.startswith(" ")]
    assert paths == ["app/broken.py", "app/deep.py", "app/latin1.py", "app/long.py", "app/nul.py"]
    assert "TP201" in run_trackplan("lint", "--no-cache", "-q", cwd=project).stdout  # others ran
