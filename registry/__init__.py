"""trackplan.registry: the runtime half of trackplan (plan model, loading, validation).

Depends on pyyaml, jsonschema and jsonschema-rs only; never imports the linter, click
or libcst, so apps can embed it.
"""

from __future__ import annotations

from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.errors import PlanError
from trackplan.registry.loader import PlanCheck, check_plan, load_plan
from trackplan.registry.plan import EventSpec, Location, Plan, PropertySpec
from trackplan.registry.policy import RulePolicy
from trackplan.registry.validation import Registry, ValidationResult

__all__ = [
    "Diagnostic",
    "EventSpec",
    "Location",
    "Plan",
    "PlanCheck",
    "PlanError",
    "PropertySpec",
    "Registry",
    "RulePolicy",
    "Severity",
    "ValidationResult",
    "check_plan",
    "load_plan",
]
