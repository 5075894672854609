"""Invariants of the rule catalogue: every rule is documented, exemplified and unique.

The catalogue is the one registry of codes shared by plan checks, the code analyzer
and runtime validation, so these tests also make sure no source file in
``registry/``/``linter/`` uses a code the catalogue does not define.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from trackplan.registry.diagnostics import Severity
from trackplan.registry.rules import Rule, catalogue

REPO = Path(__file__).resolve().parents[2]
RULES_DIR = REPO / "registry" / "rules"
SECTIONS = ("**What it catches.**", "**Why it matters.**", "**Example.**", "**Fix.**")
_CODE = re.compile(r"^TP\d{3}$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

RULES = list(catalogue().values())


def test_catalogue_discovers_every_rule_module() -> None:
    modules = sorted(p.stem for p in RULES_DIR.glob("tp[0-9][0-9][0-9]_*.py"))
    assert sorted(rule.__module__.rsplit(".", 1)[1] for rule in RULES) == modules
    assert len(RULES) >= 20


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_code_and_slug_match_module_name(rule: type[Rule]) -> None:
    module = rule.__module__.rsplit(".", 1)[1]
    assert _CODE.match(rule.code)
    assert _SLUG.match(rule.slug)
    assert module == f"{rule.code.lower()}_{rule.slug.replace('-', '_')}"


def test_slugs_are_unique() -> None:
    duplicates = [slug for slug, n in Counter(r.slug for r in RULES).items() if n > 1]
    assert not duplicates


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_metadata_is_complete(rule: type[Rule]) -> None:
    assert isinstance(rule.default_severity, Severity)
    assert rule.scopes and rule.scopes <= {"plan", "code", "payload", "diff"}
    assert rule.summary.strip() and "\n" not in rule.summary


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_documentation_has_the_four_sections_in_order(rule: type[Rule]) -> None:
    doc = rule.documentation()
    assert "TODO" not in doc
    first_line = doc.splitlines()[0] if doc else ""
    assert first_line and not first_line.startswith("**"), "starts with a one-line summary"
    positions = [doc.find(section) for section in SECTIONS]
    missing = [s for s, at in zip(SECTIONS, positions, strict=True) if at < 0]
    assert not missing, f"{rule.code} documentation lacks {missing}"
    assert positions == sorted(positions), "sections in the order What, Why, Example, Fix"
    for section, start in zip(SECTIONS, positions, strict=True):
        body = doc[start + len(section) :].split("**", 1)[0]
        assert len(body.split()) >= 3, f"{rule.code} {section} is (nearly) empty"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_valid_and_invalid_examples_for_every_scope(rule: type[Rule]) -> None:
    if rule.NO_EXAMPLES_REASON:
        assert not rule.VALID and not rule.INVALID
        assert len(rule.NO_EXAMPLES_REASON.split()) >= 5, "say why there are no examples"
        return
    for scope in sorted(rule.scopes):
        assert any(ex.kind == scope for ex in rule.VALID), f"no VALID {scope} example"
        assert any(ex.kind == scope for ex in rule.INVALID), f"no INVALID {scope} example"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_examples_are_well_formed(rule: type[Rule]) -> None:
    for example in (*rule.VALID, *rule.INVALID):
        assert example.kind in rule.scopes, f"{example.kind} example for a rule without it"
        assert example.text.strip()
        if example.kind == "plan":
            assert example.plan is None, "a plan example is its own plan"
        if example.kind in ("payload", "diff"):
            assert example.plan is not None, "a payload or diff example needs its (old) plan"
    texts = [(ex.kind, ex.text, ex.plan) for ex in (*rule.VALID, *rule.INVALID)]
    assert len(texts) == len(set(texts)), "an example is listed twice"


def _source_files() -> list[Path]:
    return sorted(
        path
        for top in ("registry", "linter")
        for path in (REPO / top).rglob("*.py")
        if "__pycache__" not in path.parts
    )


def _code_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and _CODE.match(node.value)
    ]


def test_every_code_literal_in_the_source_is_in_the_catalogue() -> None:
    known = set(catalogue())
    unknown = [
        f"{path.relative_to(REPO)}:{line}: {value}"
        for path in _source_files()
        for line, value in _code_literals(path)
        if value not in known
    ]
    assert not unknown, "codes used but not in the catalogue:\n" + "\n".join(unknown)


def test_code_literal_scan_really_finds_codes(tmp_path: Path) -> None:
    """Guards the scan above against silently matching nothing."""
    sample = tmp_path / "sample.py"
    sample.write_text('x = "TP202"\ny = diagnostic("TP999", "m")\nz = "TP2020"\n')
    assert _code_literals(sample) == [(1, "TP202"), (2, "TP999")]
    all_literals = {value for path in _source_files() for _, value in _code_literals(path)}
    assert {"TP001", "TP202"} <= all_literals
    assert sys.version_info >= (3, 10)
