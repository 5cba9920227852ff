"""The clinic's hourly sending limit (mail_per_hour), against a real SMTP server on loopback."""

from __future__ import annotations

from sqlalchemy import func, select

from clinic_desk import Clinic
from clinic_desk.db.models import OutboxEmail
from clinic_desk.services.delivery import DeliveryWorker
from tests.conftest import FakeClock
from tests.services.helpers import add_ready_patient
from tests.smtp_server import SmtpTestServer


def queued(clinic: Clinic) -> int:
    with clinic.reading() as session:
        return session.scalar(select(func.count()).where(OutboxEmail.status == "queued")) or 0


def test_at_most_the_hourly_limit_leaves_in_any_rolling_hour(
    clinic: Clinic, smtp_server: SmtpTestServer, clock: FakeClock
) -> None:
    clinic.update_settings(actor="admin", mail_per_hour=3, **smtp_server.settings())
    ids = [add_ready_patient(clinic, "Ana", f"Lopez{letter}") for letter in "abcde"]
    assert clinic.staff.send_invitations(ids, actor="manager").queued == ids
    worker = DeliveryWorker(clinic, worker_id="desk-1")

    first = worker.run_once()
    assert (first.sent, first.held_for_limit) == (3, 2)
    assert first.limit_note == "2 emails are waiting for the hourly sending limit (3 an hour)."
    assert len(smtp_server.wait_for(3)) == 3 and queued(clinic) == 2

    clock.advance(minutes=59)  # still inside the hour of the first three
    again = worker.run_once()
    assert (again.sent, again.held_for_limit) == (0, 2) and queued(clinic) == 2

    clock.advance(minutes=2)  # the first three left more than an hour ago
    later = worker.run_once()
    assert (later.sent, later.held_for_limit, later.limit_note) == (2, 0, None)
    assert len(smtp_server.wait_for(5)) == 5 and queued(clinic) == 0


def test_emails_another_desk_holds_count_against_the_limit(
    clinic: Clinic, smtp_server: SmtpTestServer
) -> None:
    clinic.update_settings(actor="admin", mail_per_hour=4, **smtp_server.settings())
    ids = [add_ready_patient(clinic, "Ana", f"Lopez{letter}") for letter in "abcdef"]
    clinic.staff.send_invitations(ids, actor="manager")

    taken = DeliveryWorker(clinic, worker_id="desk-1").claim(limit=3)  # desk 1 is sending these now
    other = DeliveryWorker(clinic, worker_id="desk-2")
    report = other.run_once()

    assert len(taken) == 3
    assert (report.sent, report.held_for_limit) == (1, 2)  # 4 an hour: 3 held elsewhere, room for 1


def test_no_limit_by_default(clinic: Clinic, smtp_server: SmtpTestServer) -> None:
    clinic.update_settings(actor="admin", **smtp_server.settings())
    ids = [add_ready_patient(clinic, "Ana", f"Lopez{letter}") for letter in "abcd"]
    clinic.staff.send_invitations(ids, actor="manager")
    report = DeliveryWorker(clinic, worker_id="desk-1").run_once()
    assert (report.sent, report.held_for_limit, report.limit_note) == (4, 0, None)
