"""The outbox's email timeline: each link's state comes from the one rule the portal obeys."""

from __future__ import annotations

import pytest

from clinic_desk import Clinic, NotAllowed
from clinic_desk.domain.links import LinkState
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_ready_patient, token_of


def links(clinic: Clinic, patient_id: int) -> list[tuple[str | None, str]]:
    """(state, token) of each email, newest first."""
    return [
        (entry.link_state, token_of(message.link))
        for entry, message in zip(
            clinic.mail.timeline(patient_id), clinic.mail.outbox(patient_id), strict=True
        )
    ]


def test_the_timeline_and_the_portal_agree_on_every_link(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    clock.advance(minutes=5)
    clinic.staff.send_invitation(pid, actor=STAFF)  # replaces the first link
    (newest_state, newest), (older_state, older) = links(clinic, pid)
    assert (newest_state, older_state) == (LinkState.ACTIVE, LinkState.REVOKED)

    with pytest.raises(NotAllowed, match="replaced"):
        clinic.portal.accept_invitation(older, username="ana.lopez", password=GOOD_PASSWORD)
    assert clinic.portal.accept_invitation(newest, username="ana.lopez", password=GOOD_PASSWORD) == pid
    assert [state for state, _ in links(clinic, pid)] == [LinkState.USED, LinkState.REVOKED]
    with pytest.raises(NotAllowed, match="already been used"):
        clinic.portal.accept_invitation(newest, username="ana.lopez", password=GOOD_PASSWORD)


def test_an_expired_link_is_expired_in_the_timeline_and_refused(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    clock.advance(days=8)
    [(state, token)] = links(clinic, pid)
    assert state == LinkState.EXPIRED
    with pytest.raises(NotAllowed, match="expired"):
        clinic.portal.accept_invitation(token, username="ana.lopez", password=GOOD_PASSWORD)
    assert clinic.status(pid).trouble("invitation_expired") is not None


def test_credentials_set_by_hand_revoke_the_pending_link(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    clinic.staff.set_credentials(pid, username="ana.lopez", password="temp-pass-123", actor=STAFF)
    [(state, token)] = links(clinic, pid)
    assert state == LinkState.REVOKED
    with pytest.raises(NotAllowed):
        clinic.portal.accept_invitation(token, password=GOOD_PASSWORD)
