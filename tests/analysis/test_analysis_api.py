"""The analyzer's contract: prefilter tokens, dependencies, never raising, settings errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_analysis_cases import CASES, _settings, analyse_case
from trackplan.linter.analysis import AnalysisSettings, ProjectAnalyzer, SignatureError


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_every_file_with_a_tracking_call_contains_a_trigger_token(case: str) -> None:
    folder = CASES / case
    tokens = ProjectAnalyzer(folder, _settings(folder)).trigger_tokens()
    _, _, results = analyse_case(folder)
    files = {Path(call.path) for result in results for call in result.calls}
    for path in files:
        source = path.read_bytes()
        assert any(token in source for token in tokens), path


def test_wrapper_names_are_trigger_tokens() -> None:
    settings = AnalysisSettings(wrappers={"app.telemetry.Analytics.event": "(self, event)"})
    tokens = ProjectAnalyzer(CASES / "wrappers_every_shape", settings).trigger_tokens()
    assert {b"telemetry", b"Analytics", b"event", b"posthog"} <= set(tokens)


def test_dependencies_name_the_modules_constants_come_from() -> None:
    case = CASES / "constants_enums_across_modules"
    analyzer = ProjectAnalyzer(case, AnalysisSettings())
    result = analyzer.analyze_file(case / "src" / "app" / "flows.py")
    assert sorted(p.relative_to(case.resolve()).as_posix() for p in result.dependencies) == [
        "requirements-prod.txt",
        "src/app/events/__init__.py",
        "src/app/events/names.py",
    ]


def test_analysed_files_are_not_kept_in_memory() -> None:
    case = CASES / "instances_everywhere"
    analyzer = ProjectAnalyzer(case, AnalysisSettings())
    analyzer.analyze_file(case / "app" / "service.py")
    assert "app.service" not in analyzer.index.modules
    assert "app.clients" in analyzer.index.modules  # a dependency stays cached


def test_diagnostics_carry_ranges_and_events() -> None:
    case = CASES / "posthog_v5_legacy_signature"
    [result] = [ProjectAnalyzer(case, AnalysisSettings()).analyze_file(case / "views.py")]
    [tp101] = [d for d in result.diagnostics if d.code == "TP101"]
    assert (tp101.line, tp101.column, tp101.end_line, tp101.end_column) == (10, 30, 10, 41)
    assert tp101.event == "Signed Up"
    assert tp101.path == str(case / "views.py")


@pytest.mark.parametrize("name", ["missing.py", "a_directory"])
def test_unreadable_paths_become_tp901_and_never_raise(name: str, tmp_path: Path) -> None:
    (tmp_path / "a_directory").mkdir()
    result = ProjectAnalyzer(tmp_path).analyze_file(tmp_path / name)
    assert [(d.code, d.line, d.column) for d in result.diagnostics] == [("TP901", 1, 1)]
    assert result.diagnostics[0].message.startswith("cannot read the file")


def test_bad_wrapper_signature_names_the_wrapper(tmp_path: Path) -> None:
    settings = AnalysisSettings(wrappers={"app.track": "event, distinct_id"})
    with pytest.raises(SignatureError, match=r"app\.track"):
        ProjectAnalyzer(tmp_path, settings)
