"""Two workstations deliver from one outbox at the same time: every email goes out exactly once."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from clinic_desk import Clinic
from clinic_desk.db.models import OutboxEmail
from clinic_desk.services.delivery import DeliveryWorker
from clinic_desk.services.delivery_report import DeliveryReport
from tests.conftest import FakeClock, emptied_server_url
from tests.services.helpers import add_invited_patient
from tests.smtp_server import SmtpTestServer


def letters(number: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'ba': distinct names without digits."""
    word = ""
    while True:
        number, rest = divmod(number, 26)
        word = chr(ord("a") + rest) + word
        if number == 0:
            return word


def queue_emails(clinic: Clinic, count: int) -> set[str]:
    """Invite ``count`` different patients the way staff do; returns the queued Message-IDs."""
    for number in range(count):
        add_invited_patient(clinic, first="Pat", last="Lee" + letters(number))
    with clinic.reading() as session:
        return set(session.scalars(select(OutboxEmail.message_id)))


def deliver_concurrently(
    url: str, clock: FakeClock, workers: int, limit: int
) -> tuple[list[DeliveryReport], float]:
    """Each worker has its own Clinic (a workstation) and drains the outbox on its own thread."""
    clinics = [Clinic.open(url, clock=clock) for _ in range(workers)]
    reports: list[list[DeliveryReport]] = [[] for _ in range(workers)]
    errors: list[BaseException] = []
    start = threading.Barrier(workers)

    def drain(index: int) -> None:
        try:
            worker = DeliveryWorker(clinics[index], worker_id=f"desk-{index}")
            start.wait()
            while True:
                report = worker.run_once(limit=limit)
                reports[index].append(report)
                if report.total == 0 and clinics[index].mail.pending_count() == 0:
                    return
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=drain, args=(index,)) for index in range(workers)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.perf_counter() - began
    for clinic in clinics:
        clinic.close()
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    totals = [sum(worker_reports, DeliveryReport()) for worker_reports in reports]
    return totals, elapsed


@pytest.fixture(
    params=[
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def server_url(request: pytest.FixtureRequest) -> str:
    """The run's shared PostgreSQL (and MariaDB) database, emptied."""
    return emptied_server_url(request, request.param)


def test_two_workers_on_one_server_database_send_each_email_once(
    server_url: str, clock: FakeClock, smtp_server: SmtpTestServer
) -> None:
    with Clinic.open(server_url, clock=clock) as clinic:
        clinic.update_settings(actor="admin", **smtp_server.settings())
        expected = queue_emails(clinic, 300)
    assert len(expected) == 300

    totals, elapsed = deliver_concurrently(server_url, clock, workers=2, limit=10)

    received = smtp_server.wait_for(300)
    counts = Counter(email.message_id for email in received)
    assert set(counts) == expected
    assert max(counts.values()) == 1, [mid for mid, n in counts.items() if n > 1]
    assert sum(total.sent for total in totals) == 300
    assert all(total.sent > 0 for total in totals), "both workers should have sent some"
    with Clinic.open(server_url, clock=clock) as clinic, clinic.reading() as session:
        by_worker = dict(
            session.execute(
                select(OutboxEmail.claimed_by, func.count()).group_by(OutboxEmail.claimed_by)
            ).all()
        )
        statuses = set(session.scalars(select(OutboxEmail.status)))
    assert statuses == {"sent"}
    assert by_worker == {"desk-0": totals[0].sent, "desk-1": totals[1].sent}
    print(f"\n300 emails, 2 workers, {clinic.engine.name}: {elapsed:.2f} s ({300 / elapsed:.0f} emails/s)")


def test_two_workers_on_one_sqlite_file_send_each_email_once(
    sqlite_url: str, clock: FakeClock, smtp_server: SmtpTestServer
) -> None:
    with Clinic.open(sqlite_url, clock=clock) as clinic:
        clinic.update_settings(actor="admin", **smtp_server.settings())
        expected = queue_emails(clinic, 80)

    totals, elapsed = deliver_concurrently(sqlite_url, clock, workers=2, limit=10)

    counts = Counter(email.message_id for email in smtp_server.wait_for(80))
    assert set(counts) == expected and max(counts.values()) == 1
    assert sum(total.sent for total in totals) == 80
    print(f"\n80 emails, 2 workers, SQLite: {elapsed:.2f} s ({80 / elapsed:.0f} emails/s)")


def test_an_email_cancelled_while_it_is_being_sent_is_recorded_as_sent(
    db_url: str, clock: FakeClock, smtp_server: SmtpTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by scripts/load.py: a desk re-invites while the worker is handing the first invitation
    to the mail server. The email left once; its row must not say it never went."""
    from clinic_desk.services import smtp

    with Clinic.open(db_url, clock=clock) as desk:
        desk.update_settings(actor="admin", **smtp_server.settings())
        patient_id = add_invited_patient(desk)
        worker_desk = Clinic.open(db_url, clock=clock)
        first = desk.mail.outbox(patient_id)[0]
        real_send = smtp.send_one

        def send_then_reinvite(*args: object, **kwargs: object) -> None:
            real_send(*args, **kwargs)  # type: ignore[arg-type]
            desk.staff.send_invitation(patient_id, actor="frontdesk")  # cancels the queued first one

        monkeypatch.setattr(smtp, "send_one", send_then_reinvite)
        try:
            report = DeliveryWorker(worker_desk, worker_id="desk-9").run_once(limit=1)
        finally:
            monkeypatch.setattr(smtp, "send_one", real_send)
            worker_desk.close()
        assert report.sent == 1
        received = smtp_server.wait_for(1)
        assert [email.message_id for email in received] == [first.message_id]
        with desk.reading() as session:
            rows = dict(session.execute(select(OutboxEmail.message_id, OutboxEmail.status)).all())
        assert rows[first.message_id] == "sent"  # not "cancelled": it did go
        assert sorted(rows.values()) == ["queued", "sent"]  # the new invitation waits its turn
