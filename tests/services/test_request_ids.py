"""Request ids: a staff action sent twice with the same id is done once and answers the same."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from clinic_desk import Clinic, ValidationError
from clinic_desk.db.models import AuditEntry, DoneRequest, OutboxEmail, Patient
from tests.services.helpers import STAFF, add_ready_patient


def _count(clinic: Clinic, model: type) -> int:
    with clinic.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_repeated_request_id_creates_one_chart_and_returns_the_same_id(clinic: Clinic) -> None:
    first = add_ready_patient(clinic, request_id="add-ana-1")
    again = add_ready_patient(clinic, request_id="add-ana-1")
    assert again == first
    assert _count(clinic, Patient) == 1
    assert [entry.action for entry in clinic.staff.audit_trail(first)] == ["add_patient"]
    other = add_ready_patient(clinic, request_id="add-ana-2")  # a new intention: a new chart
    assert other != first and _count(clinic, Patient) == 2


def test_every_kind_of_staff_write_is_done_once(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    version = clinic.staff.chart(pid).version
    call = lambda: clinic.staff.update_contact(  # noqa: E731 - the same call twice
        pid, phone="617-555-0100", actor=STAFF, expected_version=version, request_id="contact-1"
    )
    assert call() == call() == version + 1  # the expected version is not checked again
    emails = _count(clinic, OutboxEmail)
    first = clinic.staff.send_invitation(pid, actor=STAFF, request_id="invite-1")
    assert clinic.staff.send_invitation(pid, actor=STAFF, request_id="invite-1") == first
    assert _count(clinic, OutboxEmail) == emails + 1
    entries = _count(clinic, AuditEntry)
    for _ in range(2):
        clinic.staff.set_portal_access(
            pid, enabled=False, actor=STAFF, reason="patient_request", request_id="off-1"
        )
        clinic.update_settings(actor="admin", invitation_days=9, request_id="settings-1")
    assert _count(clinic, AuditEntry) == entries + 2
    assert clinic.settings.invitation_days == 9


def test_a_request_id_used_for_another_action_is_refused_and_nothing_is_written(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic, request_id="shared")
    before = (_count(clinic, AuditEntry), _count(clinic, OutboxEmail))
    with pytest.raises(ValidationError, match="already used for another action") as caught:
        clinic.staff.send_invitation(pid, actor=STAFF, request_id="shared")
    assert caught.value.field == "request_id"
    assert (_count(clinic, AuditEntry), _count(clinic, OutboxEmail)) == before


def test_a_refused_action_is_not_remembered_so_the_corrected_retry_runs(clinic: Clinic) -> None:
    with pytest.raises(ValidationError):
        add_ready_patient(clinic, email="ana@", request_id="add-1")
    assert _count(clinic, DoneRequest) == 0
    pid = add_ready_patient(clinic, request_id="add-1")
    assert clinic.staff.chart(pid).email == "ana.lopez@example.com"


@pytest.mark.parametrize("bad", ["", " ", "x" * 65, "new\nline", "caf\u00e9", "\ud800", "a b"])
def test_bad_request_ids_are_refused_before_anything_is_written(clinic: Clinic, bad: str) -> None:
    with pytest.raises(ValidationError, match="Request id") as caught:
        add_ready_patient(clinic, request_id=bad)
    assert caught.value.field == "request_id"
    assert _count(clinic, Patient) == 0
