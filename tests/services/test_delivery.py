"""Outbox delivery against a real SMTP server on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import shutil
import threading
from datetime import timedelta
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select, update

from clinic_desk import Clinic
from clinic_desk.db.models import OutboxEmail, Patient
from clinic_desk.services import secret_store
from clinic_desk.services.delivery import DeliveryWorker, run_mail_worker
from clinic_desk.services.delivery_report import DeliveryReport, MailProblem
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_invited_patient, add_ready_patient, token_of
from tests.smtp_server import ReceivedEmail, SmtpTestServer

USER_UNKNOWN = "5.1.1 <ana.lopez@example.com>: Recipient address rejected: User unknown"


@pytest.fixture
def mailing_clinic(clinic: Clinic, smtp_server: SmtpTestServer) -> Clinic:
    """The test's clinic, set up to send through the loopback server."""
    clinic.update_settings(actor="admin", **smtp_server.settings())
    return clinic


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value for key, value in attrs if tag == "a" and key == "href" and value]


def links_in(received: ReceivedEmail) -> tuple[str, list[str]]:
    """The link in the text part, and the hrefs of the HTML part."""
    found = re.search(r"https://\S+\?token=[\w-]+", received.part("plain"))
    assert found, "no link in the text part"
    parser = _Hrefs()
    parser.feed(received.part("html"))
    return found.group(0), parser.hrefs


def test_invitation_arrives_with_both_parts_and_a_working_link(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer, clock: FakeClock
) -> None:
    clinic = mailing_clinic
    pid = add_ready_patient(clinic)
    email_id = clinic.staff.send_invitation(pid, actor=STAFF)
    assert clinic.mail.pending_count() == 1
    queued_link = clinic.mail.outbox(pid)[0].link

    report = DeliveryWorker(clinic, worker_id="desk-1").run_once()

    assert report == DeliveryReport(sent=1)
    [received] = smtp_server.wait_for(1)
    message = received.message
    stored = clinic.mail.outbox(pid)[0]
    assert stored.id == email_id and stored.status == "sent" and stored.attempts == 1
    assert stored.sent_at == clock.now
    assert received.rcpt_tos == ("ana.lopez@example.com",)
    assert received.mail_from == clinic.settings.sender_address
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert parseaddr(str(message["From"])) == (clinic.settings.sender_name, clinic.settings.sender_address)
    assert parseaddr(str(message["Reply-To"]))[1] == clinic.settings.sender_address
    assert parseaddr(str(message["To"]))[1] == "ana.lopez@example.com"
    assert str(message["Subject"]) == stored.subject
    assert message["Message-ID"] == stored.message_id
    assert parsedate_to_datetime(str(message["Date"])) == clock.now
    assert "Ana" in received.part("plain") and "Ana" in received.part("html")

    text_link, hrefs = links_in(received)
    assert text_link == queued_link and hrefs == [queued_link]
    # The stored copy keeps no working link once the email has left.
    assert stored.link is None and token_of(text_link) not in stored.body + (stored.html or "")
    clinic.portal.accept_invitation(token_of(text_link), username="ana.lopez", password=GOOD_PASSWORD)
    assert clinic.portal.login("ana.lopez", GOOD_PASSWORD)
    assert clinic.mail.pending_count() == 0
    [entry] = clinic.mail.timeline(pid)
    assert entry.status == "sent" and entry.link_state == "used" and entry.next_attempt_at is None


def test_server_down_keeps_the_email_queued_then_delivers_it_exactly_once(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer, clock: FakeClock
) -> None:
    clinic = mailing_clinic
    pid = add_invited_patient(clinic)
    smtp_server.stop()
    worker = DeliveryWorker(clinic, worker_id="desk-1")

    report = worker.run_once()

    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    assert report.problem and "mail server is down" in report.problem
    assert report.problem_kind is MailProblem.SERVER
    [entry] = clinic.mail.timeline(pid)
    assert entry.status == "queued" and entry.attempts == 1
    assert entry.next_attempt_at == clock.now + timedelta(minutes=1)
    assert entry.failure_reason and "Nothing answers" in entry.failure_reason
    # Queued with a retry pending is not a delivery failure.
    assert clinic.status(pid).trouble("email_delivery_failed") is None

    smtp_server.start()
    assert worker.run_once() == DeliveryReport()  # Not due yet: the backoff holds.
    clock.advance(seconds=61)
    assert worker.run_once() == DeliveryReport(sent=1)
    assert worker.run_once() == DeliveryReport()
    clock.advance(hours=2)
    assert worker.run_once() == DeliveryReport()

    assert len(smtp_server.wait_for(1)) == 1
    [entry] = clinic.mail.timeline(pid)
    assert (entry.status, entry.attempts, entry.failure_reason) == ("sent", 2, None)


