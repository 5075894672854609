"""The generated rule documentation is up to date and renders what the rules say.

``docs/rules.md`` and the README's rule table are generated from the rule classes
(``python scripts/update_rule_docs.py`` rewrites both); these tests fail when a rule
changed and the documents were not regenerated.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from trackplan.linter.docs import (
    render_rule_page,
    render_rule_reference,
    render_rule_table,
    scope_label,
)
from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Example, Rule, catalogue, get_rule

REPO = Path(__file__).resolve().parents[2]
REGENERATE = "regenerate with `python scripts/update_rule_docs.py`"


def test_docs_rules_md_matches_the_catalogue() -> None:
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_rule_reference(), f"docs/rules.md is stale: {REGENERATE}"


def test_readme_rule_table_matches_the_catalogue() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", readme, re.DOTALL)
    assert match, "README.md lacks the <!-- rules:start --> / <!-- rules:end --> markers"
    assert match.group(1) == render_rule_table(), f"README rule table is stale: {REGENERATE}"


def test_update_script_check_mode_agrees() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "update_rule_docs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, "")


def test_rule_table_has_one_row_per_rule_in_code_order() -> None:
    lines = render_rule_table().splitlines()
    assert lines[0] == "| code | name | meaning | default severity | where it applies |"
    assert lines[1] == "|---|---|---|---|---|"
    assert [line.split(" | ")[0].lstrip("| ") for line in lines[2:]] == list(catalogue())
    assert all(line.count(" | ") == 4 for line in lines[2:]), "a summary broke the table"
    row = next(line for line in lines if line.startswith("| TP202 "))
    assert row == (
        "| TP202 | `required-property-missing` | required property missing (at any depth)"
        " | error | code, payloads |"
    )


def test_scope_label_uses_a_fixed_order() -> None:
    assert scope_label(get_rule("TP001")) == "plan files"
    assert scope_label(get_rule("TP101")) == "plan files, code"
    assert scope_label(get_rule("TP202")) == "code, payloads"


def test_rule_page_holds_documentation_and_every_example() -> None:
    rule = get_rule("TP202")
    page = render_rule_page(rule)
    assert page.startswith("## TP202 required-property-missing\n\nDefault severity: **error**.")
    assert rule.documentation() in page
    for example in (*rule.VALID, *rule.INVALID):
        assert example.text.rstrip("\n") in page
    assert page.count("Valid (") == len(rule.VALID)
    assert page.count("Invalid (") == len(rule.INVALID)
    # all TP202 examples share one plan: shown once, not once per example
    assert page.count("order_created:\n    properties:") == 1


def test_rule_page_says_which_plan_each_example_uses() -> None:
    page = render_rule_page(get_rule("TP101"))
    assert 'The plan for the examples marked "with the plan above":' in page
    assert "Invalid (plan):" in page
    assert "Valid (code, without a plan):" in page
    assert "Invalid (code, with the plan above):" in page
    assert "```python\nimport posthog\n" in page


class _TwoPlans(Rule):
    """A made-up rule whose examples use two different plans.

    **What it catches.** Nothing. **Why it matters.** Nothing. **Example.** None here.
    **Fix.** None needed.
    """

    code = "TP999"
    slug = "two-plans"
    default_severity = Severity.INFO
    scopes = frozenset({"payload"})
    summary = "a | pipe in a summary"
    VALID = (Example("payload", '{"event": "a_created"}', "version: 1\nevents: {a_created: {}}\n"),)
    INVALID = (Example("payload", '{"event": "b"}', "version: 1\nevents: {b_created: {}}\n"),)


def test_rule_page_numbers_plans_when_examples_use_several() -> None:
    page = render_rule_page(_TwoPlans)
    assert "Plan 1:\n\n```yaml\nversion: 1\nevents: {a_created: {}}\n```" in page
    assert "Plan 2:\n\n```yaml\nversion: 1\nevents: {b_created: {}}\n```" in page
    assert "Valid (payload, with plan 1):" in page
    assert "Invalid (payload, with plan 2):" in page
    assert "| a \\| pipe in a summary |" in render_rule_table([_TwoPlans])


def test_reference_contains_every_rule_once() -> None:
    reference = render_rule_reference()
    for code, rule in catalogue().items():
        assert reference.count(f"\n## {code} {rule.slug}\n") == 1
