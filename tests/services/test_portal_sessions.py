"""Web sessions on the portal's pages (issue 17): sign in, stay signed in while used, sign out.

Everything through the public API, on SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from sqlalchemy import select

from clinic_desk import Clinic, NotAllowed, PortalSession
from clinic_desk.db.models import AuditEntry, PortalWebSession
from clinic_desk.services.hashing import hash_token
from clinic_desk.services.portal_guard import REFUSED
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_ready_patient, make_blue, newest_token

WRONG = "not-my-password-9"


@pytest.fixture
def ana(clinic: Clinic) -> int:
    """A patient with a username and password who never signed in (gold)."""
    pid = add_ready_patient(clinic, preferred_name="Annie")
    clinic.staff.send_invitation(pid, actor=STAFF)
    clinic.portal.accept_invitation(newest_token(clinic, pid), username="ana.lopez", password=GOOD_PASSWORD)
    return pid


def _last_seen(clinic: Clinic, token: str) -> datetime:
    with clinic.reading() as session:
        return session.scalars(
            select(PortalWebSession.last_seen_at).where(PortalWebSession.token_hash == hash_token(token))
        ).one()


def test_signing_in_counts_as_a_login_and_gives_a_new_secret_each_time(clinic: Clinic, ana: int) -> None:
    assert clinic.status(ana).color == "gold"
    first = clinic.portal.sign_in("Ana.Lopez", GOOD_PASSWORD, source="203.0.113.7")
    assert isinstance(first, PortalSession)
    assert (first.patient_id, first.username, first.first_name) == (ana, "ana.lopez", "Annie")
    assert not first.must_change_password and len(first.token) >= 40
    assert clinic.status(ana).color == "blue"
    logins = [entry for entry in clinic.staff.audit_trail(ana) if entry.action == "portal_login"]
    assert len(logins) == 1 and logins[0].note == "from 203.0.113.7"
    second = clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD)
    assert second.token != first.token  # rotation: a sign-in never reuses a secret
    assert clinic.portal.session(first.token) == first
    assert clinic.portal.session(second.token) == second


def test_a_temporary_password_says_so(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.set_credentials(pid, username="ana.t", password=GOOD_PASSWORD, actor=STAFF)
    assert clinic.portal.sign_in("ana.t", GOOD_PASSWORD).must_change_password


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("ana.lopez", WRONG),
        ("nobody", GOOD_PASSWORD),
        ("", ""),
        ("ana.lopez\x00", GOOD_PASSWORD),
        ("x" * 5000, "y"),
    ],
)
def test_every_failed_sign_in_gets_the_one_answer(
    clinic: Clinic, ana: int, username: str, password: str
) -> None:
    with pytest.raises(NotAllowed) as caught:
        clinic.portal.sign_in(username, password)
    assert caught.value.message == REFUSED
    assert clinic.status(ana).color == "gold"


def test_lockout_counts_sign_ins_like_logins_and_ends_the_session(clinic: Clinic, ana: int) -> None:
    session = clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD)
    for _ in range(4):
        assert not clinic.portal.login("ana.lopez", WRONG)
    with pytest.raises(NotAllowed):
        clinic.portal.sign_in("ana.lopez", WRONG)  # the fifth failure locks the account
    assert "account_locked" in clinic.status(ana).trouble_codes
    with pytest.raises(NotAllowed):
        clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD)
    assert clinic.portal.session(session.token) is None
    clinic.staff.unlock_account(ana, actor=STAFF)
    assert clinic.portal.session(session.token) == session


def test_an_unused_session_ends_after_the_idle_time(clinic: Clinic, ana: int, clock: FakeClock) -> None:
    session = clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD)
    for _ in range(3):  # used every 14 minutes: it lives on
        clock.advance(minutes=14)
        assert clinic.portal.session(session.token) == session
    assert _last_seen(clinic, session.token) == clock.now
    clock.advance(minutes=15, seconds=1)
    assert clinic.portal.session(session.token) is None
    # The clinic's setting decides how long.
    clinic.update_settings(actor=STAFF, portal_session_idle_minutes=60)
    session = clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD)
    clock.advance(minutes=59)
    assert clinic.portal.session(session.token) == session


def test_last_use_is_written_at_most_once_a_minute(clinic: Clinic, ana: int, clock: FakeClock) -> None:
    session = clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD)
    signed_in = clock.now
    clock.advance(seconds=59)
    assert clinic.portal.session(session.token) == session
    assert _last_seen(clinic, session.token) == signed_in
    clock.advance(seconds=1)
    assert clinic.portal.session(session.token) == session
    assert _last_seen(clinic, session.token) == clock.now


def test_signing_out(clinic: Clinic, ana: int) -> None:
    session = clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD)
    other = clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD)
    clinic.portal.sign_out(session.token)
    assert clinic.portal.session(session.token) is None
    assert clinic.portal.session(other.token) == other  # another device stays signed in
    clinic.portal.sign_out(session.token)  # again: nothing happens
    for nonsense in ("", "not-a-session", "x" * 10_000, "\x00\udfff", session.token.upper()):
        clinic.portal.sign_out(nonsense)
        assert clinic.portal.session(nonsense) is None
    assert clinic.portal.session(other.token) == other


def test_a_password_change_ends_the_other_sessions(clinic: Clinic, ana: int) -> None:
    here = clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD)
    elsewhere = clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD)
    clinic.portal.change_password("ana.lopez", GOOD_PASSWORD, "new-harbor-43", keep_token=here.token)
    assert clinic.portal.session(here.token) == here
    assert clinic.portal.session(elsewhere.token) is None
    clinic.portal.change_password("ana.lopez", "new-harbor-43", "third-harbor-44")  # no page kept
    assert clinic.portal.session(here.token) is None


@pytest.mark.parametrize(
    "staff_action",
    [
        lambda c, pid: c.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="security"),
        lambda c, pid: c.staff.set_patient_status(pid, "inactive", actor=STAFF),
        lambda c, pid: c.staff.set_credentials(
            pid, username="ana.lopez", password="desk-given-55", actor=STAFF
        ),
    ],
    ids=["access off", "inactive", "credentials set by hand"],
)
def test_staff_can_end_a_patient_s_sessions(clinic: Clinic, ana: int, staff_action: object) -> None:
    session = clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD)
    assert callable(staff_action)
    staff_action(clinic, ana)
    assert clinic.portal.session(session.token) is None


def test_a_reset_link_ends_the_sessions(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)
    session = clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD)
    clinic.portal.request_reset("ana.lopez")
    clinic.portal.accept_invitation(newest_token(clinic, pid), password="after-reset-88")
    assert clinic.portal.session(session.token) is None
    assert clinic.portal.sign_in("ana.lopez", "after-reset-88").patient_id == pid


def test_secrets_stay_out_of_the_tables_logs_and_audit(
    clinic: Clinic, ana: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    session = clinic.portal.sign_in("ana.lopez", GOOD_PASSWORD, source="203.0.113.7")
    clinic.portal.session(session.token)
    clinic.portal.change_password("ana.lopez", GOOD_PASSWORD, "new-harbor-43", keep_token=session.token)
    clinic.portal.sign_out(session.token)
    with clinic.reading() as session_db:
        rows = repr(session_db.execute(select(PortalWebSession)).all())
        rows += repr(session_db.execute(select(PortalWebSession.token_hash)).all())
        audit = repr(session_db.execute(select(AuditEntry.before, AuditEntry.after, AuditEntry.note)).all())
    for secret in (session.token, GOOD_PASSWORD, "new-harbor-43"):
        assert secret not in rows and secret not in audit and secret not in caplog.text
    assert hash_token(session.token) in rows
