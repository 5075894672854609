"""Fixtures for the payload-validation tests (helpers live in validation_helpers.py)."""

from __future__ import annotations

import pytest
from trackplan.registry.plan import Plan
from trackplan.registry.validation import Registry
from validation_helpers import contract_plan


@pytest.fixture(scope="session")
def plan() -> Plan:
    return contract_plan()


@pytest.fixture(scope="session")
def registry(plan: Plan) -> Registry:
    return Registry.from_plan(plan)
