"""The life of links and queued emails (DESIGN.md section 1), through the Clinic facade.

Each rule that kills a link is one test; each dead link is tried again after the state
that killed it is undone. Delivery runs for real against the loopback SMTP server, and
what arrived and what is stored are both inspected. SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from clinic_desk import Clinic, NotAllowed, ValidationError
from clinic_desk.db.models import AuditEntry, OutboxEmail
from tests.conftest import FakeClock
from tests.services.helpers import (
    GOOD_PASSWORD,
    STAFF,
    add_ready_patient,
    make_blue,
    newest_token,
    register_online,
)
from tests.smtp_server import SmtpTestServer

NEW_PASSWORD = "green-meadow-77"


@pytest.fixture
def mailing_clinic(clinic: Clinic, smtp_server: SmtpTestServer) -> Clinic:
    """The test's clinic, set up to send through the loopback server."""
    clinic.update_settings(actor="admin", **smtp_server.settings())
    return clinic


def switch_off(clinic: Clinic, pid: int) -> None:
    """Staff turn portal access off: the account may be compromised."""
    clinic.staff.set_portal_access(
        pid, enabled=False, actor=STAFF, reason="security", note="account compromised?"
    )


def switch_on(clinic: Clinic, pid: int) -> None:
    clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF, note="checked with the patient")


def refused(clinic: Clinic, token: str) -> bool:
    """True when the portal refuses this invitation/reset link."""
    try:
        clinic.portal.accept_invitation(token, username="taken.over", password=NEW_PASSWORD)
    except NotAllowed:
        return True
    return False


def newest(clinic: Clinic, pid: int) -> Any:
    return clinic.mail.timeline(pid)[0]


