"""Rule documentation rendered from the rule catalogue, never written twice.

The README's rule table, ``docs/rules.md`` and ``trackplan rules`` all come from
here, and here everything comes from the rule classes in
:mod:`trackplan.registry.rules` (their code, slug, severity, scopes, summary,
docstring and ``VALID``/``INVALID`` examples). A test regenerates the documents and
fails when the committed copies drift; ``scripts/update_rule_docs.py`` rewrites them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from trackplan.registry.rules import Example, Rule, catalogue

__all__ = [
    "REFERENCE_FOOTER",
    "REFERENCE_HEADER",
    "render_rule_list",
    "render_rule_page",
    "render_rule_reference",
    "render_rule_table",
    "render_rules_json",
    "rule_to_dict",
    "scope_label",
]

#: How each scope is named in the "where it applies" column, in display order.
_SCOPE_LABELS = {
    "plan": "plan files",
    "code": "code",
    "payload": "payloads",
    "diff": "plan changes",
}

_FENCE_LANGUAGE = {"plan": "yaml", "payload": "json", "code": "python", "diff": "yaml"}

REFERENCE_HEADER = """\
# Rule reference

<!-- Generated from the rule classes by `trackplan rules --format markdown --all`
     (or `python scripts/update_rule_docs.py`); do not edit by hand. -->

Every finding trackplan reports, from `trackplan check` (plan files), `trackplan lint`
(code) and `trackplan validate` or the runtime hooks (payloads), carries one of these
codes. Severities are defaults: override them per code in `[tool.trackplan.severity]`,
and choose codes by prefix with `select`/`ignore` (`TP2` means every `TP2xx` rule).
`trackplan rules CODE` prints one rule's page in the terminal.

Each rule's valid and invalid examples below are run by the test suite: an invalid
example must produce the rule's code and a valid one must not."""


REFERENCE_FOOTER = """\
## Adding a rule

A rule is one module `registry/rules/tpNNN_slug.py` (code and slug in the file name)
defining one `Rule` subclass with `code`, `slug`, `default_severity`, `scopes`
(`plan`, `code`, `payload`, `diff`) and a one-line `summary`. Its docstring is its page here:
a one-line description, then the sections **What it catches.**, **Why it matters.**,
**Example.** and **Fix.** Its `VALID` and `INVALID` tuples of `Example(kind, text,
plan)` need at least one of each for every scope; a whole-project rule that one file
cannot show sets `NO_EXAMPLES_REASON` instead. The catalogue discovers the module;
nothing registers it by hand. Then run `python scripts/update_rule_docs.py` to
regenerate this page and the README table (`tests/rules/` fails until you do)."""


def _rules(rules: Iterable[type[Rule]] | None) -> list[type[Rule]]:
    return list(catalogue().values()) if rules is None else list(rules)


def scope_label(rule: type[Rule]) -> str:
    """Where the rule applies, e.g. ``code, payloads`` (fixed order, not set order)."""
    return ", ".join(label for scope, label in _SCOPE_LABELS.items() if scope in rule.scopes)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def render_rule_table(rules: Iterable[type[Rule]] | None = None) -> str:
    """The Markdown table: code | name | meaning | default severity | where it applies."""
    lines = [
        "| code | name | meaning | default severity | where it applies |",
        "|---|---|---|---|---|",
    ]
    for rule in _rules(rules):
        lines.append(
            f"| {rule.code} | `{rule.slug}` | {_cell(rule.summary)} "
            f"| {rule.default_severity.value} | {scope_label(rule)} |"
        )
    return "\n".join(lines) + "\n"


def render_rule_list(rules: Iterable[type[Rule]] | None = None) -> str:
    """A plain-text listing for the terminal: code, severity, slug, summary."""
    chosen = _rules(rules)
    slug_width = max((len(rule.slug) for rule in chosen), default=0)
    lines = [
        f"{rule.code}  {rule.default_severity.value:<7}  {rule.slug:<{slug_width}}  {rule.summary}"
        for rule in chosen
    ]
    return "\n".join(lines) + "\n" if lines else ""


