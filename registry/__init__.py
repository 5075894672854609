"""trackplan.registry: the runtime half of trackplan (plan model, loading, validation).

Depends on pyyaml, jsonschema and jsonschema-rs only; never imports the linter, click
or libcst, so apps can embed it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trackplan.registry.diagnostics import Diagnostic, Severity
from trackplan.registry.policy import RulePolicy

if TYPE_CHECKING:
    from trackplan.registry.errors import PlanError
    from trackplan.registry.loader import PlanCheck, check_plan, load_plan
    from trackplan.registry.plan import EventSpec, Location, Plan, PropertySpec
    from trackplan.registry.validation import Registry, ValidationResult

# Loaded on first use (PEP 562): importing any submodule runs this file, and the loader
# and validator pull in jsonschema (~150 ms), the plan model the naming rules' regexes
# (~15 ms), none of which a warm `trackplan lint` needs.
_LAZY = {
    "EventSpec": "plan",
    "Location": "plan",
    "Plan": "plan",
    "PropertySpec": "plan",
    "PlanError": "errors",
    "PlanCheck": "loader",
    "check_plan": "loader",
    "load_plan": "loader",
    "Registry": "validation",
    "ValidationResult": "validation",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
