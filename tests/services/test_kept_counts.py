"""The kept counts equal a full recount and the Python rule after any sequence of service writes.

Hypothesis draws sequences of the desk's and the patients' writes (new charts, online
registrations and their confirmation, contact edits, access on and off, status
changes, invitations accepted, logins good and bad, credentials set by hand, unlocks,
a bulk load of demo charts, time passing) on SQLite, PostgreSQL and MariaDB. After
each sequence, the counts by colour, red reason and trouble spot equal those of
``clinic.status`` for every chart, and the colour counts equal the SQL recount.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from clinic_desk import Clinic, ClinicDeskError
from clinic_desk.db import status_counts, status_sql
from clinic_desk.db.models import Patient, StatusCountDelta
from clinic_desk.demo.charts import random_charts
from clinic_desk.domain import codes
from tests import databases
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, newest_token

EMAILS = (
    None,
    "",
    "ana@example.com",
    "ana@gmial.com",  # a typo of a common domain
    "none@none.com",  # a dummy address
    "x@noemail.invalid",  # the placeholder domain
    "bo@example.com",
)
ZIPS = (None, " ", "02139")
OFF_REASONS = codes.STAFF_OFF_REASONS


def patient_ids(clinic: Clinic) -> list[int]:
    with clinic.reading() as session:
        return list(session.scalars(select(Patient.id).order_by(Patient.id)))


def python_counts(clinic: Clinic) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Colour, red reason and trouble spot counts from the icon's own evaluation of each chart."""
    colors, reasons, troubles = Counter[str](), Counter[str](), Counter[str]()
    for pid in patient_ids(clinic):
        status = clinic.status(pid)
        colors[status.color] += 1
        reasons.update(code for code in status.reason_codes if code in codes.RED_REASONS)
        troubles.update(status.trouble_codes)
    return colors, reasons, troubles


def assert_counts_agree(clinic: Clinic) -> None:
    colors, reasons, troubles = python_counts(clinic)
    assert clinic.count_by_color() == {color: colors[color] for color in codes.COLORS}
    assert clinic.count_by_reason() == {code: reasons[code] for code in codes.RED_REASONS}
    assert clinic.count_by_trouble() == {code: troubles[code] for code in codes.TROUBLE_SPOTS}
    with clinic.reading() as session:
        assert status_sql.count_by_color(session) == clinic.count_by_color()
        # The roster's colour rank moves with the colour.
        ranks = dict(session.execute(select(Patient.id, Patient.color_rank)).all())
        # Nothing left unclassified: every write classified what it touched.
        unclassified = session.execute(status_counts._unclassified()).all()
    assert unclassified == []
    assert ranks == {pid: codes.COLORS.index(clinic.status(pid).color) for pid in ranks}


