"""Gold plans where the patient creates the account: the self-signup guide and the match check."""

from __future__ import annotations

from clinic_desk.domain.facts import SharedEmailChart
from clinic_desk.domain.wording import day
from tests.domain.factories import make_facts
from tests.domain.troubleshooting.helpers import BORN, plan_for, shown, step


def test_gold_self_signup_guide_shows_what_is_on_file() -> None:
    guide = step(plan_for(make_facts()), "self_signup_guide")
    assert guide.kind == "info" and guide.branch_of == "choose_invite_method"
    details = {detail.label: detail.value for detail in guide.details}
    assert details == {
        "Email": "maria.lopez@example.com",
        "Last name": "Lopez",
        "Date of birth": day(BORN),
        "ZIP code": "02134",
    }
    assert "I am a registered patient" in guide.body
    assert day(BORN) in shown(guide)
    assert "https://portal.riverside-clinic.example" in guide.body
    assert guide.warning is None


def test_gold_self_signup_guide_without_the_date_of_birth() -> None:
    guide = step(plan_for(make_facts(), born=None), "self_signup_guide")
    assert "as on the chart" in shown(guide)
    assert "None" not in shown(guide)


def test_gold_self_signup_guide_warns_about_a_typo_and_a_shared_email() -> None:
    facts = make_facts(
        email="maria.lopez@gmial.com", shared_with=(SharedEmailChart(8, "Jose Lopez", "MRN0008"),)
    )
    guide = step(plan_for(facts), "self_signup_guide")
    assert guide.warning is not None
    assert "mistyped" in guide.warning
    assert "match check" in guide.warning


def test_gold_match_check_form() -> None:
    check = step(plan_for(make_facts()), "match_check")
    assert check.kind == "form" and check.action == "check_match"
    assert [f.name for f in check.fields] == ["email", "last_name", "date_of_birth", "zip_code"]
    assert all(f.prefill is None for f in check.fields)  # staff type what the patient typed
    assert check.fields[2].help == f"On file: {day(BORN)}"
