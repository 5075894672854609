"""Baseline format and matching: by path, code, event and call fingerprint, not line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from trackplan.linter.baseline import Baseline, BaselineError, write_baseline
from trackplan.registry.diagnostics import Diagnostic, Severity

SOURCE = """\
import posthog

def a(uid):
    posthog.capture("Signup", distinct_id=uid)

def b(uid2):
    posthog.capture(
        "Signup",   distinct_id=uid2,
    )
"""


def finding(path: Path, line: int, end_line: int, code: str = "TP101", event: str = "Signup"):
    return Diagnostic(
        code,
        Severity.ERROR,
        f"bad name `{event}`",
        path=str(path),
        line=line,
        column=5,
        end_line=end_line,
        end_column=20,
        event=event,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text(SOURCE)
    return tmp_path


def test_written_file_is_sorted_deterministic_one_entry_per_line(project: Path) -> None:
    src = project / "app" / "views.py"
    diags = [finding(src, 7, 9), finding(src, 4, 4), finding(src, 4, 4, "TP102")]
    out = project / "baseline.json"
    assert write_baseline(out, diags) == 3
    text = out.read_text()
    write_baseline(project / "again.json", list(reversed(diags)))
    assert (project / "again.json").read_text() == text
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1] == '  "version": 1,' and lines[2] == '  "entries": ['
    entries = json.loads(text)["entries"]
    assert [(e["path"], e["code"], e["event"], e["count"]) for e in entries] == [
        ("app/views.py", "TP101", "Signup", 1),
        ("app/views.py", "TP101", "Signup", 1),
        ("app/views.py", "TP102", "Signup", 1),
    ]
    assert entries == sorted(
        entries, key=lambda e: (e["path"], e["code"], e["event"], e["fingerprint"])
    )
    for number, entry in enumerate(entries, start=4):
        assert json.loads(lines[number - 1].strip().rstrip(",")) == entry


def test_baselined_findings_are_hidden_and_new_ones_reported(project: Path) -> None:
    src = project / "app" / "views.py"
    out = project / "baseline.json"
    write_baseline(out, [finding(src, 4, 4)])
    new, stale = Baseline.load(out).split([finding(src, 4, 4), finding(src, 7, 9)])
    assert [(d.line, d.code) for d in new] == [(7, "TP101")]
    assert stale == []


def test_moving_and_reindenting_code_does_not_resurface_a_finding(project: Path) -> None:
    src = project / "app" / "views.py"
    out = project / "baseline.json"
    write_baseline(out, [finding(src, 4, 4), finding(src, 7, 9)])
    moved = "# header\n\n\n" + SOURCE.replace(
        '    posthog.capture(\n        "Signup",   distinct_id=uid2,\n    )',
        '    posthog.capture("Signup",\n                    distinct_id=uid2)',
    )
    src.write_text(moved)
    new, stale = Baseline.load(out).split([finding(src, 7, 7), finding(src, 10, 11)])
    assert new == [] and stale == []


def test_editing_the_call_makes_it_new_and_its_entry_stale(project: Path) -> None:
    src = project / "app" / "views.py"
    out = project / "baseline.json"
    write_baseline(out, [finding(src, 4, 4)])
    src.write_text(
        SOURCE.replace(
            'posthog.capture("Signup", distinct_id=uid)',
            'posthog.capture("Signup", distinct_id=user_id)',
        )
    )
    new, stale = Baseline.load(out).split([finding(src, 4, 4)])
    assert [d.line for d in new] == [4]
    assert [(d.code, d.severity, d.path, d.line, d.column, d.event) for d in stale] == [
        ("TP903", Severity.INFO, str(out), 4, 5, "Signup")
    ]
    assert stale[0].message == (
        "stale baseline entry: TP101 for event `Signup` in app/views.py no longer occurs;"
        " regenerate the baseline with --write-baseline"
    )


def test_identical_keys_are_counted(project: Path) -> None:
    src = project / "app" / "views.py"
    src.write_text(
        'import posthog\nposthog.capture("X")\nposthog.capture("X")\nposthog.capture("X")\n'
    )
    out = project / "baseline.json"
    write_baseline(out, [finding(src, 2, 2, event="X"), finding(src, 3, 3, event="X")])
    assert json.loads(out.read_text())["entries"][0]["count"] == 2
    new, stale = Baseline.load(out).split([finding(src, n, n, event="X") for n in (2, 3, 4)])
    assert [d.line for d in new] == [4]
    new, stale = Baseline.load(out).split([finding(src, 3, 3, event="X")])
    assert new == []
    assert [d.message.split(":")[0] for d in stale] == ["stale baseline entry (1 of 2)"]


def test_code_and_event_are_part_of_the_key(project: Path) -> None:
    src = project / "app" / "views.py"
    out = project / "baseline.json"
    write_baseline(out, [finding(src, 4, 4)])
    new, _ = Baseline.load(out).split(
        [finding(src, 4, 4, code="TP102"), finding(src, 4, 4, event="Other")]
    )
    assert len(new) == 2


def test_paths_are_relative_to_the_baseline_so_cwd_does_not_matter(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = project / "app" / "views.py"
    out = project / "sub" / "baseline.json"
    write_baseline(out, [finding(src, 4, 4)])
    assert json.loads(out.read_text())["entries"][0]["path"] == "../app/views.py"
    monkeypatch.chdir(project / "app")
    relative = Diagnostic(
        "TP101", Severity.ERROR, "m", path="views.py", line=4, end_line=4, event="Signup"
    )
    new, stale = Baseline.load(out).split([relative])
    assert new == [] and stale == []


def test_info_findings_are_neither_recorded_nor_covered(project: Path) -> None:
    src = project / "app" / "views.py"
    info = Diagnostic("TP401", Severity.INFO, "dyn", path=str(src), line=4, end_line=4)
    out = project / "baseline.json"
    assert write_baseline(out, [info]) == 0
    assert json.loads(out.read_text()) == {"version": 1, "entries": []}
    new, stale = Baseline.load(out).split([info])
    assert new == [info] and stale == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "baseline.json:1:2: baseline is not valid JSON"),
        ("[]", "not a trackplan baseline"),
        ('{"version": 9, "entries": []}', "unsupported baseline version 9"),
        (
            '{"version": 1, "entries": [\n  {"code": "TP101", "count": 0}\n]}',
            "baseline.json:2: baseline entry 0: `count`",
        ),
        ('{"version": 1, "entries": [\n  {"code": 5}\n]}', "`code` must be a string"),
    ],
)
def test_malformed_baseline_raises_baseline_error_with_location(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(text)
    with pytest.raises(BaselineError, match=re.escape(message)):
        Baseline.load(path)


def test_missing_baseline_raises_baseline_error(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="cannot read baseline"):
        Baseline.load(tmp_path / "nope.json")


def test_entries_outside_the_scope_are_never_stale(project: Path) -> None:
    src = project / "app" / "views.py"
    other = project / "lib" / "other.py"
    other.parent.mkdir()
    other.write_text('import posthog\nposthog.capture("Signup")\n')
    out = project / "baseline.json"
    write_baseline(out, [finding(src, 4, 4), finding(other, 2, 2)])
    baseline = Baseline.load(out)
    # only lib/ was linted (pre-commit passed one file): app/views.py's entry is not stale
    new, stale = baseline.split([], scope=[other])
    assert new == [] and [d.line for d in stale] == [5]
    _, stale = baseline.split([], scope=[project / "lib"])
    assert [d.line for d in stale] == [5]
    _, stale = baseline.split([], scope=[project])
    assert [d.line for d in stale] == [4, 5]
    _, stale = baseline.split([], scope=())
    assert stale == []
    _, stale = baseline.split([])
    assert len(stale) == 2
