"""The plan as frozen data, and the id tables the panel relies on."""

from __future__ import annotations

import dataclasses

import pytest

from clinic_desk.domain.status import evaluate
from clinic_desk.domain.troubleshooting import ACTIONS, STEP_IDS, TIP_IDS, build_plan
from tests.domain.factories import NOW, access_off
from tests.domain.troubleshooting.helpers import ADVICE, CANONICAL_ORDER, CONFIRMED_ACTIONS

# --- the plan as data ----------------------------------------------------------


def test_the_plan_is_frozen_and_titled_by_the_status() -> None:
    facts = access_off(None)
    status = evaluate(facts, NOW)
    plan = build_plan(status, facts, ADVICE)
    assert plan.patient_id == 7
    assert plan.color == "red"
    assert plan.title == status.headline
    for item in status.reasons:
        assert item.message in plan.summary
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.title = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.steps[0].action = "x"  # type: ignore[misc]
    assert isinstance(plan.steps, tuple) and isinstance(plan.tips, tuple)
    assert plan.step("nope") is None and plan.tip("nope") is None


def test_the_tables_for_the_ui_cover_everything_a_plan_uses() -> None:
    assert set(CANONICAL_ORDER) == set(STEP_IDS)
    assert set(CONFIRMED_ACTIONS) < set(ACTIONS)
    assert "emails_not_arriving" in TIP_IDS
