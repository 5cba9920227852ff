"""Activation letters (issue 17): a one-use code, typed back with the date of birth on /activate.

Everything through the public API, on SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from clinic_desk import ActivationCode, Clinic, ConflictError, NotAllowed, ValidationError
from clinic_desk.db.models import AuditEntry, Patient, PortalToken
from clinic_desk.domain.activation_codes import ALPHABET
from clinic_desk.services.hashing import hash_token
from clinic_desk.services.portal_guard import REFUSED
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_ready_patient, newest_token

BORN = "1984-06-02"  # add_ready_patient's date of birth


def _activate(clinic: Clinic, code: str, born: str = BORN, username: str = "ana.l", **extra: str) -> int:
    return clinic.portal.activate(
        code, date_of_birth=born, username=username, password=GOOD_PASSWORD, **extra
    )


def _refused(clinic: Clinic, code: str, born: str = BORN, **extra: str) -> None:
    with pytest.raises(NotAllowed) as caught:
        _activate(clinic, code, born, **extra)
    assert caught.value.message == REFUSED


def _whys(clinic: Clinic, patient_id: int) -> list[object]:
    return [
        entry.after.get("why")
        for entry in clinic.staff.audit_trail(patient_id)
        if entry.action == "portal_activation_refused"
    ]


def _all_audit_text(clinic: Clinic) -> str:
    with clinic.reading() as session:
        rows = session.execute(select(AuditEntry.before, AuditEntry.after, AuditEntry.note)).all()
    return repr(rows)


def test_a_code_for_the_letter(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic, "Ana", "Diaz", preferred_name="Annie")
    with clinic.transaction() as session:
        session.execute(update(Patient).where(Patient.id == pid).values(preferred_language="es-MX"))
    code = clinic.staff.issue_activation_code(pid, actor=STAFF)
    assert isinstance(code, ActivationCode)
    assert len(code.code) == 8 and set(code.code) <= set(ALPHABET)
    assert code.expires_at == clock.now + timedelta(days=30)
    assert (code.patient_id, code.patient_name, code.language) == (pid, "Annie Diaz", "es")
    assert code.clinic_name == clinic.settings.clinic_name
    assert code.activate_url == clinic.settings.portal_url.rstrip("/") + "/activate"
    # Only the hash is kept, and the audit entry says what happened without the code.
    with clinic.reading() as session:
        row = session.scalars(select(PortalToken).where(PortalToken.kind == "activation")).one()
        assert row.token_hash == hash_token(code.code) and code.code not in repr(row.__dict__)
    issued = [entry for entry in clinic.staff.audit_trail(pid) if entry.action == "send_activation"]
    assert len(issued) == 1 and issued[0].actor == STAFF
    assert code.code not in _all_audit_text(clinic)
    # The setting moves the expiry.
    clinic.update_settings(actor=STAFF, activation_code_days=3)
    assert clinic.staff.issue_activation_code(pid, actor=STAFF).expires_at == clock.now + timedelta(days=3)


def test_the_code_sets_up_the_account_gold_then_blue(
    clinic: Clinic, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    pid = add_ready_patient(clinic)
    code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    typed = f" {code[:4].lower()}-{code[4:].lower()} "  # as a patient may type it
    assert _activate(clinic, typed, source="203.0.113.9") == pid
    assert clinic.status(pid).color == "gold"  # credentials, never logged in
    assert clinic.portal.login("ana.l", GOOD_PASSWORD)
    assert clinic.status(pid).color == "blue"
    accepted = [entry for entry in clinic.staff.audit_trail(pid) if entry.action == "accept_activation"]
    assert len(accepted) == 1 and accepted[0].after["username"] == "ana.l"
    assert accepted[0].note == "from 203.0.113.9"
    _refused(clinic, code, username="ana.again")  # one use
    assert _whys(clinic, pid) == ["code_used"]
    assert code not in _all_audit_text(clinic) and code not in caplog.text
    assert code.lower() not in caplog.text.lower()


def test_every_wrong_code_gets_the_same_answer(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    first = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    second = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    guess = next(c * 8 for c in ALPHABET if c * 8 not in (first, second))
    _refused(clinic, guess)  # guessed
    _refused(clinic, "0000-OOOO")  # cannot even be a code
    _refused(clinic, first)  # replaced by the second
    _refused(clinic, second, born="1984-06-03")  # wrong date of birth
    clock.advance(days=31)
    _refused(clinic, second)  # expired
    assert _whys(clinic, pid) == ["code_revoked", "wrong_date_of_birth", "code_expired"]


def test_codes_die_with_the_link_rules(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    # An invitation replaces the code, and a code replaces the invitation (one purpose).
    code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    clinic.staff.send_invitation(pid, actor=STAFF)
    _refused(clinic, code)
    token = newest_token(clinic, pid)
    code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    with pytest.raises(NotAllowed):
        clinic.portal.accept_invitation(token, username="ana.l", password=GOOD_PASSWORD)
    # A new email address does not end a code on paper; credentials set by hand do.
    clinic.staff.update_contact(pid, email="ana.new@example.com", actor=STAFF)
    clinic.staff.set_credentials(pid, username="ana.desk", password=GOOD_PASSWORD, actor=STAFF)
    _refused(clinic, code)
    # Access turned off ends it for good, even once access is back on.
    code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="patient_request")
    clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF, note="patient called back")
    _refused(clinic, code)
    assert _whys(clinic, pid) == ["code_revoked", "code_revoked", "code_revoked"]


def test_the_new_email_keeps_the_code_working(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    clinic.staff.update_contact(pid, email="ana.new@example.com", actor=STAFF)
    assert _activate(clinic, code) == pid


def test_only_for_a_patient_who_may_use_the_portal(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="patient_request")
    with pytest.raises(ValidationError, match="Turn portal access on first"):
        clinic.staff.issue_activation_code(pid, actor=STAFF)
    clinic.staff.set_patient_status(pid, "deceased", actor=STAFF)
    with pytest.raises(NotAllowed, match="deceased"):
        clinic.staff.issue_activation_code(pid, actor=STAFF)
    no_email = clinic.staff.add_patient(first_name="Bo", last_name="Ng", date_of_birth=BORN, actor=STAFF)
    with pytest.raises(ValidationError, match="Turn portal access on first"):
        clinic.staff.issue_activation_code(no_email, actor=STAFF)


def test_access_turned_off_after_printing_refuses_the_code(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    clinic.staff.set_patient_status(pid, "inactive", actor=STAFF)
    _refused(clinic, code)


def test_bad_new_input_is_said_before_the_code_is_looked_at(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    for wrong_code in ("ZZZZZZZZ", code):  # the same answer whether the code is right or not
        with pytest.raises(ValidationError) as short:
            clinic.portal.activate(wrong_code, date_of_birth=BORN, username="ana.l", password="short")
        assert short.value.field == "password"
        with pytest.raises(ValidationError) as unreadable:
            clinic.portal.activate(
                wrong_code, date_of_birth="not a date", username="ana.l", password=GOOD_PASSWORD
            )
        assert unreadable.value.field == "date_of_birth"
    assert _whys(clinic, pid) == []  # nothing was counted
    other = add_ready_patient(clinic, first="Bo", last="Ng")
    clinic.staff.set_credentials(other, username="taken.name", password=GOOD_PASSWORD, actor=STAFF)
    with pytest.raises(ConflictError):
        _activate(clinic, code, username="Taken.Name")
    assert _activate(clinic, code, username="ana.l") == pid  # the clash used nothing up


def test_a_patient_with_an_account_chooses_a_new_username_and_password(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_credentials(pid, username="ana.old", password="old-password-77", actor=STAFF)
    code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    assert clinic.portal.activate(code, date_of_birth=BORN, username="ana.old", password=GOOD_PASSWORD) == pid
    assert not clinic.portal.login("ana.old", "old-password-77")
    session = clinic.portal.sign_in("ana.old", GOOD_PASSWORD)
    assert not session.must_change_password  # the patient chose it


def test_a_code_s_date_of_birth_cannot_be_guessed(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    for day in range(1, 6):  # claim_attempt_limit: 5 an hour, from anywhere
        _refused(clinic, code, born=f"1984-06-{day + 10:02d}", source=f"198.51.100.{day}")
    _refused(clinic, code, source="198.51.100.99")  # even the right date now
    assert _whys(clinic, pid)[-1] == "too_many_tries"
    clock.advance(minutes=61)
    assert _activate(clinic, code) == pid


def test_one_address_cannot_keep_guessing(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    code = clinic.staff.issue_activation_code(pid, actor=STAFF).code
    clinic.update_settings(actor=STAFF, source_attempt_limit=10)
    guesses = [f"{c}{d}" * 4 for c in "ABCDE" for d in "FGHJ"][:10]
    for guess in guesses:
        if guess != code:
            _refused(clinic, guess, source="203.0.113.66")
    _refused(clinic, code, source="203.0.113.66")  # the right code, from the guessing address
    assert _activate(clinic, code, source="203.0.113.67") == pid  # the patient, elsewhere
