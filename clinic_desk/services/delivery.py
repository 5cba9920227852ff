"""Outbox delivery: the mail worker's loop. Claim due emails, send them over SMTP, record what happened.

Each email goes through three short steps, none of which holds a transaction
while talking to the mail server:

1. **Claim** (one transaction, :mod:`clinic_desk.services.outbox_claims`): pick due
   ``queued`` rows nobody holds, within the clinic's hourly limit, and stamp them
   ``claimed_by``/``claimed_until``; one that must no longer go (a placeholder address,
   a deceased patient, access switched off, an address no longer on file) is cancelled
   with its reason instead.
2. **Send**, outside any transaction, only while the claim is comfortably valid (here).
3. **Record** (one transaction per email, :mod:`clinic_desk.services.delivery_outcomes`):
   ``sent``; or back to ``queued`` with a later ``next_attempt_at`` (4xx replies,
   connection trouble); or ``failed`` (5xx replies, or too many attempts). Every update
   checks ``claimed_by``, so a worker whose claim expired changes nothing.

A crashed worker's claim simply runs out (``claimed_until``) and another worker
takes the email. The one case of a double send SMTP itself allows: the server
accepted the message but the connection broke before its "250 OK" arrived; the
retry carries the same Message-ID, so mail programs show it once. Once a day the
worker may also record the portal status (:mod:`clinic_desk.services.daily_status`).

Logging names email ids, counts and SMTP codes only: never addresses, contents or
passwords.
"""

from __future__ import annotations

import logging
import os
import socket
import ssl
import threading
import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.services import secret_store, smtp
from clinic_desk.services.daily_status import DailyStatus
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.delivery_outcomes import DeliveryOutcomes
from clinic_desk.services.delivery_report import (
    BACKOFF,
    DATABASE_DOWN,
    DEFAULT_LEASE,
    DEFAULT_MAX_ATTEMPTS,
    NO_PASSWORD,
    NO_SERVER,
    ClaimedEmail,
    DeliveryReport,
    MailProblem,
)
from clinic_desk.services.outbox_claims import OutboxClaims
from clinic_desk.services.settings import ClinicSettings

log = logging.getLogger(__name__)

PasswordProvider = Callable[[], str | None]


