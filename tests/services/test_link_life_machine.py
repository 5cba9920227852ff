"""Random sequences of staff and patient actions against the link rules of DESIGN.md section 1.

A Hypothesis state machine drives one chart on a real SQLite file through the Clinic
facade (invitations, email changes, access off/on, status changes, credentials set by
hand, unlocks, deliveries to a loopback SMTP server, the patient following a link they
hold, time passing) and keeps its own small model of the rules. Invariants:

- a held link works only if it is the newest of its purpose, unexpired, unused, and
  nothing that kills it happened since (and then it does work);
- no email to a placeholder address, a deceased or inactive patient, an address no
  longer on file, or while access is off leaves the outbox;
- once an email has left or failed, no token is readable in the stored copy.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select

from clinic_desk import Clinic, NotAllowed, NotFound
from clinic_desk.db.models import OutboxEmail
from clinic_desk.domain.email_checks import is_placeholder, same_email
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, newest_token
from tests.smtp_server import SmtpTestServer

LIFETIME = timedelta(days=7)  # invitation_days and reset_days default to 7
EMAILS = (
    "ana@example.com",
    "ANA@example.com",  # the same address: links survive a change of case
    "ana@gmail.com",
    "none@none.com",  # a dummy address: never mailed
    "ana.lopez@noemail.invalid",  # the placeholder domain
)
STATUSES = ("active", "prospective", "inactive", "deceased")
USERNAME = "ana.user"


@dataclass
class HeldLink:
    """A link the patient holds (from the outbox while queued), and its email."""

    token: str
    kind: str  # invitation | reset
    sent_to: str
    email_id: int
    queued_at: datetime
    sent_at: datetime | None = None
    dead: bool = False  # killed by a rule, or used
    email_status: str = "queued"

    def expires_at(self) -> datetime:
        return (self.sent_at or self.queued_at) + LIFETIME


class LinkLifeMachine(RuleBasedStateMachine):
    """One chart, its links and its emails; the model says what must hold."""

    template: ClassVar[Path]
    smtp: ClassVar[SmtpTestServer]

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="link-life-"))
        shutil.copyfile(self.template, self.folder / "clinic.db")
        self.clock = FakeClock()
        self.clinic = Clinic.open(f"sqlite:///{self.folder / 'clinic.db'}", clock=self.clock)
        self.clinic.update_settings(actor="admin", **self.smtp.settings())
        self.pid = self.clinic.staff.add_patient(
            first_name="Ana",
            last_name="Lopez",
            date_of_birth="1984-06-02",
            email=EMAILS[0],
            zip_code="02139",
            actor=STAFF,
        )
        # The model.
        self.email = EMAILS[0]
        self.status = "active"
        self.access_on = True
        self.off_by_staff = False
        self.has_username = False
        self.links: list[HeldLink] = []
        self.delivered_before = len(self.smtp.received)

    def teardown(self) -> None:
        self.clinic.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- the model's rules ------------------------------------------------------------------

    def end(self, kinds: tuple[str, ...], *, unless_sent_to: str | None = None) -> None:
        """What end_links does: open links die, queued emails of these kinds are cancelled."""
        for link in self.links:
            if link.kind not in kinds:
                continue
            if unless_sent_to is not None and same_email(link.sent_to, unless_sent_to):
                continue
            link.dead = True
            if link.email_status == "queued":
                link.email_status = "cancelled"

    def placeholder(self, address: str) -> bool:
        settings_ = self.clinic.settings
        return is_placeholder(address, settings_.placeholder_domain, settings_.placeholder_addresses)

    def may_use_portal(self) -> bool:
        return self.status in ("active", "prospective") and self.access_on

    # -- staff ------------------------------------------------------------------------------

    @rule()
    def send_invitation(self) -> None:
        expect_refusal = not self.may_use_portal() or self.placeholder(self.email)
        try:
            email_id = self.clinic.staff.send_invitation(self.pid, actor=STAFF)
        except NotAllowed:
            assert expect_refusal
            return
        assert not expect_refusal
        self.end(("invitation", "reset"))  # a newer link of the same purpose
        kind = "reset" if self.has_username else "invitation"
        token = newest_token(self.clinic, self.pid)
        self.links.append(HeldLink(token, kind, self.email, email_id, self.clock.now))

    @rule(email=st.sampled_from(EMAILS))
    def update_email(self, email: str) -> None:
        self.clinic.staff.update_contact(self.pid, email=email, actor=STAFF)
        if email != self.email:
            self.end(("invitation", "reset"), unless_sent_to=email)
        self.email = email

    @rule()
    def access_off(self) -> None:
        self.clinic.staff.set_portal_access(
            self.pid, enabled=False, actor=STAFF, reason="security", note="account compromised?"
        )
        if not self.off_by_staff:
            self.end(("invitation", "reset"))
        self.access_on, self.off_by_staff = False, True

    @rule()
    def access_on_again(self) -> None:
        try:
            self.clinic.staff.set_portal_access(self.pid, enabled=True, actor=STAFF, note="checked")
        except NotAllowed:
            assert self.status in ("inactive", "deceased")
            return
        assert self.status in ("active", "prospective")
        self.access_on, self.off_by_staff = True, False

    @rule(status=st.sampled_from(STATUSES))
    def set_status(self, status: str) -> None:
        self.clinic.staff.set_patient_status(self.pid, status, actor=STAFF, note="status checked")
        if status == self.status:
            return
        if status in ("inactive", "deceased"):
            self.end(("invitation", "reset"))
            if self.access_on:
                self.access_on = False
        self.status = status

    @rule()
    def set_credentials(self) -> None:
        try:
            self.clinic.staff.set_credentials(
                self.pid, username=USERNAME, password="temp-pass-123", actor=STAFF
            )
        except NotAllowed:
            assert self.status == "deceased"
            return
        self.end(("invitation", "reset"))
        self.has_username = True

    @rule()
    def unlock(self) -> None:
        self.clinic.staff.unlock_account(self.pid, actor=STAFF)
        self.end(("reset",))

    @rule()
    def deliver(self) -> None:
        self.clinic.mail.deliver_now()
        sent_now = []
        for link in self.links:
            if link.email_status != "queued":
                continue
            must_not_go = (
                self.placeholder(link.sent_to)
                or self.status in ("inactive", "deceased")
                or not same_email(link.sent_to, self.email)
                or not self.access_on
            )
            if must_not_go:
                link.email_status = "cancelled"
                link.dead = True
            else:
                link.email_status = "sent"
                link.sent_at = self.clock.now
                sent_now.append(link)
        # Nothing that left went where it must not: each arrival was predicted as sent.
        arrived = self.smtp.received[self.delivered_before :]
        self.delivered_before = len(self.smtp.received)
        assert sorted(m.message_id for m in arrived) == sorted(self.message_id(link) for link in sent_now)
        for message in arrived:
            [to] = message.rcpt_tos
            assert not self.placeholder(to) and self.status in ("active", "prospective") and self.access_on

    def message_id(self, link: HeldLink) -> str:
        [message] = [m for m in self.clinic.mail.outbox(self.pid) if m.id == link.email_id]
        return message.message_id

    # -- the patient and time ---------------------------------------------------------------

    @rule(data=st.data())
    def accept_held_link(self, data: st.DataObject) -> None:
        if not self.links:
            return
        link = data.draw(st.sampled_from(self.links))
        should_work = not link.dead and self.clock.now < link.expires_at() and self.may_use_portal()
        try:
            self.clinic.portal.accept_invitation(link.token, username=USERNAME, password=GOOD_PASSWORD)
        except (NotAllowed, NotFound):
            assert not should_work, "a live link was refused"
            return
        assert should_work, "a dead link worked"
        link.dead = True
        self.has_username = True

    @rule(days=st.integers(min_value=1, max_value=5))
    def advance_clock(self, days: int) -> None:
        self.clock.advance(days=days)

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def emails_are_where_the_model_says(self) -> None:
        statuses = {m.id: m.status for m in self.clinic.mail.outbox(self.pid)}
        assert {link.email_id: link.email_status for link in self.links} == statuses

    @invariant()
    def no_token_at_rest_once_an_email_left(self) -> None:
        tokens = [link.token for link in self.links]
        with self.clinic.reading() as session:
            rows = session.scalars(select(OutboxEmail).where(OutboxEmail.status.in_(("sent", "failed"))))
            for row in rows:
                for text in (row.link or "", row.body_text, row.body_html or ""):
                    assert "?token=" not in text and not any(token in text for token in tokens)


def test_links_and_emails_follow_the_rules_whatever_happens(
    sqlite_template: Path, smtp_server: SmtpTestServer
) -> None:
    LinkLifeMachine.template = sqlite_template
    LinkLifeMachine.smtp = smtp_server
    run_state_machine_as_test(
        LinkLifeMachine, settings=settings(max_examples=40, stateful_step_count=15, deadline=None)
    )
