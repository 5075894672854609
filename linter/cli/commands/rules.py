"""``trackplan rules [CODE...]``: list the rule catalogue or print rules' documentation.

Without a code it lists every rule (code, default severity, slug, summary); with
codes (or slugs) it prints each rule's page: what it catches, why it matters, an
example, the fix, and its valid and invalid examples. ``--format markdown`` prints
the rule table (the one in the README), and with ``--all`` the whole reference that
``docs/rules.md`` holds; ``--format json`` is for tools. Everything is rendered by
:mod:`trackplan.linter.docs` from the rule classes. An unknown code exits 2.
"""

from __future__ import annotations

import click
from trackplan.linter.docs import (
    render_rule_list,
    render_rule_page,
    render_rule_reference,
    render_rule_table,
    render_rules_json,
)
from trackplan.registry.rules import Rule, catalogue

__all__ = ["command", "find_rules"]


def find_rules(names: tuple[str, ...]) -> list[type[Rule]]:
    """The rules named by code (any case) or slug, in the order given.

    Raises ``click.BadParameter`` (exit code 2) naming every unknown one.
    """
    rules = catalogue()
    by_slug = {rule.slug: rule for rule in rules.values()}
    found: list[type[Rule]] = []
    unknown: list[str] = []
    for name in names:
        rule = rules.get(name.upper()) or by_slug.get(name.lower())
        if rule is None:
            unknown.append(name)
        elif rule not in found:
            found.append(rule)
    if unknown:
        raise click.BadParameter(
            f"unknown rule {', '.join(unknown)} (run `trackplan rules` for the list)",
            param_hint="CODE",
        )
    return found


@click.command("rules")
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text: a listing, or each named rule's page; markdown: the rule table "
    "(with --all, the full reference); json: for tools.",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Every rule's full documentation, not just the list.",
)
def command(codes: tuple[str, ...], output_format: str, show_all: bool) -> int:
    """List the rule catalogue, or print the documentation of the rules named by CODE."""
    named = find_rules(codes) if codes else None
    if output_format == "json":
        text = render_rules_json(named, full=bool(codes) or show_all)
    elif output_format == "markdown" and not codes:
        text = render_rule_reference() if show_all else render_rule_table()
    elif named is not None or show_all:
        pages = named if named is not None else list(catalogue().values())
        text = "\n".join(render_rule_page(rule) for rule in pages)
    else:
        text = render_rule_list()
    click.echo(text, nl=False)
    return 0
