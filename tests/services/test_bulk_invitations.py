"""clinic.staff.send_invitations on SQLite, PostgreSQL and MariaDB: who is invited, who is skipped and why."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from clinic_desk import Clinic, NotAllowed, ValidationError
from clinic_desk.db.models import AuditEntry, OutboxEmail, PortalToken
from clinic_desk.services import bulk_invitations
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_ready_patient, make_blue, newest_token
from tests.services.staff_helpers import add_team, table_prints


def rows(clinic: Clinic) -> tuple[int, int, int]:
    """Outbox emails, links and audit entries in the database."""
    with clinic.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(OutboxEmail)) or 0,
            session.scalar(select(func.count()).select_from(PortalToken)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def invitations_to(clinic: Clinic, patient_id: int) -> int:
    return sum(1 for mail in clinic.mail.outbox(patient_id) if mail.kind in ("invitation", "reset"))


def test_every_skip_reason_is_said_and_the_rest_are_invited(
    clinic: Clinic, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready = add_ready_patient(clinic, "Ana", "Lopez")
    deceased = add_ready_patient(clinic, "Dan", "Dead")
    clinic.staff.set_patient_status(deceased, "deceased", actor=STAFF)
    inactive = add_ready_patient(clinic, "Ina", "Idle")
    clinic.staff.set_patient_status(inactive, "inactive", actor=STAFF)
    placeholder = add_ready_patient(clinic, "Pia", "Place", email="pia@noemail.invalid")
    no_email = add_ready_patient(clinic, "Nia", "Noemail", email=None)
    access_off = add_ready_patient(clinic, "Ola", "Off")
    clinic.staff.set_portal_access(access_off, enabled=False, actor=STAFF, reason="patient_request")
    queued = add_ready_patient(clinic, "Quin", "Queued")
    clinic.staff.send_invitation(queued, actor=STAFF)
    live = add_ready_patient(clinic, "Liv", "Live")
    clinic.staff.send_invitation(live, actor=STAFF)
    _mark_sent(clinic, live)
    recent = add_ready_patient(clinic, "Rex", "Recent")
    clinic.staff.send_invitation(recent, actor=STAFF)
    _mark_sent(clinic, recent)
    blue = add_ready_patient(clinic, "Bea", "Blue")
    make_blue(clinic, blue, username="bea.blue")
    clock.advance(days=2)
    # Recent's link is used up (accepted, never signed in): no live link, but invited 2 days ago.
    clinic.portal.accept_invitation(
        newest_token_of_sent(clinic, recent), username="rex.r", password=GOOD_PASSWORD
    )
    unknown = 987654

    batch = [
        ready,
        deceased,
        inactive,
        placeholder,
        no_email,
        access_off,
        queued,
        live,
        recent,
        blue,
        unknown,
    ]
    monkeypatch.setattr(bulk_invitations, "PREVIEW_CHUNK", 4)  # the preview reads in chunks: cross them
    preview = clinic.staff.send_invitations(batch, actor="manager", dry_run=True)
    report = clinic.staff.send_invitations(batch, actor="manager")

    assert (preview.queued, preview.skipped) == (report.queued, report.skipped)  # the preview told the truth

    assert report.queued == [ready]
    assert not report.cancelled and not report.dry_run
    why = dict(report.skipped)
    assert list(why) == [
        deceased,
        inactive,
        placeholder,
        no_email,
        access_off,
        queued,
        live,
        recent,
        blue,
        unknown,
    ]
    assert "deceased" in why[deceased]
    assert "inactive" in why[inactive]
    assert "placeholder" in why[placeholder]
    assert "no email on file" in why[no_email]
    assert why[access_off].startswith("Turn on portal access for Ola Off")
    assert "invitation waiting to be sent" in why[queued]
    assert "link that works until" in why[live]
    assert "was invited on" in why[recent] and "less than 7 days ago" in why[recent]
    assert "already uses the portal" in why[blue]
    assert f"No patient with id {unknown}" in why[unknown]
    assert invitations_to(clinic, ready) == 1
    assert invitations_to(clinic, queued) == 1  # not a second one


def _mark_sent(clinic: Clinic, patient_id: int) -> None:
    from sqlalchemy import update

    with clinic.transaction() as session:
        session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.patient_id == patient_id, OutboxEmail.status == "queued")
            .values(status="sent", sent_at=clinic.now())
        )


def newest_token_of_sent(clinic: Clinic, patient_id: int) -> str:
    # The stored copy of a sent email keeps no token; the test marked it sent by hand, so it still has it.
    with clinic.reading() as session:
        link = session.scalar(
            select(OutboxEmail.link)
            .where(OutboxEmail.patient_id == patient_id)
            .order_by(OutboxEmail.id.desc())
        )
    assert link and "?token=" in link
    return link.rsplit("?token=", 1)[1]


def test_skip_window_follows_the_clinic_setting(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_ready_patient(clinic)
    clinic.staff.send_invitation(pid, actor=STAFF)
    _mark_sent(clinic, pid)
    clock.advance(days=8)  # the 7-day link expired unused, and 7 days passed
    clinic.update_settings(actor="admin", bulk_invite_skip_days=10)
    [(_, why)] = clinic.staff.send_invitations([pid], actor="manager", dry_run=True).skipped
    assert "less than 10 days ago" in why
    clinic.update_settings(actor="admin", bulk_invite_skip_days=7)
    assert clinic.staff.send_invitations([pid], actor="manager").queued == [pid]


def test_dry_run_writes_nothing_and_says_what_would_happen(clinic: Clinic) -> None:
    ready = [add_ready_patient(clinic, "Ana", f"Lopez{letter}") for letter in "abc"]
    off = add_ready_patient(clinic, "Ola", "Off", email=None)
    before = rows(clinic)
    seen: list[tuple[int, int]] = []

    report = clinic.staff.send_invitations(
        [*ready, off], actor="manager", dry_run=True, progress=lambda done, total: seen.append((done, total))
    )

    assert report.dry_run and report.queued == ready and [pid for pid, _ in report.skipped] == [off]
    assert rows(clinic) == before
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_running_the_same_batch_again_invites_nobody_twice(clinic: Clinic) -> None:
    ids = [add_ready_patient(clinic, "Ana", f"Lopez{letter}") for letter in "abcd"]
    first = clinic.staff.send_invitations(ids, actor="manager")
    emails_after_first = rows(clinic)[0]
    again = clinic.staff.send_invitations(ids + ids, actor="manager")  # duplicates count once

    assert first.queued == ids
    assert again.queued == [] and [pid for pid, _ in again.skipped] == ids
    assert rows(clinic)[0] == emails_after_first
    assert all(invitations_to(clinic, pid) == 1 for pid in ids)


def test_cancel_mid_way_leaves_report_and_database_agreeing(clinic: Clinic) -> None:
    ids = [add_ready_patient(clinic, "Ana", f"Lopez{letter}") for letter in "abcdef"]

    report = clinic.staff.send_invitations(ids, actor="manager", progress=lambda done, total: done < 3)

    assert report.cancelled and report.queued == ids[:3] and not report.skipped
    invited = {pid for pid in ids if invitations_to(clinic, pid) == 1}
    assert invited == set(ids[:3])
    for pid in ids[:3]:  # each invited patient has its email, its link and its audit entry
        assert clinic.audit(patient_id=pid, action="send_invitation")
        assert newest_token(clinic, pid)
    assert all(not clinic.audit(patient_id=pid, action="send_invitation") for pid in ids[3:])
    [batch] = clinic.audit(action="send_invitations")
    assert batch.after["queued_ids"] == ids[:3] and batch.after["cancelled"] is True


def test_one_audit_entry_per_patient_and_one_for_the_batch(clinic: Clinic) -> None:
    ready = add_ready_patient(clinic, "Ana", "Lopez")
    off = add_ready_patient(clinic, "Ola", "Off", email=None)

    clinic.staff.send_invitations([ready, off], actor="manager")

    [entry] = clinic.audit(patient_id=ready, action="send_invitation")
    assert entry.actor == "manager" and entry.after["batch"] is True
    assert not clinic.audit(patient_id=off, action="send_invitation")
    [batch] = clinic.audit(action="send_invitations")
    assert batch.patient_id is None
    assert batch.after == {
        "requested": 2,
        "queued": 1,
        "skipped": 1,
        "cancelled": False,
        "queued_ids": [ready],
        "skipped_ids": [off],
    }


def test_a_repeated_request_id_does_nothing_twice(clinic: Clinic) -> None:
    ids = [add_ready_patient(clinic, "Ana", f"Lopez{letter}") for letter in "ab"]
    first = clinic.staff.send_invitations(ids, actor="manager", request_id="batch-7")
    more = add_ready_patient(clinic, "Ana", "Lopezc")
    repeat = clinic.staff.send_invitations([*ids, more], actor="manager", request_id="batch-7")

    assert repeat == first
    assert invitations_to(clinic, more) == 0
    assert len(clinic.audit(action="send_invitations")) == 1


def test_front_desk_is_refused_and_nothing_is_written(clinic: Clinic) -> None:
    team = add_team(clinic)
    pid = add_ready_patient(clinic, actor=team.front_desk)
    before = table_prints(clinic)

    with pytest.raises(NotAllowed, match="manager or an administrator"):
        clinic.staff.send_invitations([pid], actor=team.front_desk)

    assert table_prints(clinic) == before
    assert clinic.staff.send_invitations([pid], actor=team.manager).queued == [pid]
    assert clinic.staff.send_invitations([], actor=team.admin).queued == []


def test_ids_must_be_whole_numbers(clinic: Clinic) -> None:
    with pytest.raises(ValidationError, match="whole numbers"):
        clinic.staff.send_invitations(["12"], actor="manager")  # type: ignore[list-item]