class Desk:
    """One step of the day, drawn by Hypothesis; bad input is refused and writes nothing."""

    def __init__(self, clinic: Clinic, clock: FakeClock) -> None:
        self.clinic = clinic
        self.clock = clock
        self.pids: list[int] = []
        self.made = 0

    def run(self, data: st.DataObject) -> None:
        step = data.draw(st.sampled_from(STEPS))
        # Refused: nothing was written, which the counts must show too.
        with contextlib.suppress(ClinicDeskError):
            step(self, data)

    def pid(self, data: st.DataObject) -> int:
        return data.draw(st.sampled_from(self.pids))

    def add(self, data: st.DataObject) -> None:
        self.made += 1
        self.pids.append(
            self.clinic.staff.add_patient(
                first_name="Ana",
                last_name=f"Lopez{self.made}",
                date_of_birth="1980-02-03",
                email=data.draw(st.sampled_from(EMAILS)) or None,
                zip_code=data.draw(st.sampled_from(ZIPS)),
                actor=STAFF,
            )
        )

    def register(self, data: st.DataObject) -> None:
        self.made += 1
        pid = self.clinic.portal.self_register(
            first_name="Maria",
            last_name=f"Garcia{self.made}",
            date_of_birth="1990-01-15",
            email=data.draw(st.sampled_from(("maria@example.com", "maria@gmial.com"))),
            zip_code="60614",
            username=f"maria{self.made}",
            password=GOOD_PASSWORD,
        )
        self.pids.append(pid)
        if data.draw(st.booleans()):
            self.clinic.portal.confirm_registration(newest_token(self.clinic, pid))

    def edit(self, data: st.DataObject) -> None:
        pid = self.pid(data)
        if data.draw(st.booleans()):
            self.clinic.staff.update_contact(pid, email=data.draw(st.sampled_from(EMAILS)), actor=STAFF)
        else:
            self.clinic.staff.update_contact(pid, zip_code=data.draw(st.sampled_from(ZIPS)), actor=STAFF)

    def access(self, data: st.DataObject) -> None:
        pid = self.pid(data)
        if data.draw(st.booleans()):
            self.clinic.staff.set_portal_access(pid, enabled=True, actor=STAFF, note="back on")
        else:
            reason = data.draw(st.sampled_from(OFF_REASONS))
            self.clinic.staff.set_portal_access(pid, enabled=False, actor=STAFF, reason=reason, note="why")

    def status(self, data: st.DataObject) -> None:
        status = data.draw(st.sampled_from(codes.PATIENT_STATUSES))
        self.clinic.staff.set_patient_status(self.pid(data), status, actor=STAFF, note="checked")

    def invite_and_log_in(self, data: st.DataObject) -> None:
        pid = self.pid(data)
        self.clinic.staff.send_invitation(pid, actor=STAFF)
        if data.draw(st.booleans()):
            username = f"user{pid}"
            self.clinic.portal.accept_invitation(
                newest_token(self.clinic, pid), username=username, password=GOOD_PASSWORD
            )
            self.clinic.portal.login(username, GOOD_PASSWORD)

    def wrong_logins(self, data: st.DataObject) -> None:
        pid = self.pid(data)
        username = f"desk{pid}"
        if data.draw(st.booleans()):
            self.clinic.staff.set_credentials(pid, username=username, password=GOOD_PASSWORD, actor=STAFF)
        for _ in range(data.draw(st.integers(1, 6))):
            self.clinic.portal.login(username, "not-the-password")
        self.clinic.portal.login(data.draw(st.sampled_from(EMAILS)) or "nobody", "not-the-password")

    def credentials(self, data: st.DataObject) -> None:
        pid = self.pid(data)
        self.clinic.staff.set_credentials(pid, username=f"desk{pid}", password=GOOD_PASSWORD, actor=STAFF)
        if data.draw(st.booleans()):
            self.clinic.portal.login(f"desk{pid}", GOOD_PASSWORD)

    def unlock(self, data: st.DataObject) -> None:
        self.clinic.staff.unlock_account(self.pid(data), actor=STAFF)

    def bulk(self, data: st.DataObject) -> None:
        seed = data.draw(st.integers(0, 1000))
        charts = random_charts(
            data.draw(st.integers(1, 30)), seed=seed, now=self.clock.now, placeholder_domain="noemail.invalid"
        )
        self.clinic.load_demo_charts(charts, actor=STAFF, password=GOOD_PASSWORD)
        self.pids = patient_ids(self.clinic)

    def placeholders(self, data: st.DataObject) -> None:
        # Which emails are placeholders decides some kept trouble spots: all are counted again.
        domain = data.draw(st.sampled_from(("noemail.invalid", "example.com")))
        self.clinic.update_settings(actor=STAFF, placeholder_domain=domain)

    def later(self, data: st.DataObject) -> None:
        self.clock.advance(days=data.draw(st.sampled_from((0.01, 1, 8))))


