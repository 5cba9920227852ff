"""One transaction per action, optimistic locking, the audit log, secrets at rest."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from clinic_desk import Clinic, ConflictError, NotFound, ValidationError
from clinic_desk.db.models import AuditEntry, OutboxEmail, PortalAccount, PortalToken
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_ready_patient, make_blue, newest_token


def _count(clinic: Clinic, model: type) -> int:
    with clinic.reading() as session:
        return len(list(session.scalars(select(model))))


def test_every_action_writes_one_audit_entry_with_actor_and_note(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_portal_access(
        pid, enabled=False, actor="maria.fd", reason="patient_request", note="Patient request"
    )
    clinic.staff.set_portal_access(pid, enabled=True, actor="maria.fd", note="Called back")
    clinic.staff.send_invitation(pid, actor="maria.fd")
    trail = clinic.staff.audit_trail(pid)
    assert [e.action for e in trail] == [
        "add_patient",
        "portal_access_off",
        "portal_access_on",
        "send_invitation",
    ]
    assert trail[1].actor == "maria.fd" and trail[1].note == "Patient request"
    assert trail[1].before["access_enabled"] is True and trail[1].after["access_enabled"] is False


def test_invitation_email_token_and_audit_commit_together(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    before = (_count(clinic, OutboxEmail), _count(clinic, PortalToken), _count(clinic, AuditEntry))
    clinic.staff.send_invitation(pid, actor=STAFF)
    after = (_count(clinic, OutboxEmail), _count(clinic, PortalToken), _count(clinic, AuditEntry))
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1, 1]


def test_a_failing_action_writes_nothing(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    before = (_count(clinic, OutboxEmail), _count(clinic, AuditEntry))
    with pytest.raises(ValidationError):
        clinic.staff.update_contact(pid, email="ana@", zip_code="99999", actor=STAFF)
    with pytest.raises(ValidationError, match="staff name"):
        clinic.staff.send_invitation(pid, actor="  ")
    with pytest.raises(NotFound):
        clinic.staff.send_invitation(999_999, actor=STAFF)
    assert (_count(clinic, OutboxEmail), _count(clinic, AuditEntry)) == before
    assert clinic.staff.chart(pid).zip_code == "02139"


def test_stale_form_is_refused_with_a_clear_message(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    loaded = clinic.staff.chart(pid).version
    clinic.staff.update_contact(pid, phone="617-555-0100", actor="desk2", expected_version=loaded)
    with pytest.raises(ConflictError, match="changed by someone else"):
        clinic.staff.update_contact(pid, zip_code="02140", actor="desk1", expected_version=loaded)
    chart = clinic.staff.chart(pid)
    assert (chart.phone, chart.zip_code) == ("(617) 555-0100", "02139")


def test_two_workstations_saving_at_once_never_lose_an_update(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as one, Clinic.open(db_url, clock=clock) as two:
        pid = add_ready_patient(one)
        version = one.staff.chart(pid).version
        one.staff.update_contact(pid, zip_code="02140", actor="desk1", expected_version=version)
        with pytest.raises(ConflictError):
            two.staff.update_contact(pid, zip_code="02141", actor="desk2", expected_version=version)
        assert two.staff.chart(pid).zip_code == "02140"


def test_audit_log_is_append_only(clinic: Clinic) -> None:
    add_ready_patient(clinic)
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), clinic.engine.begin() as connection:
            connection.execute(text(statement))


def test_passwords_and_tokens_are_stored_only_as_hashes(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    clinic.staff.send_invitation(pid, actor=STAFF)
    token = newest_token(clinic, pid)
    with clinic.reading() as session:
        account = session.get(PortalAccount, pid)
        assert account is not None and account.password_hash is not None
        assert account.password_hash.startswith("$argon2id$")
        assert GOOD_PASSWORD not in account.password_hash
        stored = list(session.scalars(select(PortalToken.token_hash)))
        audit = " ".join(f"{e.before} {e.after} {e.note}" for e in session.scalars(select(AuditEntry)))
    assert token not in stored and len(stored) == 2
    assert GOOD_PASSWORD not in audit and token not in audit


def test_mrns_are_unique_and_sequential(clinic: Clinic) -> None:
    first_id, second_id = add_ready_patient(clinic), add_ready_patient(clinic, first="Bo")
    first, second = clinic.staff.chart(first_id).mrn, clinic.staff.chart(second_id).mrn
    assert int(second) == int(first) + 1
    assert clinic.staff.resolve_patient(second) == second_id
    assert clinic.staff.resolve_patient(f"  {first} ") == first_id
