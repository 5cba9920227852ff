"""'Forgot your password?' (issue 17): one quiet answer, a reset email only for one chart that may get it.

Everything through the public API, on SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import pytest

from clinic_desk import Clinic
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_ready_patient, make_blue, newest_token


def _resets(clinic: Clinic, patient_id: int) -> list[str]:
    """The status of each reset email to this patient, newest first."""
    return [mail.status for mail in clinic.mail.outbox(patient_id) if mail.kind == "reset"]


def _patient_entries(clinic: Clinic, patient_id: int) -> list[str]:
    return [
        entry.action for entry in clinic.staff.audit_trail(patient_id) if entry.actor == "patient (portal)"
    ]


@pytest.fixture
def ana(clinic: Clinic) -> int:
    pid = add_ready_patient(clinic)
    make_blue(clinic, pid)  # username ana.lopez, email ana.lopez@example.com
    return pid


@pytest.mark.parametrize(
    "typed", ["ana.lopez", " ANA.LOPEZ ", "ana.lopez@example.com", "Ana.Lopez@Example.com"]
)
def test_a_username_or_email_queues_a_reset(clinic: Clinic, ana: int, typed: str) -> None:
    before = _patient_entries(clinic, ana)
    assert clinic.portal.request_reset(typed, source="203.0.113.7") is None
    assert _resets(clinic, ana) == ["queued"]
    assert clinic.mail.outbox(ana)[0].link is not None
    assert "/reset-password?token=" in (clinic.mail.outbox(ana)[0].link or "")
    new = _patient_entries(clinic, ana)[len(before) :]
    assert new == ["send_reset"]
    entry = clinic.staff.audit_trail(ana)[-1]
    assert entry.note == "from 203.0.113.7" and "token" not in repr(entry.after)
    clinic.portal.accept_invitation(newest_token(clinic, ana), password="after-reset-88")
    assert clinic.portal.login("ana.lopez", "after-reset-88")


def test_a_chart_without_username_gets_an_invitation_instead(clinic: Clinic) -> None:
    pid = add_ready_patient(clinic)
    clinic.portal.request_reset("ana.lopez@example.com")
    kinds = [mail.kind for mail in clinic.mail.outbox(pid)]
    assert kinds == ["invitation"]  # the one the invitation link chooses a username on


def test_nothing_happens_when_nothing_or_several_match(clinic: Clinic, ana: int) -> None:
    sister = add_ready_patient(clinic, "Bea", "Lopez", email="family@example.com")
    brother = add_ready_patient(clinic, "Carl", "Lopez", email="family@example.com")
    audit_before = len(clinic.audit(limit=1000))
    for typed in ("nobody", "family@example.com", "", "   ", "ana.lopez\x00", "\udfff", "x" * 100_000):
        assert clinic.portal.request_reset(typed) is None
    assert len(clinic.audit(limit=1000)) == audit_before  # audited only when something was queued
    assert _resets(clinic, ana) == [] and clinic.mail.outbox(sister) == clinic.mail.outbox(brother) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda c, pid: c.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason="patient_request"),
        lambda c, pid: c.staff.set_patient_status(pid, "deceased", actor=STAFF),
        lambda c, pid: c.staff.update_contact(pid, email="none@noemail.invalid", actor=STAFF),
    ],
    ids=["access off", "deceased", "placeholder email"],
)
def test_nothing_goes_to_a_chart_that_may_not_get_it(clinic: Clinic, ana: int, change: object) -> None:
    assert callable(change)
    change(clinic, ana)
    clinic.portal.request_reset("ana.lopez")
    assert _resets(clinic, ana) == []


def test_three_an_hour_per_chart(clinic: Clinic, ana: int, clock: FakeClock) -> None:
    for number in range(5):
        clinic.portal.request_reset("ana.lopez", source=f"198.51.100.{number}")
    assert len(_resets(clinic, ana)) == 3  # the newest queued, the older ones replaced by it
    assert _resets(clinic, ana)[0] == "queued"
    clock.advance(minutes=61)
    clinic.portal.request_reset("ana.lopez")
    assert len(_resets(clinic, ana)) == 4


def test_one_address_cannot_flood_many_patients(clinic: Clinic, clock: FakeClock) -> None:
    ids = [add_ready_patient(clinic, "Pat", f"Number{n}") for n in range(11)]
    for pid in ids:
        clinic.portal.request_reset(f"pat.number{ids.index(pid)}@example.com", source="203.0.113.66")
    sent = [pid for pid in ids if clinic.mail.outbox(pid)]
    assert len(sent) == 10 and ids[-1] not in sent
    clinic.portal.request_reset("pat.number10@example.com", source="203.0.113.67")
    assert clinic.mail.outbox(ids[-1])
    clock.advance(minutes=61)
    clinic.portal.request_reset("pat.number0@example.com", source="203.0.113.66")
    assert len(clinic.mail.outbox(ids[0])) == 2


def test_the_answer_is_the_same_whatever_matched(clinic: Clinic, ana: int) -> None:
    answers = {repr(clinic.portal.request_reset(typed)) for typed in ("ana.lopez", "nobody@example.com", "")}
    assert answers == {"None"}
    assert GOOD_PASSWORD not in repr(clinic.mail.outbox(ana)[0].body)