STEPS = (
    Desk.add,
    Desk.add,
    Desk.register,
    Desk.edit,
    Desk.access,
    Desk.status,
    Desk.invite_and_log_in,
    Desk.wrong_logins,
    Desk.credentials,
    Desk.unlock,
    Desk.bulk,
    Desk.placeholders,
    Desk.later,
)


@pytest.fixture
def fresh_clinic(
    db_url: str, sqlite_template: Path, tmp_path: Path
) -> Iterator[Callable[[], tuple[Clinic, FakeClock]]]:
    """Opens an empty clinic each time it is called (each Hypothesis example starts afresh)."""
    opened: list[Clinic] = []

    def fresh() -> tuple[Clinic, FakeClock]:
        for clinic in opened:
            clinic.close()
        if db_url.startswith("sqlite"):
            url = databases.copy_sqlite(sqlite_template, tmp_path / f"clinic{len(opened)}.db")
        elif db_url.startswith("postgresql"):
            databases.empty_postgres(url := db_url)
        else:
            databases.empty_mariadb(url := db_url)
        clock = FakeClock()
        opened.append(Clinic.open(url, clock=clock))
        return opened[-1], clock

    yield fresh
    for clinic in opened:
        clinic.close()


# No shrinking: each step writes to a real database, and a failing sequence of at most
# 15 steps reads well as drawn.
@settings(
    max_examples=10,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_kept_counts_equal_a_recount_after_any_writes(
    fresh_clinic: Callable[[], tuple[Clinic, FakeClock]], data: st.DataObject
) -> None:
    clinic, clock = fresh_clinic()
    desk = Desk(clinic, clock)
    desk.add(data)
    for _ in range(data.draw(st.integers(1, 14))):
        desk.run(data)
    assert_counts_agree(clinic)


def test_folding_the_deltas_keeps_the_counts(clinic: Clinic) -> None:
    """Many changes fold into one row per class now and then; the counts never move."""
    pid = clinic.staff.add_patient(
        first_name="Ana", last_name="Lopez", date_of_birth="1980-02-03", email="a@example.com", actor=STAFF
    )
    for turn in range(status_counts.FOLD_EVERY // 2 + 2):
        clinic.staff.update_contact(pid, zip_code="02139" if turn % 2 == 0 else None, actor=STAFF)
    with clinic.reading() as session:
        rows = session.scalar(select(func.count()).select_from(StatusCountDelta))
    assert rows is not None and rows < status_counts.FOLD_EVERY // 2  # it folded at least once
    assert_counts_agree(clinic)


def test_a_bulk_load_stores_the_class_a_recount_gives(clinic: Clinic) -> None:
    """Charts a bulk load classified in Python (twins among them and with an older chart)
    have exactly the class the SQL rule and the domain give them."""
    clinic.staff.add_patient(
        first_name="Old", last_name="Twin", date_of_birth="1970-01-01", email="twin@example.com", actor=STAFF
    )
    made = list(random_charts(300, seed=3, now=clinic.now(), placeholder_domain="noemail.invalid"))
    made[0] = made[0]._replace(email="Twin@Example.com")
    made[1] = made[1]._replace(email="pair@example.com")
    made[2] = made[2]._replace(email="PAIR@example.com", access_enabled=True, access_off_reason=None)
    clinic.load_demo_charts(made, actor=STAFF, password=GOOD_PASSWORD)
    placeholders = status_counts.Placeholders()
    with clinic.reading() as session:
        rows = session.execute(status_counts._class_rows()).all()
    assert len(rows) == 301
    for _pid, stored, sql_class, email, username in rows:
        assert stored == status_counts.full_class(int(sql_class), email, username, placeholders)
    twins = [
        row for row in rows if row.email and row.email.lower() in ("twin@example.com", "pair@example.com")
    ]
    assert len(twins) == 4
    assert all(row.status_class & status_sql.HAS_TWIN_BIT for row in twins)
    assert_counts_agree(clinic)
