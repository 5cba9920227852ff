"""Every trouble spot of DESIGN.md section 1, made real through the public API."""

from __future__ import annotations

from sqlalchemy import update

from clinic_desk import Clinic
from clinic_desk.db.models import OutboxEmail
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_ready_patient, make_blue, register_online


def test_no_invitation_sent_only_while_never_logged_in(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    assert clinic.status(pid).trouble_codes == ("no_invitation_sent",)
    clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="patient_request")
    assert "no_invitation_sent" not in clinic.status(pid).trouble_codes


def test_invitation_expired_names_address_and_dates(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    sent_at = clock.now
    clinic.staff.send_invitation(pid, actor=STAFF)
    clock.advance(days=8)
    item = clinic.status(pid).trouble("invitation_expired")
    assert item is not None
    assert item.facts["sent_at"] == sent_at
    assert item.facts["kind"] == "invitation"
    # A fresh invitation clears it.
    clinic.staff.send_invitation(pid, actor=STAFF)
    assert clinic.status(pid).trouble("invitation_expired") is None


def test_email_delivery_failed_shows_the_server_reason_in_plain_words(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    email_id = clinic.staff.send_invitation(pid, actor=STAFF)
    with clinic.transaction() as session:
        session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id == email_id)
            .values(status="failed", last_error="550 5.1.1 mailbox unavailable", failed_at=clinic.now())
        )
    item = clinic.status(pid).trouble("email_delivery_failed")
    assert item is not None
    assert item.facts["failure_reason"] == "550 5.1.1 mailbox unavailable"
    # The hover says it in plain words (issue 10, item 11); the reply stays in the facts.
    assert "the mail server says this mailbox does not exist" in item.message
    assert "550" not in item.message
    assert clinic.mail.outbox(pid)[0].status == "failed"


def test_unconfirmed_registration_says_what_became_of_the_confirmation_email(clinic: Clinic) -> None:
    pid = register_online(clinic)
    item = clinic.status(pid).reason("registration_unconfirmed")
    assert item is not None
    assert "is waiting to be sent" in item.message and "sent to" not in item.message
    email_id = clinic.mail.outbox(pid)[0].id
    with clinic.transaction() as session:
        session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id == email_id)
            .values(status="failed", last_error="550 5.1.1 <x>: User unknown", failed_at=clinic.now())
        )
    status = clinic.status(pid)
    message = status.reasons[0].message
    assert "could not be delivered" in message and "this mailbox does not exist" in message
    assert "550" not in message
    tip = clinic.troubleshooting(pid).tip("email_delivery_failed")
    assert tip is not None and "send the email again" not in tip.body


def test_placeholder_email(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic, email="none-1234@noemail.invalid")
    status = clinic.status(pid)
    assert status.color == "gold"
    assert "placeholder_email" in status.trouble_codes
    assert "email_possible_typo" not in status.trouble_codes


def test_placeholder_domain_is_a_setting(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock, placeholder_domain="nomail.example.org") as clinic:
        pid = add_ready_patient(clinic, email="x@nomail.example.org")
        assert "placeholder_email" in clinic.status(pid).trouble_codes


def test_email_possible_typo_suggests_the_fix(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic, email="ana@hotmial.com")
    item = clinic.status(pid).trouble("email_possible_typo")
    assert item is not None
    assert item.facts["suggestion"] == "ana@hotmail.com"


def test_username_is_old_email(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid, username="ana.old@aol.com")
    item = clinic.status(pid).trouble("username_is_old_email")
    assert item is not None
    assert item.facts["username"] == "ana.old@aol.com"
    # A username equal to the email on file is no trouble.
    clinic.staff.update_contact(pid, email="ana.old@aol.com", actor=STAFF)
    assert clinic.status(pid).trouble("username_is_old_email") is None


def test_shared_email_says_whose_username_it_is(clinic: Clinic) -> None:
    mother = add_ready_patient(clinic, first="Rosa", last="Diaz", email="diaz.family@example.com")
    son = add_ready_patient(clinic, first="Tomas", last="Diaz", email="diaz.family@example.com")
    make_blue(clinic, mother, username="rosadiaz")
    item = clinic.status(son).trouble("shared_email")
    assert item is not None
    charts = item.facts["charts"]
    assert [(c["name"], c["username"]) for c in charts] == [("Rosa Diaz", "rosadiaz")]
    assert "rosadiaz" in item.message
    assert clinic.status(mother).trouble("shared_email") is not None


def test_placeholder_addresses_are_not_a_shared_email(clinic: Clinic) -> None:
    one = add_ready_patient(clinic, email="none@noemail.invalid")
    add_ready_patient(clinic, first="Bo", email="none@noemail.invalid")
    assert clinic.status(one).trouble("shared_email") is None


def test_account_locked_and_recent_failed_logins(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    for _ in range(5):
        clinic.portal.login("ana.lopez", "autofilled-old-pass")
    status = clinic.status(pid)
    assert status.color == "blue"
    assert status.trouble_codes == ("account_locked", "recent_failed_logins")
    assert status.trouble("recent_failed_logins").facts["failed_logins"] == 5  # type: ignore[union-attr]


def test_trouble_spots_show_whatever_the_colour(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic, email="ana@gmial.com")
    make_blue(clinic, pid)
    clinic.portal.login("ana.lopez", "wrong-wrong-1")
    clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="patient_request")
    status = clinic.status(pid)
    assert status.color == "red"
    assert status.trouble_codes == ("email_possible_typo", "recent_failed_logins")


def test_messages_never_show_a_password_or_token(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    clinic.staff.send_invitation(pid, actor=STAFF)
    token = clinic.mail.outbox(pid)[0].link.rsplit("=", 1)[1]  # type: ignore[union-attr]
    clinic.portal.login("ana.lopez", GOOD_PASSWORD + "x")
    status = clinic.status(pid)
    words = " ".join([status.headline] + [i.message for i in status.reasons + status.trouble_spots])
    facts = repr([dict(i.facts) for i in status.reasons + status.trouble_spots])
    for secret in (GOOD_PASSWORD, token):
        assert secret not in words and secret not in facts
