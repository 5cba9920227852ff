"""The wizard's plan and the match check, built from a real database."""

from __future__ import annotations

from clinic_desk import Clinic
from tests.services.helpers import STAFF, add_ready_patient, register_online


def test_plan_for_missing_email_offers_the_form_then_turning_on(clinic: Clinic) -> None:
    pid = clinic.staff.add_patient(
        first_name="Ed", last_name="Stone", date_of_birth="1950-01-01", zip_code="10001", actor=STAFF
    )
    plan = clinic.troubleshooting(pid)
    assert plan.color == "red"
    ids = plan.step_ids
    assert ids.index("add_missing_details") < ids.index("turn_access_on")
    form = plan.step("add_missing_details")
    assert form is not None and [f.name for f in form.fields] == ["email"]


def test_plan_for_unconfirmed_registration_suggests_the_fixed_email(clinic: Clinic) -> None:
    pid = register_online(clinic, email="maria@gmial.com")
    plan = clinic.troubleshooting(pid)
    fix = plan.step("fix_email")
    assert fix is not None
    assert any(f.prefill == "maria@gmail.com" or f.suggestion == "maria@gmail.com" for f in fix.fields)
    assert "whitelist_advice" in plan.step_ids
    advice = plan.step("whitelist_advice")
    assert advice is not None and clinic.settings.sender_address in advice.body


def test_plan_for_deceased_offers_nothing_that_turns_access_on(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_patient_status(pid, "deceased", actor=STAFF)
    plan = clinic.troubleshooting(pid)
    assert plan.step_ids == ("explain_deceased",)
    assert all(step.action is None for step in plan.steps)


def test_match_check_names_the_field_that_differs(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    report = clinic.portal.check_match(
        email="ana.lopez@example.com",
        last_name="Lopez",
        date_of_birth="06/02/1984",
        zip_code="02140",
        patient_id=pid,
    )
    assert report.outcome == "no_match"
    assert "ZIP code" in report.verdict and "02140" in report.verdict and "02139" in report.verdict
    good = clinic.portal.check_match(
        email="ana.lopez@example.com", last_name="lopez", date_of_birth="1984-06-02", zip_code="02139"
    )
    assert good.outcome == "can_create"


def test_match_check_sees_two_charts(clinic: Clinic) -> None:
    add_ready_patient(clinic)
    add_ready_patient(clinic)
    report = clinic.portal.check_match(
        email="ana.lopez@example.com", last_name="Lopez", date_of_birth="1984-06-02", zip_code="02139"
    )
    assert report.outcome == "several_match"
    assert len(report.matches) == 2
