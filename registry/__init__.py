"""trackplan.registry: the runtime half of trackplan (plan model, loading, validation).

Depends on pyyaml, jsonschema and jsonschema-rs only; never imports the linter, click
or libcst, so apps can embed it.
"""

from __future__ import annotations

from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.plan import EventSpec, Location, Plan, PropertySpec
from trackplan.registry.policy import RulePolicy

__all__ = [
    "Diagnostic",
    "EventSpec",
    "Location",
    "Plan",
    "PropertySpec",
    "RulePolicy",
    "Severity",
]
