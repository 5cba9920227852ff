"""Two workstations run overlapping invitation batches at once: each patient is invited once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from clinic_desk import Clinic
from clinic_desk.db.models import OutboxEmail
from clinic_desk.domain.roster import InvitationReport
from tests.conftest import FakeClock
from tests.services.helpers import add_ready_patient


def test_overlapping_batches_from_two_desks_invite_each_patient_once(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as setup:
        ids = [
            add_ready_patient(setup, "Pat", f"Lee{chr(97 + n // 26)}{chr(97 + n % 26)}") for n in range(24)
        ]
    # Desk A goes forwards through the first 18, desk B backwards through the last 18: the
    # middle 12 are asked for by both, and the two meet in the middle at the same moment.
    batches = [ids[:18], list(reversed(ids[6:]))]
    desks = [Clinic.open(db_url, clock=clock, workstation=f"desk-{n}") for n in range(2)]
    reports: list[InvitationReport | None] = [None, None]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run(index: int) -> None:
        try:
            start.wait()
            reports[index] = desks[index].staff.send_invitations(batches[index], actor="manager")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    try:
        assert not errors, errors
        a, b = reports
        assert a is not None and b is not None
        assert not set(a.queued) & set(b.queued)
        assert set(a.queued) | set(b.queued) == set(ids)
        for report in (a, b):  # whoever lost a patient says why: the other desk's invitation
            assert all("invitation waiting to be sent" in why for _pid, why in report.skipped)
        with desks[0].reading() as session:
            per_patient = dict(
                session.execute(
                    select(OutboxEmail.patient_id, func.count()).group_by(OutboxEmail.patient_id)
                ).all()
            )
        assert per_patient == dict.fromkeys(ids, 1)
        assert len(desks[0].audit(action="send_invitation", limit=100)) == len(ids)
    finally:
        for desk in desks:
            desk.close()