def test_permanent_rejection_fails_with_the_servers_reason_in_the_status(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer, clock: FakeClock
) -> None:
    clinic = mailing_clinic
    pid = add_invited_patient(clinic)
    smtp_server.handler.refuse_recipients = (550, USER_UNKNOWN)

    report = DeliveryWorker(clinic).run_once()

    assert (report.sent, report.retried, report.failed) == (0, 0, 1)
    assert smtp_server.received == []
    message = clinic.mail.outbox(pid)[0]
    assert message.status == "failed" and message.failed_at == clock.now
    assert message.failure_reason == f"550 {USER_UNKNOWN}"
    item = clinic.status(pid).trouble("email_delivery_failed")
    assert item is not None
    assert item.facts["failure_reason"] == f"550 {USER_UNKNOWN}"
    # The hover says it in plain words (issue 10, item 11); the reply stays in the facts.
    assert "the mail server says this mailbox does not exist" in item.message
    assert "User unknown" not in item.message
    # Failed is final: no later run touches it.
    smtp_server.handler.refuse_recipients = None
    clock.advance(days=1)
    assert DeliveryWorker(clinic).run_once() == DeliveryReport()


def test_a_refused_message_body_fails_too(mailing_clinic: Clinic, smtp_server: SmtpTestServer) -> None:
    pid = add_invited_patient(mailing_clinic)
    smtp_server.handler.refuse_data = (554, "5.7.1 Message rejected as spam")
    assert DeliveryWorker(mailing_clinic).run_once().failed == 1
    assert mailing_clinic.mail.outbox(pid)[0].failure_reason == "554 5.7.1 Message rejected as spam"


def test_temporary_refusals_back_off_then_give_up(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer, clock: FakeClock
) -> None:
    clinic = mailing_clinic
    pid = add_invited_patient(clinic)
    smtp_server.handler.refuse_recipients = (451, "4.7.1 Greylisted, try again later")
    worker = DeliveryWorker(clinic, max_attempts=4)

    waits = []
    for _ in range(3):
        assert worker.run_once().retried == 1
        entry = clinic.mail.timeline(pid)[0]
        assert entry.next_attempt_at is not None
        waits.append(entry.next_attempt_at - clock.now)
        clock.now = entry.next_attempt_at
    assert waits == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15)]
    assert clinic.mail.timeline(pid)[0].failure_reason == "451 4.7.1 Greylisted, try again later"

    assert worker.run_once().failed == 1
    message = clinic.mail.outbox(pid)[0]
    assert (message.status, message.attempts) == ("failed", 4)
    assert message.failure_reason is not None and message.failure_reason.startswith(
        "Gave up after 4 attempts"
    )
    assert "451 4.7.1 Greylisted" in message.failure_reason
    assert clinic.status(pid).trouble("email_delivery_failed") is not None


def test_a_refused_sender_is_the_clinics_setup_and_is_retried(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer
) -> None:
    pid = add_invited_patient(mailing_clinic)
    smtp_server.handler.refuse_sender = (553, "5.7.1 Sender address not allowed")
    report = DeliveryWorker(mailing_clinic).run_once()
    assert report.retried == 1 and report.failed == 0
    assert report.problem is not None and "sender address" in report.problem
    assert mailing_clinic.mail.outbox(pid)[0].status == "queued"


def test_a_crashed_workers_claim_expires_and_is_never_sent_twice(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer, clock: FakeClock
) -> None:
    clinic = mailing_clinic
    add_invited_patient(clinic)
    crashed = DeliveryWorker(clinic, worker_id="desk-crashed")
    other = DeliveryWorker(clinic, worker_id="desk-other")

    held = crashed.claim()
    assert [mail.to for mail in held] == ["ana.lopez@example.com"]
    assert other.run_once() == DeliveryReport()  # Held by the first worker.

    clock.advance(minutes=11)  # The claim (10 minutes) ran out.
    assert other.run_once() == DeliveryReport(sent=1)
    # The first worker comes back to life: its claim is gone, so it sends nothing.
    assert crashed.deliver(held) == DeliveryReport()
    assert len(smtp_server.wait_for(1)) == 1
    with clinic.reading() as session:
        row = session.scalars(select(OutboxEmail)).one()
    assert (row.status, row.claimed_by, row.attempts) == ("sent", "desk-other", 1)


