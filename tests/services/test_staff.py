"""Every red reason of DESIGN.md section 1, through the public API, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from clinic_desk import Clinic, NotAllowed, ValidationError
from tests.conftest import FakeClock
from tests.services.helpers import STAFF, add_ready_patient, register_online


def test_staff_added_patient_with_email_and_zip_starts_with_access_on(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    status = clinic.status(pid)
    assert status.color == "gold"
    assert status.reason_codes == ("never_logged_in",)


def test_missing_email_alone(clinic: Clinic) -> None:
    pid = clinic.staff.add_patient(
        first_name="Ana", last_name="Lopez", date_of_birth="1984-06-02", zip_code="02139", actor=STAFF
    )
    status = clinic.status(pid)
    assert status.color == "red"
    assert status.reason_codes == ("missing_email", "access_not_enabled")
    assert "email" in status.headline


def test_missing_zip_alone(clinic: Clinic) -> None:
    pid = clinic.staff.add_patient(
        first_name="Ana", last_name="Lopez", date_of_birth="1984-06-02", email="ana@example.com", actor=STAFF
    )
    assert clinic.status(pid).reason_codes == ("missing_zip", "access_not_enabled")


def test_missing_email_and_zip_combined(clinic: Clinic) -> None:
    pid = clinic.staff.add_patient(
        first_name="Ana", last_name="Lopez", date_of_birth="1984-06-02", actor=STAFF
    )
    status = clinic.status(pid)
    assert status.reason_codes == ("missing_email", "missing_zip", "access_not_enabled")
    assert status.headline == "Portal access is off: email and ZIP code missing"


def test_adding_missing_data_does_not_turn_access_on_by_itself(clinic: Clinic) -> None:
    pid = clinic.staff.add_patient(
        first_name="Ana", last_name="Lopez", date_of_birth="1984-06-02", actor=STAFF
    )
    clinic.staff.update_contact(pid, email="ana@example.com", zip_code="02139", actor=STAFF)
    status = clinic.status(pid)
    assert status.color == "red"
    assert status.reason_codes == ("access_not_enabled",)
    clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
    assert clinic.status(pid).color == "gold"


def test_turning_access_on_without_email_is_refused_and_writes_nothing(clinic: Clinic) -> None:
    pid = clinic.staff.add_patient(
        first_name="Ana", last_name="Lopez", date_of_birth="1984-06-02", actor=STAFF
    )
    trail = len(clinic.staff.audit_trail(pid))
    with pytest.raises(NotAllowed, match="email and ZIP code"):
        clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
    assert len(clinic.staff.audit_trail(pid)) == trail
    assert clinic.status(pid).reason_codes == ("missing_email", "missing_zip", "access_not_enabled")


def test_access_disabled_by_staff_carries_who_when_and_note(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_portal_access(
        pid, enabled=False, actor="dr.kim", reason="patient_request", note="Patient asked to pause"
    )
    status = clinic.status(pid)
    assert status.color == "red"
    assert status.reason_codes == ("access_disabled_by_staff",)
    item = status.reasons[0]
    assert item.facts["disabled_by"] == "dr.kim"
    assert item.facts["disabled_at"] == clock.now
    assert item.facts["note"] == "Patient asked to pause"
    assert "dr.kim" in item.message and "Patient asked to pause" in item.message
    assert status.headline == "Portal access is off: turned off by staff"


def test_inactive_turns_access_off_and_blocks_turning_it_on(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_patient_status(pid, "inactive", actor=STAFF)
    assert clinic.status(pid).reason_codes == ("patient_inactive", "access_not_enabled")
    with pytest.raises(NotAllowed, match="active again"):
        clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
    clinic.staff.set_patient_status(pid, "active", actor=STAFF)
    # Making the patient active again does not turn access on by itself.
    assert clinic.status(pid).reason_codes == ("access_not_enabled",)
    clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
    assert clinic.status(pid).color == "gold"


def test_deceased_can_never_get_access(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_patient_status(pid, "deceased", actor=STAFF)
    status = clinic.status(pid)
    assert status.reason_codes == ("patient_deceased", "access_not_enabled")
    assert status.headline == "Portal access is off: the patient is deceased"
    with pytest.raises(NotAllowed, match="deceased"):
        clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
    with pytest.raises(NotAllowed):
        clinic.staff.send_invitation(pid, actor=STAFF)


def test_deceased_without_email_lists_every_reason_in_order(clinic: Clinic) -> None:
    pid = clinic.staff.add_patient(
        first_name="Ana", last_name="Lopez", date_of_birth="1930-06-02", zip_code="02139", actor=STAFF
    )
    clinic.staff.set_patient_status(pid, "deceased", actor=STAFF)
    assert clinic.status(pid).reason_codes == ("patient_deceased", "missing_email", "access_not_enabled")


def test_staff_disabled_then_inactive_keeps_the_staff_reason(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="security", note="fraud check")
    clinic.staff.set_patient_status(pid, "inactive", actor=STAFF)
    assert clinic.status(pid).reason_codes == ("patient_inactive", "access_disabled_by_staff")


def test_unconfirmed_registration(clinic: Clinic, clock: FakeClock) -> None:
    pid = register_online(clinic)
    status = clinic.status(pid)
    assert status.color == "red"
    assert status.reason_codes == ("registration_unconfirmed",)
    item = status.reasons[0]
    assert item.facts["confirmation_sent_to"] == "maria.garcia@example.com"
    assert item.facts["confirmation_sent_at"] == clock.now
    mail = clinic.mail.outbox(pid)[0]
    assert mail.kind == "confirmation" and mail.to == "maria.garcia@example.com"
    assert mail.status == "queued" and mail.link and "?token=" in mail.link


def test_access_not_enabled_alone(clinic: Clinic) -> None:
    pid = clinic.staff.add_patient(
        first_name="Ana",
        last_name="Lopez",
        date_of_birth="1984-06-02",
        email="ana@example.com",
        zip_code="02139",
        status="inactive",
        actor=STAFF,
    )
    clinic.staff.set_patient_status(pid, "prospective", actor=STAFF)
    assert clinic.status(pid).reason_codes == ("access_not_enabled",)


def test_clearing_email_while_access_is_on_is_refused(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    with pytest.raises(ValidationError, match="placeholder") as caught:
        clinic.staff.update_contact(pid, email="", actor=STAFF)
    assert caught.value.field == "email"
    assert clinic.staff.chart(pid).email == "ana.lopez@example.com"


def test_clearing_the_email_while_access_is_on_says_an_email_address(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    with pytest.raises(ValidationError) as refused:
        clinic.staff.update_contact(pid, email=None, actor=STAFF)
    assert "a email" not in str(refused.value)
    assert "The portal needs an email address while portal access is on" in str(refused.value)
    assert refused.value.field == "email"