class DeliveryWorker:
    """Sends due outbox emails over SMTP; plain Python, safe to run on a background thread.

    Use one worker per thread. Any number of workers (threads, workstations) may run
    against one database: claims keep each email with one of them.
    """

    def __init__(
        self,
        clinic: ClinicDatabase,
        password_provider: PasswordProvider | None = None,
        *,
        worker_id: str | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        lease: timedelta = DEFAULT_LEASE,
        backoff: Sequence[timedelta] = BACKOFF,
        timeout: float = smtp.DEFAULT_TIMEOUT,
        tls_context: ssl.SSLContext | None = None,
        record_status: bool = False,
        follow_settings: bool = False,
    ) -> None:
        if max_attempts < 1 or not backoff:
            raise ValueError("max_attempts must be at least 1 and backoff must not be empty")
        # Sending one email takes at most a few timeouts; stop using a claim well before it ends.
        if lease <= timedelta(seconds=4 * timeout):
            raise ValueError("the lease must be longer than four SMTP timeouts")
        self._clinic = clinic
        # The mail-worker runs for days: it takes up settings an administrator saves meanwhile
        # (the window's sender shares the window's clinic, which the window keeps up to date).
        self.follow_settings = follow_settings
        self._password_provider = password_provider or (
            lambda: secret_store.get_smtp_password(clinic.settings)
        )
        self.worker_id = (worker_id or default_worker_id())[:100]
        self.max_attempts = max_attempts
        self.lease = lease
        self.backoff = tuple(backoff)
        self.timeout = timeout
        self.tls_context = tls_context
        self._safety = timedelta(seconds=3 * timeout)
        self._claims = OutboxClaims(clinic, self.worker_id, lease)
        self._outcomes = DeliveryOutcomes(clinic, self._claims, max_attempts, self.backoff)
        # The mail-worker may be the only thing running at night: it records the day's portal status.
        self.record_status = record_status
        self._daily_status = DailyStatus(clinic, self.worker_id)

    # -- the loop ---------------------------------------------------------------------------

    def run_once(self, limit: int = 50) -> DeliveryReport:
        """Claim up to ``limit`` due emails and try each once."""
        if not self._clinic.settings.smtp_host.strip():
            return DeliveryReport(problem=NO_SERVER, problem_kind=MailProblem.NO_SERVER)
        # The password is looked up only when something is due (deliver): no keyring
        # traffic, and no "password missing" nagging, while the outbox is empty.
        claimed = self.claim(limit)
        per_hour = self._clinic.settings.mail_per_hour
        held = DeliveryReport(held_for_limit=self.held_for_limit, per_hour=per_hour)
        if not claimed:
            return held
        return self.deliver(claimed) + held

    def run_forever(
        self,
        stop_event: threading.Event,
        poll_seconds: float = 2.0,
        *,
        limit: int = 50,
        on_report: Callable[[DeliveryReport], None] | None = None,
    ) -> None:
        """Deliver until ``stop_event`` is set; survives database and mail server outages.

        ``on_report`` is called (on this thread) after every run that did something or
        hit a problem, e.g. to tell the GUI by signal.
        """
        log.info("mail worker %s started", self.worker_id)
        pause = poll_seconds
        while not stop_event.is_set():
            if self.follow_settings:
                self.take_up_settings()
            self.record_status_once_a_day()
            try:
                report = self.run_once(limit)
            except Exception as error:  # The worker must outlive any one failure.
                # The class name only: database errors can quote patient data.
                log.warning("mail worker %s: run failed (%s)", self.worker_id, type(error).__name__)
                report = DeliveryReport(problem=DATABASE_DOWN, problem_kind=MailProblem.DATABASE)
            if on_report is not None and (report.total or report.problem):
                on_report(report)
            if report.total >= limit and not report.problem:
                continue  # More may be due right now.
            # Back off while something is wrong, up to a minute; poll normally otherwise.
            pause = min(max(pause * 2, poll_seconds), 60.0) if report.problem else poll_seconds
            stop_event.wait(pause)
        log.info("mail worker %s stopped", self.worker_id)

    def take_up_settings(self) -> None:
        """Read the settings again if an administrator saved new ones (one row read when not)."""
        try:
            if self._clinic.refresh_settings():
                log.info("mail worker %s took up new clinic settings", self.worker_id)
        except Exception as error:  # the next run says what is wrong with the database
            log.warning("mail worker %s: settings not read (%s)", self.worker_id, type(error).__name__)

    def record_status_once_a_day(self) -> None:
        """Record today's portal status (adoption chart) the first time this worker sees the day."""
        if self.record_status:
            self._daily_status.record_once_a_day()

    # -- the three steps: claim and release (outbox_claims), send (here), record (delivery_outcomes)

    @property
    def held_for_limit(self) -> int:
        """Due emails the last claim left for the hourly limit."""
        return self._claims.held_for_limit

    def claim(self, limit: int = 50) -> list[ClaimedEmail]:
        """Take up to ``limit`` due, unclaimed queued emails for this worker (one short transaction)."""
        return self._claims.claim(limit)

    def release(self, claimed: Sequence[ClaimedEmail]) -> None:
        """Give emails back untried (no attempt counted), so any worker may take them now."""
        self._claims.release(claimed)

    def deliver(self, claimed: Sequence[ClaimedEmail]) -> DeliveryReport:
        """Send emails this worker claimed, over one SMTP connection, and record each outcome."""
        ready = self._ready()
        if isinstance(ready, DeliveryReport):
            self.release(claimed)
            return ready
        settings, password = ready
        sent = retried = failed = 0
        problem: str | None = None  # always a mail server problem (MailProblem.SERVER)
        connection = None
        try:
            for index, mail in enumerate(claimed):
                if self._clinic.now() >= mail.claimed_until - self._safety:
                    # Too close to the end of the claim: another worker may take it any moment.
                    self.release(claimed[index:])
                    break
                if not mail.to.strip():
                    failed += self._outcomes.finish_failed(mail, "There is no email address to send to.")
                    continue
                if connection is None:
                    try:
                        connection = smtp.open_connection(
                            settings, password, timeout=self.timeout, tls_context=self.tls_context
                        )
                    except smtp.MailServerProblem as error:
                        problem = error.message
                        log.warning(
                            "mail worker %s: mail server unusable (SMTP %s); %d emails put back",
                            self.worker_id,
                            error.code or "-",
                            len(claimed) - index,
                        )
                        for rest in claimed[index:]:
                            outcome = self._outcomes.retry_or_fail(rest, error.message)
                            retried += outcome == "retried"
                            failed += outcome == "failed"
                        break
                if not self._claims.still_mine(mail):
                    continue  # cancelled (access off, email changed...) since it was claimed: never send
                try:
                    message = smtp.build_message(_outgoing(mail), settings, self._clinic.now())
                    smtp.send_one(connection, message, settings.sender_address, mail.to)
                except smtp.SendRefused as refusal:
                    if refusal.permanent:
                        log.info("email %d refused permanently (SMTP %d)", mail.id, refusal.code)
                        failed += self._outcomes.finish_failed(mail, refusal.reason)
                    else:
                        log.info("email %d refused for now (SMTP %d)", mail.id, refusal.code)
                        if refusal.stage == "sender":
                            problem = (
                                f"The mail server refused the clinic's sender address "
                                f"{settings.sender_address} ({refusal.reason})."
                            )
                        outcome = self._outcomes.retry_or_fail(mail, refusal.reason)
                        retried += outcome == "retried"
                        failed += outcome == "failed"
                except smtp.MailServerProblem as error:
                    log.info("email %d: connection broke while sending", mail.id)
                    problem = error.message
                    outcome = self._outcomes.retry_or_fail(mail, error.message)
                    retried += outcome == "retried"
                    failed += outcome == "failed"
                    smtp.close_quietly(connection)
                    connection = None
                except (ValueError, TypeError) as error:
                    # A header the email library refuses (e.g. a broken address): never sendable.
                    log.info("email %d could not be built (%s)", mail.id, type(error).__name__)
                    failed += self._outcomes.finish_failed(
                        mail, "The email address or subject cannot be used."
                    )
                else:
                    sent += self._outcomes.finish_sent(mail)
        finally:
            if connection is not None:
                smtp.close_quietly(connection)
        problem_kind = MailProblem.SERVER if problem else None
        report = DeliveryReport(
            sent=sent, retried=retried, failed=failed, problem=problem, problem_kind=problem_kind
        )
        if report.total:
            log.info(
                "mail worker %s: %d sent, %d retried, %d failed",
                self.worker_id,
                report.sent,
                report.retried,
                report.failed,
            )
        return report

    def _ready(self) -> tuple[ClinicSettings, str | None] | DeliveryReport:
        """The settings and password to send with, or a report saying what stands in the way."""
        settings = self._clinic.settings
        if not settings.smtp_host.strip():
            return DeliveryReport(problem=NO_SERVER, problem_kind=MailProblem.NO_SERVER)
        if not settings.smtp_username.strip():
            return settings, None
        try:
            password = self._password_provider()
        except ClinicDeskError as error:
            return DeliveryReport(problem=error.message, problem_kind=MailProblem.NO_PASSWORD)
        if not password:
            return DeliveryReport(problem=NO_PASSWORD, problem_kind=MailProblem.NO_PASSWORD)
        return settings, password


def run_mail_worker(
    clinic: ClinicDatabase,
    stop_event: threading.Event,
    *,
    password_provider: PasswordProvider | None = None,
    poll_seconds: float = 2.0,
    worker_id: str | None = None,
    on_report: Callable[[DeliveryReport], None] | None = None,
    record_status: bool = False,
    follow_settings: bool = False,
) -> None:
    """Entry point of ``clinic-desk mail-worker`` and of the GUI's background sender.

    ``record_status``: also record the portal status once a day (the mail-worker; the window
    records it itself once after start). ``follow_settings``: take up settings saved elsewhere
    while it runs (the mail-worker; the window does it for its own sender).
    """
    worker = DeliveryWorker(
        clinic,
        password_provider,
        worker_id=worker_id,
        record_status=record_status,
        follow_settings=follow_settings,
    )
    worker.run_forever(stop_event, poll_seconds, on_report=on_report)


def default_worker_id() -> str:
    """'host:pid:random', unique per worker even with several per process."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _outgoing(mail: ClaimedEmail) -> smtp.OutgoingEmail:
    return smtp.OutgoingEmail(
        to=mail.to, subject=mail.subject, text=mail.text, html=mail.html, message_id=mail.message_id
    )