def test_a_claim_near_its_end_is_given_back_unsent(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer, clock: FakeClock
) -> None:
    clinic = mailing_clinic
    pid = add_invited_patient(clinic)
    worker = DeliveryWorker(clinic)
    held = worker.claim()
    clock.advance(minutes=9, seconds=30)  # Inside the safety margin before the lease ends.
    assert worker.deliver(held) == DeliveryReport()
    assert smtp_server.received == []
    [entry] = clinic.mail.timeline(pid)
    assert (entry.status, entry.attempts) == ("queued", 0)
    assert DeliveryWorker(clinic).run_once() == DeliveryReport(sent=1)


def test_smtp_login_uses_the_password_from_the_keyring(clinic: Clinic, clock: FakeClock) -> None:
    with SmtpTestServer(users={"portal-mailer": "s3cret-smtp-pass"}) as server:
        clinic.update_settings(actor="admin", **server.settings(smtp_username="portal-mailer"))
        add_invited_patient(clinic)

        no_password = clinic.mail.deliver_now()
        assert no_password.total == 0 and no_password.problem is not None
        assert "password is not set" in no_password.problem
        assert no_password.problem_kind is MailProblem.NO_PASSWORD
        # Given back untried: no attempt counted, and any worker may take it at once.
        with clinic.reading() as session:
            row = session.scalars(select(OutboxEmail)).one()
        assert (row.attempts, row.claimed_by, row.claimed_until) == (0, None, None)

        secret_store.set_smtp_password(clinic.settings, "wrong-password")
        wrong = clinic.mail.deliver_now()
        assert wrong.retried == 1 and wrong.problem is not None
        assert "refused the user name or password" in wrong.problem
        assert "wrong-password" not in wrong.problem
        assert wrong.problem_kind is MailProblem.SERVER

        secret_store.set_smtp_password(clinic.settings, "s3cret-smtp-pass")
        clock.advance(minutes=2)
        assert clinic.mail.deliver_now() == DeliveryReport(sent=1)
        [received] = server.wait_for(1)
        assert received.login == "portal-mailer"


def test_deliver_now_with_a_password_for_this_call(clinic: Clinic) -> None:
    with SmtpTestServer(users={"mailer": "pw-for-now"}) as server:
        clinic.update_settings(actor="admin", **server.settings(smtp_username="mailer"))
        for first in ("Ana", "Ben", "Cy"):
            clinic.staff.send_invitation(add_ready_patient(clinic, first=first), actor=STAFF)
        assert clinic.mail.pending_count() == 3
        assert clinic.mail.deliver_now(password="pw-for-now") == DeliveryReport(sent=3)
        assert clinic.mail.pending_count() == 0
        assert len(server.wait_for(3)) == 3


def test_an_empty_outbox_needs_no_password(clinic: Clinic) -> None:
    calls: list[int] = []

    def provider() -> str | None:
        calls.append(1)
        return None

    clinic.update_settings(actor="admin", smtp_host="127.0.0.1", smtp_security="none", smtp_username="mailer")
    assert DeliveryWorker(clinic, provider).run_once() == DeliveryReport()
    assert calls == []


def test_names_with_accents_survive_the_trip(mailing_clinic: Clinic, smtp_server: SmtpTestServer) -> None:
    mailing_clinic.update_settings(actor="admin", sender_name="Clínica Riverside – Família")
    pid = add_invited_patient(mailing_clinic, first="Zoë", last="Núñez", email="zoe.nunez@example.com")
    assert mailing_clinic.mail.deliver_now().sent == 1
    [received] = smtp_server.wait_for(1)
    assert str(received.message["Subject"]) == mailing_clinic.mail.outbox(pid)[0].subject
    assert "Zoë" in str(received.message["Subject"])
    assert parseaddr(str(received.message["From"]))[0] == "Clínica Riverside – Família"
    assert "Hello Zoë," in received.part("plain") and "Hello Zoë," in received.part("html")