def stored_rows(clinic: Clinic) -> list[OutboxEmail]:
    """The outbox rows as anyone reading the database sees them."""
    with clinic.reading() as session:
        return list(session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


# -- each rule that kills a link ---------------------------------------------------------------


def test_a_reset_link_dies_when_access_turns_off_and_stays_dead_after_access_is_back(
    clinic: Clinic,
) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    clinic.staff.send_invitation(pid, actor=STAFF)  # a reset: the patient has a username
    token = newest_token(clinic, pid)
    switch_off(clinic, pid)
    switch_on(clinic, pid)
    assert refused(clinic, token)
    assert clinic.portal.login("ana.lopez", GOOD_PASSWORD)  # the owner's password still works
    assert not clinic.portal.login("ana.lopez", NEW_PASSWORD)
    entry = newest(clinic, pid)
    assert (entry.kind, entry.status, entry.cancel_reason) == ("reset", "cancelled", "access_turned_off")
    assert entry.link_state == "revoked" and entry.link_revoke_reason == "access_turned_off"


@pytest.mark.parametrize("status", ["inactive", "deceased"])
def test_an_invitation_dies_with_inactive_or_deceased_and_stays_dead_when_active_again(
    clinic: Clinic, status: str
) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    token = newest_token(clinic, pid)
    clinic.staff.set_patient_status(pid, status, actor=STAFF)
    clinic.staff.set_patient_status(pid, "active", actor=STAFF, note="registered in error")
    switch_on(clinic, pid)
    assert refused(clinic, token)
    entry = newest(clinic, pid)
    assert entry.status == "cancelled" and entry.cancel_reason == f"patient_{status}"


def test_an_email_change_kills_links_to_the_old_address_and_nothing_reaches_it(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer
) -> None:
    clinic = mailing_clinic
    pid = add_ready_patient(clinic, email="rita@oldjob.example")
    clinic.staff.send_invitation(pid, actor=STAFF)
    old = newest_token(clinic, pid)
    clinic.staff.update_contact(pid, email="rita@gmail.com", actor=STAFF)
    assert refused(clinic, old)
    entry = newest(clinic, pid)
    assert entry.status == "cancelled" and entry.cancel_reason == "email_changed"

    clinic.staff.send_invitation(pid, actor=STAFF)
    assert clinic.mail.deliver_now().sent == 1
    [arrived] = smtp_server.wait_for(1)
    assert arrived.rcpt_tos == ("rita@gmail.com",)


def test_an_email_change_of_letter_case_only_keeps_the_link(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic, email="rita@gmail.com")
    clinic.staff.send_invitation(pid, actor=STAFF)
    token = newest_token(clinic, pid)
    clinic.staff.update_contact(pid, email="Rita@gmail.com", actor=STAFF)
    assert newest(clinic, pid).status == "queued"
    assert clinic.portal.accept_invitation(token, username="rita", password=GOOD_PASSWORD) == pid


def test_a_confirmation_to_a_mistyped_address_dies_when_staff_correct_it(clinic: Clinic) -> None:
    pid = register_online(clinic, email="maria.garcia@yaho.com")
    token = newest_token(clinic, pid)
    clinic.staff.update_contact(pid, email="maria.garcia@yahoo.com", actor=STAFF)
    with pytest.raises(NotAllowed):
        clinic.portal.confirm_registration(token)
    assert clinic.status(pid).color == "red"  # the old link turned nothing on
    switch_on(clinic, pid)
    assert clinic.portal.login("mariag", GOOD_PASSWORD)  # the patient's own choice works
    with pytest.raises(NotAllowed):
        clinic.portal.confirm_registration(token)


def test_staff_confirming_a_registration_end_its_confirmation_link(clinic: Clinic) -> None:
    pid = register_online(clinic)
    token = newest_token(clinic, pid)
    switch_on(clinic, pid)
    entry = newest(clinic, pid)
    assert entry.status == "cancelled" and entry.cancel_reason == "confirmed_by_staff"
    switch_off(clinic, pid)
    with pytest.raises(NotAllowed):
        clinic.portal.confirm_registration(token)


def test_turning_access_off_kills_the_confirmation_too(clinic: Clinic) -> None:
    pid = register_online(clinic)
    token = newest_token(clinic, pid)
    switch_off(clinic, pid)
    switch_on(clinic, pid)
    with pytest.raises(NotAllowed):
        clinic.portal.confirm_registration(token)
    assert newest(clinic, pid).cancel_reason == "access_turned_off"


def test_credentials_set_by_hand_kill_invitation_and_reset(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    token = newest_token(clinic, pid)
    clinic.staff.set_credentials(pid, username="ana.lopez", password="temp-pass-123", actor=STAFF)
    assert refused(clinic, token)
    assert newest(clinic, pid).cancel_reason == "credentials_set_by_staff"
    assert clinic.portal.login("ana.lopez", "temp-pass-123")


def test_an_unlock_kills_pending_resets(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    assert not clinic.portal.login("ana.lopez", "wrong-password-1")
    clinic.staff.send_invitation(pid, actor=STAFF)
    token = newest_token(clinic, pid)
    clinic.staff.unlock_account(pid, actor=STAFF)
    assert refused(clinic, token)
    assert newest(clinic, pid).cancel_reason == "account_unlocked"


def test_a_newer_link_of_the_same_purpose_replaces_the_older_and_its_email(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer
) -> None:
    clinic = mailing_clinic
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    older = newest_token(clinic, pid)
    clinic.staff.send_invitation(pid, actor=STAFF)
    newer = newest_token(clinic, pid)
    assert refused(clinic, older)
    assert clinic.mail.deliver_now().sent == 1  # the replaced email never leaves
    assert [m.status for m in clinic.mail.outbox(pid)] == ["sent", "cancelled"]
    assert clinic.mail.timeline(pid)[1].cancel_reason == "replaced"
    assert clinic.portal.accept_invitation(newer, username="ana.lopez", password=GOOD_PASSWORD) == pid


# -- staff resend the confirmation --------------------------------------------------------------


def test_resend_confirmation_replaces_the_old_link(clinic: Clinic) -> None:
    pid = register_online(clinic)
    old = newest_token(clinic, pid)
    clinic.staff.resend_confirmation(pid, actor=STAFF)
    new = newest_token(clinic, pid)
    with pytest.raises(NotAllowed):
        clinic.portal.confirm_registration(old)
    assert clinic.portal.confirm_registration(new) == pid
    assert clinic.portal.login("mariag", GOOD_PASSWORD)
    with pytest.raises(NotAllowed, match="no online registration waiting"):
        clinic.staff.resend_confirmation(pid, actor=STAFF)


def test_resend_confirmation_is_refused_for_a_chart_made_by_staff(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    with pytest.raises(NotAllowed, match="Send invitation"):
        clinic.staff.resend_confirmation(pid, actor=STAFF)
    assert clinic.mail.outbox(pid) == []


# -- placeholders, deceased, switched off: nothing leaves -----------------------------------------


def test_nothing_is_ever_sent_to_none_at_none_com(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer
) -> None:
    clinic = mailing_clinic
    pid = add_ready_patient(clinic, email="none@none.com")
    assert clinic.status(pid).trouble("placeholder_email") is not None
    with pytest.raises(NotAllowed, match="placeholder"):
        clinic.staff.send_invitation(pid, actor=STAFF)
    # Access may be on: staff set the username and a temporary password by hand.
    clinic.staff.set_credentials(pid, username="ana.lopez", password="temp-pass-123", actor=STAFF)
    assert clinic.mail.outbox(pid) == []
    assert clinic.mail.deliver_now().sent == 0 and smtp_server.received == []


def test_delivery_cancels_what_became_a_placeholder_since_it_was_queued(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer
) -> None:
    clinic = mailing_clinic
    pid = add_ready_patient(clinic, email="frontdesk@clinic-dummy.example")
    clinic.staff.send_invitation(pid, actor=STAFF)
    token = newest_token(clinic, pid)
    dummies = (*clinic.settings.placeholder_addresses, "frontdesk@clinic-dummy.example")
    clinic.update_settings(actor="admin", placeholder_addresses=dummies)
    report = clinic.mail.deliver_now()
    assert report.sent == 0 and smtp_server.received == []
    entry = newest(clinic, pid)
    assert entry.status == "cancelled" and entry.cancel_reason == "placeholder_address"
    assert refused(clinic, token)
    assert clinic.status(pid).trouble("placeholder_email") is not None


def test_the_dummy_address_list_is_a_checked_audited_setting(clinic: Clinic) -> None:
    settings = clinic.update_settings(
        actor="admin", placeholder_addresses="None@None.com\nnoemail@*, x@y.org"
    )
    assert settings.placeholder_addresses == ("none@none.com", "noemail@*", "x@y.org")
    reopened = Clinic.open(clinic.url)
    try:
        assert reopened.settings.placeholder_addresses == ("none@none.com", "noemail@*", "x@y.org")
    finally:
        reopened.close()
    with pytest.raises(ValidationError, match="Dummy email addresses"):
        clinic.update_settings(actor="admin", placeholder_addresses=["not an address"])
    with clinic.reading() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "update_settings")).all()
    assert [e.actor for e in entries if "placeholder_addresses" in (e.after or "")] == ["admin"]


# -- at rest: no usable token once an email has left ----------------------------------------------


def test_no_token_is_readable_at_rest_after_delivery(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer, clock: FakeClock
) -> None:
    clinic = mailing_clinic
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    clinic.mail.deliver_now()  # the used invitation
    clinic.staff.send_invitation(pid, actor=STAFF)  # a reset
    token = newest_token(clinic, pid)
    assert clinic.mail.deliver_now().sent == 1
    arrived = smtp_server.wait_for(2)[-1]
    assert token in arrived.part("plain") and token in arrived.part("html")

    for row in stored_rows(clinic):
        assert row.status == "sent"
        for text in (row.link, row.body_text, row.body_html):
            assert text is not None and "?token=" not in text and token not in text
    assert [m.link for m in clinic.mail.outbox(pid)] == [None, None]
    assert "/reset-password" in clinic.mail.outbox(pid)[0].body  # the page address stays

    # The patient's own copy still works.
    assert clinic.portal.accept_invitation(token, password=NEW_PASSWORD) == pid
    assert clinic.portal.login("ana.lopez", NEW_PASSWORD)


def test_a_failed_email_keeps_no_token_either(mailing_clinic: Clinic, smtp_server: SmtpTestServer) -> None:
    clinic = mailing_clinic
    smtp_server.handler.refuse_recipients = (550, "5.1.1 User unknown")
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    token = newest_token(clinic, pid)
    assert clinic.mail.deliver_now().failed == 1
    [row] = stored_rows(clinic)
    assert row.status == "failed"
    assert all(token not in (text or "") for text in (row.link, row.body_text, row.body_html))


def test_a_links_lifetime_starts_when_its_email_is_sent(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer, clock: FakeClock
) -> None:
    clinic = mailing_clinic
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    token = newest_token(clinic, pid)
    clock.advance(days=6)  # the mail server was down for most of a week
    assert clinic.mail.deliver_now().sent == 1
    assert newest(clinic, pid).link_expires_at == clock.now + timedelta(days=7)
    clock.advance(days=6)
    assert clinic.portal.accept_invitation(token, username="ana.lopez", password=GOOD_PASSWORD) == pid


def test_an_email_claimed_just_before_access_is_turned_off_is_never_sent(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer
) -> None:
    """The sender checks each email right before sending it: a claim does not outlive a switch-off."""
    from clinic_desk.services.delivery import DeliveryWorker

    clinic = mailing_clinic
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    worker = DeliveryWorker(clinic)  # type: ignore[arg-type]  # the facade runs transactions the same way
    claimed = worker.claim(10)
    assert len(claimed) == 1
    switch_off(clinic, pid)  # staff act while the sender holds the email
    report = worker.deliver(claimed)
    assert report.sent == 0 and smtp_server.received == []
    [email] = clinic.mail.timeline(pid)
    assert email.status == "cancelled" and email.cancel_reason == "access_turned_off"
