"""``trackplan rules`` through a real subprocess of the installed command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from suite_support import run_cli
from trackplan.linter.docs import render_rule_page, render_rule_reference, render_rule_table
from trackplan.registry.rules import catalogue, get_rule


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("rules", *args, cwd=cwd, timeout=60)


def test_rules_lists_every_rule_with_severity_slug_and_summary(tmp_path: Path) -> None:
    proc = run(cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(catalogue())
    tp202 = next(line for line in lines if line.startswith("TP202"))
    assert tp202.split(None, 3) == [
        "TP202",
        "error",
        "required-property-missing",
        "required property missing (at any depth)",
    ]
    tp206 = next(line for line in lines if line.startswith("TP206"))
    assert tp206.split()[1:3] == ["info", "did-you-mean"]


def test_rules_code_prints_the_rules_documentation(tmp_path: Path) -> None:
    proc = run("TP202", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == render_rule_page(get_rule("TP202"))
    for section in ("**What it catches.**", "**Why it matters.**", "**Example.**", "**Fix.**"):
        assert section in proc.stdout
    assert "Invalid (payload, with the plan above):" in proc.stdout


def test_rules_accepts_lower_case_codes_and_slugs(tmp_path: Path) -> None:
    by_slug = run("generic-distinct-id", "tp501", cwd=tmp_path)
    assert by_slug.returncode == 0, by_slug.stderr
    assert by_slug.stdout.startswith("## TP302 generic-distinct-id\n")
    assert "\n## TP501 legacy-capture-signature\n" in by_slug.stdout
    assert "6.7.6" in by_slug.stdout and "silently" in by_slug.stdout


def test_rules_unknown_code_is_a_usage_error(tmp_path: Path) -> None:
    proc = run("TP999", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "unknown rule TP999" in proc.stderr
    mixed = run("TP202", "TP998", cwd=tmp_path)
    assert mixed.returncode == 2 and "TP998" in mixed.stderr and mixed.stdout == ""


def test_rules_markdown_prints_the_table(tmp_path: Path) -> None:
    proc = run("--format", "markdown", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == render_rule_table()


def test_rules_markdown_all_prints_the_reference(tmp_path: Path) -> None:
    proc = run("--format", "markdown", "--all", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == render_rule_reference()
    assert proc.stdout.startswith("# Rule reference\n")


def test_rules_json_lists_rules_and_documents_named_ones(tmp_path: Path) -> None:
    listing = json.loads(run("--format", "json", cwd=tmp_path).stdout)
    assert [item["code"] for item in listing] == list(catalogue())
    assert listing[0].keys() == {"code", "slug", "severity", "scopes", "summary"}
    one = json.loads(run("--format", "json", "TP304", cwd=tmp_path).stdout)
    assert len(one) == 1 and one[0]["code"] == "TP304"
    assert one[0]["scopes"] == ["code", "payload"]
    assert one[0]["invalid"] and all(ex["plan"] for ex in one[0]["invalid"])
    assert "**Fix.**" in one[0]["documentation"]
