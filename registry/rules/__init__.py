"""The rule catalogue: one module per rule, discovered, never registered by hand.

Every enforcement point (plan checks, the code analyzer, runtime validation) reports
with codes from this one catalogue, so a missing required property is ``TP202``
whether it is found in a YAML plan, at a call site or in a live payload.

A rule module is named ``tpNNN_slug.py`` and defines exactly one :class:`Rule`
subclass. Its docstring is the user documentation (what it catches, why it matters,
an example, what to write instead) and its ``VALID``/``INVALID`` examples are data
the test suite turns into tests.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, Literal

from trackplan.registry.diagnostics import Diagnostic, Severity

__all__ = [
    "Example",
    "Rule",
    "Scope",
    "catalogue",
    "diagnostic",
    "get_rule",
]

Scope = Literal["plan", "code", "payload", "diff"]

_MODULE_NAME = re.compile(r"^tp\d{3}_[a-z0-9_]+$")


@dataclass(frozen=True)
class Example:
    """A rule example the tests run.

    ``kind`` says what ``text`` is: ``plan`` (a plan YAML document), ``payload`` (a JSON
    payload validated against ``plan``), ``code`` (Python source analysed against
    ``plan``, if given) or ``diff`` (the NEW plan, compared with ``plan`` as the OLD one
    by ``trackplan diff``). ``plan`` is plan YAML text.
    """

    kind: Scope
    text: str
    plan: str | None = None


class Rule:
    """Base of every catalogue entry. Subclasses set the class attributes."""

    code: ClassVar[str]
    slug: ClassVar[str]
    default_severity: ClassVar[Severity]
    scopes: ClassVar[frozenset[Scope]]
    summary: ClassVar[str]
    VALID: ClassVar[tuple[Example, ...]] = ()
    INVALID: ClassVar[tuple[Example, ...]] = ()
    #: Why this rule has no runnable examples (a whole-project rule such as coverage or
    #: baseline checks, which one file, plan or payload cannot show); None means the
    #: tests require a VALID and an INVALID example for every scope.
    NO_EXAMPLES_REASON: ClassVar[str | None] = None

    @classmethod
    def documentation(cls) -> str:
        """The rule's user documentation (its docstring, dedented)."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def diagnostic(cls, message: str, **fields: Any) -> Diagnostic:
        """A finding of this rule at its default severity."""
        return Diagnostic(cls.code, cls.default_severity, message, **fields)


@cache
def catalogue() -> Mapping[str, type[Rule]]:
    """Every rule, by code, in code order (discovered from this package)."""
    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(__path__):
        if not _MODULE_NAME.match(info.name):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        rules = [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Rule)
            and value is not Rule
            and value.__module__ == module.__name__
        ]
        if len(rules) != 1:
            raise RuntimeError(
                f"{module.__name__} must define exactly one Rule, found {len(rules)}"
            )
        rule = rules[0]
        expected_prefix = info.name[:5].upper()
        if rule.code != expected_prefix:
            raise RuntimeError(f"{module.__name__} defines {rule.code}, expected {expected_prefix}")
        if rule.code in found:
            raise RuntimeError(f"duplicate rule code {rule.code}")
        found[rule.code] = rule
    return dict(sorted(found.items()))


def get_rule(code: str) -> type[Rule]:
    """The rule with this code; ``KeyError`` for an unknown code."""
    return catalogue()[code]


def diagnostic(code: str, message: str, **fields: Any) -> Diagnostic:
    """A finding of rule ``code`` at the rule's default severity."""
    return get_rule(code).diagnostic(message, **fields)
