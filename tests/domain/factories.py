"""Hand-built portal facts for domain tests: a healthy patient, changed as a test needs."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from clinic_desk.domain import codes
from clinic_desk.domain.facts import EmailFacts, LinkFacts, PortalFacts

NOW = datetime(2026, 11, 3, 14, 15, tzinfo=UTC)
LAST_WEEK = NOW - timedelta(days=7)
YESTERDAY = NOW - timedelta(days=1)


def make_facts(**changes: Any) -> PortalFacts:
    """A healthy active patient with access on and an invitation sent; change what the test needs."""
    healthy = PortalFacts(
        patient_id=7,
        first_name="Maria",
        last_name="Lopez",
        mrn="MRN0007",
        patient_status=codes.ACTIVE,
        email="maria.lopez@example.com",
        zip_code="02134",
        access_enabled=True,
        access_changed_by="frontdesk",
        access_changed_at=LAST_WEEK,
        any_invitation_sent=True,
    )
    return dataclasses.replace(healthy, **changes)


def logged_in(**changes: Any) -> PortalFacts:
    """A patient who has used the portal."""
    return make_facts(**{"username": "mlopez", "last_login_at": YESTERDAY, "login_count": 4, **changes})


def access_off(off_reason: str | None, **changes: Any) -> PortalFacts:
    """Access switched off for off_reason (None: never turned on)."""
    return make_facts(access_enabled=False, access_off_reason=off_reason, **changes)


def invitation(**changes: Any) -> LinkFacts:
    """An invitation link sent last week that ran for three days."""
    link = LinkFacts(
        kind=codes.INVITATION,
        sent_to="maria.lopez@example.com",
        created_at=LAST_WEEK,
        expires_at=LAST_WEEK + timedelta(days=3),
    )
    return dataclasses.replace(link, **changes)


def failed_email(**changes: Any) -> EmailFacts:
    """An invitation email the server refused yesterday."""
    mail = EmailFacts(
        kind=codes.INVITATION,
        to="maria.lopez@example.com",
        status="failed",
        queued_at=YESTERDAY,
        failed_at=YESTERDAY + timedelta(minutes=1),
        failure_reason="550 mailbox unavailable",
    )
    return dataclasses.replace(mail, **changes)


def unconfirmed(**changes: Any) -> PortalFacts:
    """A patient who registered online and did not click the confirmation link."""
    values: dict[str, Any] = {
        "created_via": codes.CREATED_BY_ONLINE_REGISTRATION,
        "username": "maria80",
        "registered_at": LAST_WEEK,
        "confirmation_sent_to": "maria.lopez@example.com",
        "confirmation_sent_at": LAST_WEEK,
        "access_changed_by": None,
        "access_changed_at": None,
        "any_invitation_sent": False,
    }
    values.update(changes)
    return access_off(codes.OFF_UNCONFIRMED, **values)
