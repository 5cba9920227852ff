"""The outbox's email timeline: each link's state comes from the one rule the portal obeys."""

from __future__ import annotations

import pytest

from clinic_desk import Clinic, NotAllowed
from clinic_desk.domain.links import LinkState
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_ready_patient, newest_token


def states(clinic: Clinic, patient_id: int) -> list[str | None]:
    """The link state of each email, newest first."""
    return [entry.link_state for entry in clinic.mail.timeline(patient_id)]


def test_the_timeline_and_the_portal_agree_on_every_link(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    older = newest_token(clinic, pid)  # the outbox shows a link only while its email is queued
    clock.advance(minutes=5)
    clinic.staff.send_invitation(pid, actor=STAFF)  # replaces the first link (and cancels its email)
    newest = newest_token(clinic, pid)
    assert states(clinic, pid) == [LinkState.ACTIVE, LinkState.REVOKED]
    assert [m.status for m in clinic.mail.outbox(pid)] == ["queued", "cancelled"]
    assert clinic.mail.timeline(pid)[1].cancel_reason == "replaced"

    with pytest.raises(NotAllowed, match="replaced"):
        clinic.portal.accept_invitation(older, username="ana.lopez", password=GOOD_PASSWORD)
    assert clinic.portal.accept_invitation(newest, username="ana.lopez", password=GOOD_PASSWORD) == pid
    assert states(clinic, pid) == [LinkState.USED, LinkState.REVOKED]
    with pytest.raises(NotAllowed, match="already been used"):
        clinic.portal.accept_invitation(newest, username="ana.lopez", password=GOOD_PASSWORD)


def test_an_expired_link_is_expired_in_the_timeline_and_refused(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    token = newest_token(clinic, pid)
    clock.advance(days=8)
    assert states(clinic, pid) == [LinkState.EXPIRED]
    with pytest.raises(NotAllowed, match="expired"):
        clinic.portal.accept_invitation(token, username="ana.lopez", password=GOOD_PASSWORD)
    assert clinic.status(pid).trouble("invitation_expired") is not None


def test_credentials_set_by_hand_revoke_the_pending_link(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    token = newest_token(clinic, pid)
    clinic.staff.set_credentials(pid, username="ana.lopez", password="temp-pass-123", actor=STAFF)
    assert states(clinic, pid) == [LinkState.REVOKED]
    assert clinic.mail.outbox(pid)[0].status == "cancelled"
    with pytest.raises(NotAllowed):
        clinic.portal.accept_invitation(token, password=GOOD_PASSWORD)