def _fenced(text: str, language: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{language}\n{text.rstrip(chr(10))}\n{fence}"


def _distinct_plans(examples: Sequence[Example]) -> list[str]:
    plans: list[str] = []
    for example in examples:
        if example.plan is not None and example.plan not in plans:
            plans.append(example.plan)
    return plans


def _render_examples(rule: type[Rule], heading: str) -> list[str]:
    labelled = [("Valid", ex) for ex in rule.VALID] + [("Invalid", ex) for ex in rule.INVALID]
    if not labelled:
        reason = rule.NO_EXAMPLES_REASON
        return (
            [f"{heading} Examples", "", f"None that one file can show: {reason}", ""]
            if reason
            else []
        )
    out = [f"{heading} Examples", ""]
    plans = _distinct_plans([ex for _, ex in labelled])
    if len(plans) == 1:
        out += ['The plan for the examples marked "with the plan above":', ""]
        out += [_fenced(plans[0], "yaml"), ""]
    elif plans:
        for number, plan in enumerate(plans, 1):
            out += [f"Plan {number}:", "", _fenced(plan, "yaml"), ""]
    for label, example in labelled:
        against = ""
        if example.plan is not None and len(plans) > 1:
            against = f", with plan {plans.index(example.plan) + 1}"
        elif example.plan is not None:
            against = ", with the plan above"
        elif example.kind == "code":
            against = ", without a plan"
        if example.kind == "diff":
            against = against.replace(", with", ", new plan compared with")
        out += [f"{label} ({example.kind}{against}):", ""]
        out += [_fenced(example.text, _FENCE_LANGUAGE[example.kind]), ""]
    return out


def render_rule_page(rule: type[Rule], *, level: int = 2) -> str:
    """One rule's Markdown page: heading, facts, its documentation and its examples."""
    heading = "#" * level
    lines = [
        f"{heading} {rule.code} {rule.slug}",
        "",
        f"Default severity: **{rule.default_severity.value}**. "
        f"Applies to: {scope_label(rule)}. "
        f"Summary: {' '.join(rule.summary.split())}.",
        "",
        rule.documentation(),
        "",
    ]
    lines += _render_examples(rule, heading + "#")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def render_rule_reference(rules: Iterable[type[Rule]] | None = None) -> str:
    """The whole rule reference (``docs/rules.md``): header, table, every rule's page."""
    chosen = _rules(rules)
    parts = [REFERENCE_HEADER, "## Summary", render_rule_table(chosen).rstrip("\n")]
    parts += [render_rule_page(rule).rstrip("\n") for rule in chosen]
    parts.append(REFERENCE_FOOTER)
    return "\n\n".join(parts) + "\n"


def _example_to_dict(example: Example) -> dict[str, Any]:
    return {"kind": example.kind, "text": example.text, "plan": example.plan}


def rule_to_dict(rule: type[Rule], *, full: bool = False) -> dict[str, Any]:
    """A JSON-ready description of a rule (with documentation and examples if ``full``)."""
    out: dict[str, Any] = {
        "code": rule.code,
        "slug": rule.slug,
        "severity": rule.default_severity.value,
        "scopes": [scope for scope in _SCOPE_LABELS if scope in rule.scopes],
        "summary": " ".join(rule.summary.split()),
    }
    if full:
        out["documentation"] = rule.documentation()
        out["valid"] = [_example_to_dict(ex) for ex in rule.VALID]
        out["invalid"] = [_example_to_dict(ex) for ex in rule.INVALID]
    return out


def render_rules_json(rules: Iterable[type[Rule]] | None = None, *, full: bool = False) -> str:
    """The rules as a JSON array (see :func:`rule_to_dict`)."""
    return json.dumps([rule_to_dict(rule, full=full) for rule in _rules(rules)], indent=2) + "\n"
