"""The daily status record, the adoption figures, and the colour rank kept in step."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from sqlalchemy import insert, select

from clinic_desk import Clinic
from clinic_desk.db.models import Patient, PortalAccount, PortalStatusDay
from clinic_desk.demo.charts import random_charts
from clinic_desk.domain import codes
from clinic_desk.domain.roster import AdoptionMonth
from tests.conftest import FakeClock
from tests.services.helpers import GOOD_PASSWORD, STAFF, add_invited_patient, add_ready_patient, newest_token


def log_in(clinic: Clinic, pid: int, username: str) -> None:
    clinic.portal.accept_invitation(newest_token(clinic, pid), username=username, password=GOOD_PASSWORD)
    assert clinic.portal.login(username, GOOD_PASSWORD)


def test_the_colour_rank_follows_every_change(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as clinic:
        clinic.load_demo_charts(
            random_charts(30, seed=3, now=clock.now, placeholder_domain="noemail.invalid"),
            actor=STAFF,
            password=GOOD_PASSWORD,
        )
        pid = add_invited_patient(clinic, "Bea", "Blue")
        log_in(clinic, pid, "bea1")
        off = add_ready_patient(clinic, "Ola", "Off")
        clinic.staff.set_patient_status(off, "inactive", actor=STAFF, note="moved away")
        with clinic.reading() as session:
            ranks = {pid: rank for pid, rank in session.execute(select(Patient.id, Patient.color_rank))}
        assert {pid: codes.COLORS.index(clinic.status(pid).color) for pid in ranks} == ranks
        assert ranks[pid] == codes.COLORS.index("blue") and ranks[off] == codes.COLORS.index("red")


def test_a_login_records_the_first_login_once(clinic: Clinic, clock: FakeClock) -> None:
    pid = add_invited_patient(clinic)
    log_in(clinic, pid, "ana1")
    first = clock()
    clock.advance(days=3)
    assert clinic.portal.login("ana1", GOOD_PASSWORD)
    with clinic.reading() as session:
        assert session.scalar(select(PortalAccount.first_login_at)) == first


def test_the_daily_status_is_recorded_once_a_day(clinic: Clinic, clock: FakeClock) -> None:
    blue = add_invited_patient(clinic, "Bea", "Blue")
    log_in(clinic, blue, "bea1")
    add_ready_patient(clinic, "Gil", "Gold")
    dead = add_ready_patient(clinic, "Dee", "Deceased")
    clinic.staff.set_patient_status(dead, "deceased", actor=STAFF, note="checked")  # not active: not counted
    assert clinic.record_daily_status() is True
    add_ready_patient(clinic, "Gus", "Gold")
    assert clinic.record_daily_status() is False  # the same day: kept as first written
    clock.advance(days=1)
    assert clinic.record_daily_status() is True
    with clinic.reading() as session:
        rows = session.execute(
            select(PortalStatusDay.day, PortalStatusDay.color, PortalStatusDay.patients).order_by(
                PortalStatusDay.day, PortalStatusDay.color
            )
        ).all()
    today = clock().date()
    yesterday = today - timedelta(days=1)
    assert {(day, color): n for day, color, n in rows} == {
        (yesterday, "blue"): 1,
        (yesterday, "gold"): 1,
        (yesterday, "red"): 0,
        (today, "blue"): 1,
        (today, "gold"): 2,
        (today, "red"): 0,
    }


def test_two_desks_at_once_record_the_day_once(db_url: str, clock: FakeClock) -> None:
    with Clinic.open(db_url, clock=clock) as one, Clinic.open(db_url, clock=clock) as two:
        add_ready_patient(one)
        start = threading.Barrier(2)
        wrote: list[bool] = []

        def record(clinic: Clinic) -> None:
            start.wait()
            wrote.append(clinic.record_daily_status())

        threads = [threading.Thread(target=record, args=(clinic,)) for clinic in (one, two)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(wrote) == [False, True]
        with one.reading() as session:
            assert len(session.scalars(select(PortalStatusDay.day)).all()) == len(codes.COLORS)


def test_adoption_takes_each_months_last_day_and_the_median_first_login(
    db_url: str, clock: FakeClock
) -> None:
    with Clinic.open(db_url, clock=clock) as clinic:
        assert clinic.adoption().months == ()
        assert clinic.adoption().median_days_to_first_login is None
        made = [add_ready_patient(clinic, "Pat", f"Person{n}") for n in range(4)]
        for wait, pid in zip((2, 2, 6), made, strict=False):  # first logins 2, 4 and 10 days after creation
            clock.advance(days=wait)
            clinic.staff.send_invitation(pid, actor=STAFF)
            log_in(clinic, pid, f"user{pid}")
        with clinic.transaction() as session:  # days the record holds from January on
            session.execute(
                insert(PortalStatusDay),
                [
                    {"day": date(2026, 1, 5), "color": "gold", "patients": 9},
                    {"day": date(2026, 1, 20), "color": "gold", "patients": 7},
                    {"day": date(2026, 1, 20), "color": "blue", "patients": 2},
                ],
            )
        assert clinic.record_daily_status()
        this_month = clock().date().replace(day=1)
        adoption = clinic.adoption(months=120)
        assert adoption.median_days_to_first_login == 4.0  # the chart never logged in is not counted
        assert adoption.months == (
            AdoptionMonth(date(2026, 1, 1), red=0, gold=7, blue=2),  # the month's last recorded day
            AdoptionMonth(this_month, red=0, gold=1, blue=3),  # February has no record: absent
        )
        recent = clinic.adoption(months=1)
        assert recent.months == (AdoptionMonth(this_month, red=0, gold=1, blue=3),)
        assert recent.median_days_to_first_login == 4.0
