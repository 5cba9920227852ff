"""Plain facts about one patient's portal account, as read from the database.

The status evaluation works only on these values, so it can be tested without
a database and the UI can hold them without touching SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from clinic_desk.domain import codes
from clinic_desk.domain.email_checks import DEFAULT_PLACEHOLDER_ADDRESSES, DEFAULT_PLACEHOLDER_DOMAIN
from clinic_desk.domain.links import LinkState, link_state


@dataclass(frozen=True)
class LinkFacts:
    """One invitation, reset or confirmation link (never the token itself)."""

    kind: str
    sent_to: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    revoke_reason: str | None = None  # why it ended before use (domain.links.EndReason)

    def state(self, now: datetime) -> LinkState:
        """Where the link is in its life (domain.links decides)."""
        return link_state(
            used_at=self.used_at, revoked_at=self.revoked_at, expires_at=self.expires_at, now=now
        )

    def expired(self, now: datetime) -> bool:
        """True when the link ran out before anyone used it."""
        return self.state(now) is LinkState.EXPIRED


@dataclass(frozen=True)
class EmailFacts:
    """One email in the outbox for this patient."""

    kind: str
    to: str
    status: str  # an EmailStatus value
    queued_at: datetime
    sent_at: datetime | None = None
    failed_at: datetime | None = None
    failure_reason: str | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None  # why it was never sent (domain.links.EndReason)


@dataclass(frozen=True)
class SharedEmailChart:
    """Another chart with the same email on file (often a family member)."""

    patient_id: int
    name: str
    mrn: str
    username: str | None = None


@dataclass(frozen=True)
class PortalFacts:
    """Everything the portal status depends on, for one patient."""

    patient_id: int
    first_name: str
    last_name: str
    mrn: str
    patient_status: str
    email: str | None
    zip_code: str | None
    access_enabled: bool
    access_off_reason: str | None = None
    access_changed_by: str | None = None
    access_changed_at: datetime | None = None
    access_note: str | None = None
    staff_off_reason: str | None = None  # why staff turned access off (codes.STAFF_OFF_REASONS)
    created_via: str = "staff"
    username: str | None = None
    must_change_password: bool = False
    registered_at: datetime | None = None
    confirmed_at: datetime | None = None
    confirmation_sent_to: str | None = None
    confirmation_sent_at: datetime | None = None
    last_login_at: datetime | None = None
    login_count: int = 0
    failed_logins: int = 0
    last_failed_login_at: datetime | None = None
    locked_until: datetime | None = None
    # Failed sign-ins under a username no account has, when what was typed is this chart's
    # email or username (since the last login): how many, the name typed most, the latest.
    unknown_username_failures: int = 0
    unknown_username_typed: str | None = None
    unknown_username_last_at: datetime | None = None
    newest_link: LinkFacts | None = None
    newest_email: EmailFacts | None = None
    confirmation_email: EmailFacts | None = None  # the newest registration confirmation email
    any_invitation_sent: bool = False
    shared_with: tuple[SharedEmailChart, ...] = field(default_factory=tuple)
    placeholder_domain: str = DEFAULT_PLACEHOLDER_DOMAIN
    placeholder_addresses: tuple[str, ...] = DEFAULT_PLACEHOLDER_ADDRESSES

    @property
    def confirmation_mail(self) -> EmailFacts | None:
        """The newest registration confirmation email, when one is known."""
        if self.confirmation_email is not None:
            return self.confirmation_email
        newest = self.newest_email
        return newest if newest is not None and newest.kind == codes.CONFIRMATION else None

    @property
    def full_name(self) -> str:
        """First and last name as staff say it."""
        return f"{self.first_name} {self.last_name}".strip()