def test_no_mail_server_set_up_is_said_and_nothing_is_claimed(clinic: Clinic) -> None:
    add_invited_patient(clinic)
    report = DeliveryWorker(clinic).run_once()
    assert report.total == 0
    assert report.problem == "No mail server is set up. Enter the clinic's SMTP server in Settings."
    assert report.problem_kind is MailProblem.NO_SERVER
    with clinic.reading() as session:
        assert session.scalars(select(OutboxEmail.claimed_by)).one() is None


def test_timeline_tells_each_links_fate(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer, clock: FakeClock
) -> None:
    clinic = mailing_clinic
    pid = add_invited_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    clinic.mail.deliver_now()
    newest, older = clinic.mail.timeline(pid)
    assert (newest.kind, newest.to, newest.status) == ("invitation", "ana.lopez@example.com", "sent")
    assert newest.link_state == "active" and older.link_state == "revoked"
    assert newest.link_expires_at == clock.now + timedelta(days=7)
    clock.advance(days=8)
    assert clinic.mail.timeline(pid)[0].link_state == "expired"
    assert clinic.status(pid).trouble("invitation_expired") is not None


def test_run_mail_worker_delivers_in_the_background_and_stops(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer
) -> None:
    clinic = mailing_clinic
    stop = threading.Event()
    reports: list[DeliveryReport] = []
    thread = threading.Thread(
        target=run_mail_worker,
        args=(clinic, stop),
        kwargs={"poll_seconds": 0.05, "on_report": reports.append},
    )
    thread.start()
    try:
        for first in ("Ana", "Ben"):
            clinic.staff.send_invitation(add_ready_patient(clinic, first=first), actor=STAFF)
        assert len(smtp_server.wait_for(2)) == 2
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert sum(report.sent for report in reports) == 2


def test_the_worker_survives_a_database_outage(tmp_path: Path, clock: FakeClock) -> None:
    # A SQLite file whose folder vanished: every run fails; the loop logs, waits and goes on.
    clinic = Clinic.open(f"sqlite:///{tmp_path / 'gone' / 'clinic.db'}", clock=clock, smtp_host="127.0.0.1")
    clinic.engine.dispose()
    shutil.rmtree(tmp_path / "gone")
    stop = threading.Event()
    reports: list[DeliveryReport] = []

    def on_report(report: DeliveryReport) -> None:
        reports.append(report)
        if len(reports) >= 2:
            stop.set()

    thread = threading.Thread(
        target=DeliveryWorker(clinic).run_forever,
        args=(stop, 0.01),
        kwargs={"on_report": on_report},
    )
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert reports[0].problem == "The clinic database could not be reached."
    assert reports[0].problem_kind is MailProblem.DATABASE
    clinic.close()


def test_adding_reports_keeps_each_problem_with_its_kind() -> None:
    server = DeliveryReport(sent=1, problem="Nothing answers.", problem_kind=MailProblem.SERVER)
    assert (server + DeliveryReport(retried=1)).problem_kind is MailProblem.SERVER
    no_password = DeliveryReport(problem="No password.", problem_kind=MailProblem.NO_PASSWORD)
    assert (server + no_password).problem_kind is MailProblem.NO_PASSWORD
    assert (DeliveryReport() + DeliveryReport()).problem_kind is None


def test_international_domains_go_out_in_ascii_form(
    mailing_clinic: Clinic, smtp_server: SmtpTestServer
) -> None:
    """A server without SMTPUTF8 accepts the ASCII (IDNA) form; old rows in Unicode go out in it too."""
    clinic = mailing_clinic
    new = add_ready_patient(clinic, email="ana@bücher.example")
    old = add_ready_patient(clinic, "Bo", "Kim", email="bo@xn--mller-kva.example")
    clinic.staff.send_invitation(new, actor=STAFF)
    clinic.staff.send_invitation(old, actor=STAFF)
    with clinic.transaction() as session:  # as a desk before this change stored it
        session.execute(
            update(OutboxEmail).where(OutboxEmail.patient_id == old).values(to_address="bo@müller.example")
        )
        session.execute(update(Patient).where(Patient.id == old).values(email="bo@müller.example"))

    assert DeliveryWorker(clinic, worker_id="desk-1").run_once() == DeliveryReport(sent=2)
    received = smtp_server.wait_for(2)
    assert sorted(rcpt for mail in received for rcpt in mail.rcpt_tos) == [
        "ana@xn--bcher-kva.example",
        "bo@xn--mller-kva.example",
    ]
    assert sorted(str(mail.message["To"]) for mail in received) == [
        "ana@xn--bcher-kva.example",
        "bo@xn--mller-kva.example",
    ]
