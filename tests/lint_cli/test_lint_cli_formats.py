"""Every output format of ``trackplan lint``, byte for byte, on the fixture project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lint_cli_support import DATA, check_expected, run_trackplan

FORMATS = {"text": "text.out", "json": "json.out", "github": "github.out", "sarif": "sarif.out"}


@pytest.mark.parametrize("output_format", sorted(FORMATS))
def test_format_output_is_exact(project: Path, output_format: str) -> None:
    done = run_trackplan("lint", "--no-cache", "--format", output_format, cwd=project)
    assert done.returncode == 1, done.stderr
    check_expected(FORMATS[output_format], done.stdout)


def test_text_summary_goes_to_stderr(project: Path) -> None:
    done = run_trackplan("lint", "--no-cache", cwd=project)
    assert done.stderr == "Found 7 findings (6 errors, 1 warning).\n"
    quiet = run_trackplan("lint", "--no-cache", "-q", cwd=project)
    assert quiet.stderr == ""
    assert quiet.stdout == done.stdout


def test_github_format_is_chosen_under_github_actions(project: Path) -> None:
    done = run_trackplan("lint", "--no-cache", cwd=project, env={"GITHUB_ACTIONS": "true"})
    check_expected("github.out", done.stdout)
    explicit = run_trackplan(
        "lint", "--no-cache", "--format", "json", cwd=project, env={"GITHUB_ACTIONS": "true"}
    )
    check_expected("json.out", explicit.stdout)


def test_json_fields_are_the_documented_ones(project: Path) -> None:
    done = run_trackplan("lint", "--no-cache", "--format", "json", cwd=project)
    items = json.loads(done.stdout)
    required = {"path", "line", "column", "end_line", "end_column", "code", "severity", "message"}
    assert all(required <= item.keys() for item in items)
    assert {item["event"] for item in items if "event" in item} >= {"order_created"}
    assert all(not item["path"].startswith("/") for item in items)


def test_paths_are_relative_to_the_working_directory(project: Path) -> None:
    done = run_trackplan("lint", "--no-cache", "--format", "json", cwd=project / "app")
    paths = {item["path"] for item in json.loads(done.stdout)}
    assert paths == {"billing.py", "broken.py", "quiet.py"}


@pytest.mark.parametrize("subdir", [".", "plans"], ids=["relative-uris", "file-uris"])
def test_sarif_is_valid_against_the_official_schema(project: Path, subdir: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = DATA / "sarif-schema-2.1.0.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    done = run_trackplan("lint", "--no-cache", "--format", "sarif", cwd=project / subdir)
    log = json.loads(done.stdout)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    run = log["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rule_ids == sorted({result["ruleId"] for result in run["results"]})
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("app/" if subdir == "." else "file:///")


def test_sarif_rules_come_from_the_catalogue(project: Path) -> None:
    from trackplan.registry.rules import catalogue

    done = run_trackplan("lint", "--no-cache", "--format", "sarif", cwd=project)
    rules = json.loads(done.stdout)["runs"][0]["tool"]["driver"]["rules"]
    for rule in rules:
        entry = catalogue()[rule["id"]]
        assert rule["name"] == entry.slug
        assert rule["shortDescription"]["text"] == entry.summary


def test_github_values_are_escaped_like_the_actions_toolkit(tmp_path: Path) -> None:
    import io

    from trackplan.linter.reporters import get_reporter
    from trackplan.registry.diagnostics import Diagnostic, Severity

    diag = Diagnostic(
        "TP204",
        Severity.INFO,
        "100% wrong\nsecond line",
        path=str(tmp_path / "a,b:c.py"),
        line=2,
        column=3,
    )
    out = io.StringIO()
    get_reporter("github")(cwd=tmp_path).render([diag], out)
    assert out.getvalue() == (
        "::notice file=a%2Cb%3Ac.py,line=2,col=3,title=trackplan (TP204)::"
        "a,b:c.py:2:3: TP204 100%25 wrong%0Asecond line\n"
    )
