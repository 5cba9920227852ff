"""Gold, blue, links, lockout and claims: the patient's side, through the public API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic_desk import Clinic, ConflictError, NotAllowed, ValidationError
from clinic_desk.services.portal_guard import REFUSED
from tests.conftest import FakeClock
from tests.services.helpers import (
    GOOD_PASSWORD,
    STAFF,
    add_invited_patient,
    add_ready_patient,
    make_blue,
    newest_token,
    register_online,
)


def test_gold_without_invitation_then_with_one(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    status = clinic.status(pid)
    assert status.color == "gold"
    assert status.trouble_codes == ("no_invitation_sent",)
    email_id = clinic.staff.send_invitation(pid, actor=STAFF)
    status = clinic.status(pid)
    assert status.color == "gold"
    assert status.trouble_codes == ()
    mail = clinic.mail.outbox(pid)[0]
    assert mail.id == email_id
    assert (mail.kind, mail.to, mail.status) == ("invitation", "ana.lopez@example.com", "queued")
    assert "Ana" in mail.body and mail.link in mail.body
    assert mail.link.startswith(clinic.settings.portal_url)


def test_invitation_accepted_then_login_turns_blue(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    status = clinic.status(pid)
    assert status.color == "blue"
    assert status.reason_codes == ("has_logged_in",)
    assert status.reasons[0].facts["last_login_at"] == clock.now
    assert status.reasons[0].facts["username"] == "ana.lopez"
    assert status.trouble_codes == ()


def test_login_is_case_insensitive_for_the_username_and_never_raises(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid, username="AnaL")
    assert clinic.portal.login("anal", GOOD_PASSWORD)
    assert not clinic.portal.login("anal", "wrong password!")
    assert not clinic.portal.login("nobody", GOOD_PASSWORD)
    assert not clinic.portal.login("", "")


def test_second_invitation_makes_a_reset_and_revokes_the_old_link(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    clinic.staff.send_invitation(pid, actor=STAFF)
    first = newest_token(clinic, pid)
    clinic.staff.send_invitation(pid, actor=STAFF)
    second = newest_token(clinic, pid)
    assert clinic.mail.outbox(pid)[0].kind == "reset"
    with pytest.raises(NotAllowed, match="no longer works"):
        clinic.portal.accept_invitation(first, password="another-pass-77")
    clinic.portal.accept_invitation(second, password="another-pass-77")
    assert clinic.portal.login("ana.lopez", "another-pass-77")
    assert not clinic.portal.login("ana.lopez", GOOD_PASSWORD)


def test_link_expires_after_seven_days(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_invited_patient(clinic)
    token = newest_token(clinic, pid)
    clock.advance(days=7, seconds=1)
    status = clinic.status(pid)
    assert status.trouble_codes == ("invitation_expired",)
    assert status.trouble_spots[0].facts["sent_to"] == "ana.lopez@example.com"
    with pytest.raises(NotAllowed, match="expired"):
        clinic.portal.accept_invitation(token, username="ana.lopez", password=GOOD_PASSWORD)


def test_link_works_only_once(clinic: Clinic) -> None:
    pid = add_invited_patient(clinic)
    token = newest_token(clinic, pid)
    clinic.portal.accept_invitation(token, username="ana.lopez", password=GOOD_PASSWORD)
    with pytest.raises(NotAllowed, match="already been used"):
        clinic.portal.accept_invitation(token, username="someone", password="other-pass-123")
    with pytest.raises(NotAllowed, match=REFUSED):  # issue 10: an unknown link gets the uniform answer
        clinic.portal.accept_invitation("not-a-real-token", username="someone", password="other-pass-123")


def test_token_lifetimes_are_configurable(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock, invitation_days=2) as clinic:
        pid = add_invited_patient(clinic)
        assert clinic.mail.outbox(pid)[0].link_expires_at == clock.now + timedelta(days=2)


def test_confirmation_link_lasts_three_days(clinic: Clinic, clock: FakeClock) -> None:
    pid = register_online(clinic)
    token = newest_token(clinic, pid)
    clock.advance(days=3, seconds=1)
    with pytest.raises(NotAllowed, match="expired"):
        clinic.portal.confirm_registration(token)
    assert clinic.status(pid).reason_codes == ("registration_unconfirmed",)


def test_confirmation_click_turns_access_on(clinic: Clinic) -> None:
    pid = register_online(clinic)
    assert clinic.portal.confirm_registration(newest_token(clinic, pid)) == pid
    assert clinic.status(pid).color == "gold"
    assert clinic.status(pid).trouble_codes == ()
    assert clinic.portal.login("mariag", GOOD_PASSWORD)
    assert clinic.status(pid).color == "blue"


def test_unconfirmed_registration_turned_on_by_staff_then_original_password_works(clinic: Clinic) -> None:
    pid = register_online(clinic, email="maria@gmial.com")
    assert not clinic.portal.login("mariag", GOOD_PASSWORD)
    status = clinic.status(pid)
    assert status.reasons[0].facts["suggestion"] == "maria@gmail.com"
    clinic.staff.update_contact(pid, email="maria@gmail.com", actor=STAFF)
    assert clinic.status(pid).reason_codes == ("registration_unconfirmed",)
    clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
    assert clinic.status(pid).color == "gold"
    assert clinic.portal.login("mariag", GOOD_PASSWORD)
    assert clinic.status(pid).color == "blue"


def test_five_failed_logins_lock_for_fifteen_minutes_then_unlock(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    for _ in range(4):
        assert not clinic.portal.login("ana.lopez", "old-password-1")
    status = clinic.status(pid)
    assert status.trouble_codes == ("recent_failed_logins",)
    assert status.trouble_spots[0].facts["failed_logins"] == 4
    assert not clinic.portal.login("ana.lopez", "old-password-1")
    status = clinic.status(pid)
    assert status.trouble_codes == ("account_locked", "recent_failed_logins")
    locked = status.trouble("account_locked")
    assert locked is not None and locked.facts["locked_until"] == clock.now + timedelta(minutes=15)
    # Locked: even the right password is turned away.
    assert not clinic.portal.login("ana.lopez", GOOD_PASSWORD)
    clinic.staff.unlock_account(pid, actor=STAFF)
    assert clinic.status(pid).trouble_codes == ()
    assert clinic.portal.login("ana.lopez", GOOD_PASSWORD)


def test_lock_ends_by_itself(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    for _ in range(5):
        clinic.portal.login("ana.lopez", "nope-nope-nope")
    clock.advance(minutes=15, seconds=1)
    assert "account_locked" not in clinic.status(pid).trouble_codes
    assert clinic.portal.login("ana.lopez", GOOD_PASSWORD)
    assert clinic.status(pid).trouble_codes == ()


def test_lockout_threshold_is_configurable(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock, lockout_threshold=2, lockout_minutes=1) as clinic:
        pid = add_ready_patient(clinic)
        make_blue(clinic, pid)
        clinic.portal.login("ana.lopez", "nope-nope-nope")
        clinic.portal.login("ana.lopez", "nope-nope-nope")
        assert "account_locked" in clinic.status(pid).trouble_codes
        clock.advance(minutes=1, seconds=1)
        assert clinic.portal.login("ana.lopez", GOOD_PASSWORD)


def test_claim_account_needs_all_four_details(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    details = {
        "email": "ANA.LOPEZ@example.com",
        "last_name": "lopez",
        "date_of_birth": "06/02/1984",
        "zip_code": "02139",
    }
    with pytest.raises(NotAllowed, match=REFUSED):  # issue 10: one uniform answer
        clinic.portal.claim_account(
            **{**details, "zip_code": "02140"}, username="ana.l", password=GOOD_PASSWORD
        )
    assert clinic.portal.claim_account(**details, username="ana.l", password=GOOD_PASSWORD) == pid
    assert clinic.portal.login("ana.l", GOOD_PASSWORD)
    with pytest.raises(NotAllowed, match=REFUSED):
        clinic.portal.claim_account(**details, username="ana.two", password=GOOD_PASSWORD)


def test_claim_account_refused_when_two_charts_match(clinic: Clinic) -> None:
    add_ready_patient(clinic)
    add_ready_patient(clinic)  # a duplicate chart
    with pytest.raises(NotAllowed, match=REFUSED):
        clinic.portal.claim_account(
            email="ana.lopez@example.com",
            last_name="Lopez",
            date_of_birth="1984-06-02",
            zip_code="02139",
            username="ana.l",
            password=GOOD_PASSWORD,
        )


def test_claim_account_refused_when_access_is_off(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="patient_request")
    with pytest.raises(NotAllowed, match=REFUSED):
        clinic.portal.claim_account(
            email="ana.lopez@example.com",
            last_name="Lopez",
            date_of_birth="1984-06-02",
            zip_code="02139",
            username="ana.l",
            password=GOOD_PASSWORD,
        )


def test_set_credentials_by_hand_must_change_at_first_login(clinic: Clinic) -> None:
    pid = clinic.staff.add_patient(
        first_name="Ed", last_name="Stone", date_of_birth="1950-01-01", zip_code="10001", actor=STAFF
    )
    clinic.staff.update_contact(pid, email="mrn-ed@noemail.invalid", actor=STAFF)
    clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF)
    with pytest.raises(NotAllowed, match="placeholder"):
        clinic.staff.send_invitation(pid, actor=STAFF)
    clinic.staff.set_credentials(pid, username="edstone", password="temp-pass-123", actor=STAFF)
    status = clinic.status(pid)
    assert status.color == "gold"
    assert "placeholder_email" in status.trouble_codes
    assert clinic.portal.login("edstone", "temp-pass-123")
    assert clinic.status(pid).color == "blue"
    clinic.portal.change_password("edstone", "temp-pass-123", "my-own-pass-456")
    assert clinic.portal.login("edstone", "my-own-pass-456")


def test_username_taken_is_a_conflict_and_writes_nothing(clinic: Clinic) -> None:
    first = add_ready_patient(clinic)
    make_blue(clinic, first, username="family1")
    second = add_ready_patient(clinic, first="Luis")
    trail = len(clinic.staff.audit_trail(second))
    with pytest.raises(ConflictError, match="already taken"):
        clinic.staff.set_credentials(second, username="FAMILY1", password="temp-pass-123", actor=STAFF)
    assert len(clinic.staff.audit_trail(second)) == trail
    assert not clinic.portal.login("family1", "temp-pass-123")


@pytest.mark.parametrize(
    ("password", "message"),
    [("Tulip7x", "at least 10"), ("ana.lopez-1", "username")],
)
def test_weak_passwords_are_refused(clinic: Clinic, password: str, message: str) -> None:
    pid = add_ready_patient(clinic)
    with pytest.raises(ValidationError, match=message) as caught:
        clinic.staff.set_credentials(pid, username="ana.lopez", password=password, actor=STAFF)
    assert caught.value.field == "password"
    assert password not in str(caught.value)
