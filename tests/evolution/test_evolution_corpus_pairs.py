"""Every loadable plan in the repository's test corpora, diffed with itself and with others.

The other test suites hold many hand-written plans (naming corpora, plan-format cases,
analysis fixtures, the example SaaS plan). Diffing them is free hostile input: a plan
must be compatible with itself with no change listed, and for cross pairs nothing may
crash and every witness must be valid under its source plan and invalid under the other
(checked by real registries).
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from trackplan.registry.errors import PlanError
from trackplan.registry.evolution.diff import diff_plans
from trackplan.registry.loader import load_plan
from trackplan.registry.plan import Plan
from trackplan.registry.validation import Registry

REPO = Path(__file__).resolve().parents[2]


def _plans() -> dict[str, Plan]:
    found: dict[str, Plan] = {}
    files = sorted({*REPO.glob("tests/**/*.yaml"), *REPO.glob("plans/**/*.yaml")})
    for path in files:
        if "evolution" in path.parts:
            continue
        try:
            plan = load_plan(path)
        except (PlanError, OSError):
            continue
        if plan.events:
            found[str(path.relative_to(REPO))] = plan
    return found


PLANS = _plans()
_PAIRS = list(itertools.permutations(sorted(PLANS), 2))
random.Random(10).shuffle(_PAIRS)


def test_the_corpus_is_large() -> None:
    assert len(PLANS) >= 20


def test_every_plan_is_compatible_with_itself() -> None:
    for name, plan in PLANS.items():
        diff = diff_plans(plan, plan)
        assert (diff.incompatibilities, diff.changes, diff.bump) == ([], [], "none"), name


@pytest.mark.parametrize(("old", "new"), _PAIRS[:80])
def test_cross_pairs_have_checked_witnesses(old: str, new: str) -> None:
    diff = diff_plans(PLANS[old], PLANS[new])
    sides = {"backward": (PLANS[old], PLANS[new]), "forward": (PLANS[new], PLANS[old])}
    for issue in diff.incompatibilities:
        if issue.proven:
            src, dst = sides[issue.direction]
            assert Registry.from_plan(src).validate(issue.witness).valid, issue
            assert not Registry.from_plan(dst).validate(issue.witness).valid, issue
    codes = {c.code for c in diff.changes}
    assert codes <= {f"TP7{n:02d}" for n in range(1, 24)}
    if diff.incompatibilities:
        assert diff.changes, "an incompatibility without a listed change"
