"""The outbox part of the facade (``clinic.mail``): what went to each patient, and sending it."""

from __future__ import annotations

import threading
from collections.abc import Callable

from clinic_desk.domain.text_rules import check_fields
from clinic_desk.services import delivery, secret_store, smtp
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.delivery_report import DeliveryReport
from clinic_desk.services.outbox import (
    EmailTimelineEntry,
    OutboxMessage,
    email_timeline,
    outbox_for,
    pending_count,
)
from clinic_desk.services.records import get_patient
from clinic_desk.services.settings import ClinicSettings

BATCH = 50  # emails claimed per delivery round


class MailRoom:
    """The outbox (``clinic.mail``)."""

    def __init__(self, db: ClinicDatabase) -> None:
        self._db = db

    def outbox(self, patient_id: int) -> list[OutboxMessage]:
        """Every email to this patient, newest first."""
        with self._db.reading() as session:
            get_patient(session, patient_id)
            return outbox_for(session, patient_id, self._db.now())

    def timeline(self, patient_id: int) -> list[EmailTimelineEntry]:
        """Every email to this patient, newest first, with delivery progress and the link's state."""
        with self._db.reading() as session:
            get_patient(session, patient_id)
            return email_timeline(session, patient_id, self._db.now())

    def pending_count(self) -> int:
        """How many emails wait in the outbox (queued, due now or later)."""
        with self._db.reading() as session:
            return pending_count(session)

    def deliver_now(self, password: str | None = None) -> DeliveryReport:
        """Send every due email now (blocking: call it off the GUI thread).

        ``password`` is the SMTP password for this call; by default the stored one.
        """
        check_fields(password=password)
        worker = delivery.DeliveryWorker(self._db, (lambda: password) if password else None)
        report = DeliveryReport()
        while True:
            step = worker.run_once(limit=BATCH)
            report += step
            if step.total < BATCH or step.problem:
                return report

    def run_sender(
        self,
        stop_event: threading.Event,
        *,
        password_provider: delivery.PasswordProvider | None = None,
        poll_seconds: float = 2.0,
        worker_id: str | None = None,
        on_report: Callable[[DeliveryReport], None] | None = None,
        record_status: bool = False,
        follow_settings: bool = False,
    ) -> None:
        """Deliver until ``stop_event`` is set (blocking: for the mail-worker and the GUI's sender thread).

        ``record_status``: also record the day's portal status once a day (the mail-worker).
        ``follow_settings``: take up settings another workstation saves (the mail-worker).
        """
        delivery.run_mail_worker(
            self._db,
            stop_event,
            password_provider=password_provider,
            poll_seconds=poll_seconds,
            worker_id=worker_id,
            on_report=on_report,
            record_status=record_status,
            follow_settings=follow_settings,
        )

    def send_test_email(
        self,
        to: str,
        password: str | None = None,
        *,
        settings: ClinicSettings | None = None,
        timeout: float = smtp.DEFAULT_TIMEOUT,
    ) -> str:
        """Send a test email with the current settings (or ``settings``); returns its Message-ID.

        Without ``password`` the stored one is used when the server needs a login. Raises in
        plain words (``clinic.setup.send_test_email`` checks typed values first, then calls this).
        """
        check_fields(to=to, password=password)
        settings = settings or self._db.settings
        if password is None and settings.smtp_username.strip():
            password = secret_store.get_smtp_password(settings)
        return smtp.send_test_email(settings, password, to, now=self._db.now(), timeout=timeout)
