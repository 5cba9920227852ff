"""The colour and red reasons computed in SQL agree with the Python rule, for EVERY input combination.

The rule's inputs are few: the patient's status (4), the access switch with its
stored reason (4 states the schema allows), the email and ZIP code (missing,
empty, spaces, on file) and whether the patient ever logged in (4 ways of
storing it). All 1,024 combinations are written as charts, on every database,
and SQL is compared with the domain rule and with ``clinic.status``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select

from clinic_desk import Clinic
from clinic_desk.db import status_counts, status_sql
from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.domain import codes
from clinic_desk.domain.access import color_from, has_logged_in, red_reason_codes
from tests.services.helpers import STAFF

SWITCHES: tuple[tuple[bool, str | None], ...] = ((True, None), *((False, r) for r in codes.OFF_REASONS))
BLANKISH = (None, "", "   ")
EMAILS = (*BLANKISH, "a@example.com")
ZIPS = (*BLANKISH, "02139")
LOGINS = (
    (None, 0),
    (None, 3),
    (datetime(2026, 1, 5, 9, 30, tzinfo=UTC), 0),
    (datetime(2026, 1, 5, tzinfo=UTC), 2),
)


@dataclass(frozen=True)
class Inputs:
    patient_status: str
    access_enabled: bool
    access_off_reason: str | None
    email: str | None
    zip_code: str | None
    last_login_at: datetime | None
    login_count: int


def every_combination() -> list[Inputs]:
    return [
        Inputs(status, enabled, reason, email, zip_code, last_login, count)
        for status, (enabled, reason), email, zip_code, (last_login, count) in itertools.product(
            codes.PATIENT_STATUSES, SWITCHES, EMAILS, ZIPS, LOGINS
        )
    ]


def write_charts(clinic: Clinic, combos: list[Inputs]) -> dict[int, Inputs]:
    """One chart per combination, copied from a chart the desk made (bulk, in one transaction)."""
    model = clinic.staff.add_patient(
        first_name="Rule", last_name="Model", date_of_birth="1970-01-01", actor=STAFF
    )
    with clinic.transaction() as session:
        patient = session.execute(select(Patient.__table__).where(Patient.id == model)).mappings().one()
        account = (
            session.execute(select(PortalAccount.__table__).where(PortalAccount.patient_id == model))
            .mappings()
            .one()
        )
        first = model + 1
        patients, accounts = [], []
        for offset, combo in enumerate(combos):
            pid = first + offset
            patients.append(
                {
                    **patient,
                    "id": pid,
                    "mrn": f"R{pid}",
                    "status": combo.patient_status,
                    "email": combo.email,
                    "zip_code": combo.zip_code,
                }
            )
            accounts.append(
                {
                    **account,
                    "patient_id": pid,
                    "access_enabled": combo.access_enabled,
                    "access_off_reason": combo.access_off_reason,
                    "last_login_at": combo.last_login_at,
                    "login_count": combo.login_count,
                    "status_class": None,  # written around the services, as a bulk load does
                }
            )
        session.execute(insert(Patient.__table__), patients)
        session.execute(insert(PortalAccount.__table__), accounts)
    return {first + offset: combo for offset, combo in enumerate(combos)}


def test_sql_colour_and_red_reasons_match_the_rule_for_every_combination(clinic: Clinic) -> None:
    charts = write_charts(clinic, every_combination())
    assert len(charts) == 1024
    pids = list(charts)

    expected_reasons = {pid: red_reason_codes(combo) for pid, combo in charts.items()}
    expected_colors = {
        pid: color_from(expected_reasons[pid], has_logged_in(combo.last_login_at, combo.login_count))
        for pid, combo in charts.items()
    }
    with clinic.reading() as session:
        sql_reasons = status_sql.red_reasons_of_patients(session, pids)
        sql_colors = status_sql.color_of_patients(session, pids)
    assert sql_reasons == expected_reasons
    assert sql_colors == expected_colors

    # Every colour and every red reason is reached, so none of the comparisons above is vacuous.
    assert set(expected_colors.values()) == set(codes.COLORS)
    assert {code for found in expected_reasons.values() for code in found} == set(codes.RED_REASONS)

    model = clinic.status(min(pids) - 1)
    wanted = {
        color: sum(1 for value in expected_colors.values() if value == color) + (model.color == color)
        for color in codes.COLORS
    }
    wanted_reasons = {
        code: sum(code in found for found in expected_reasons.values()) + (code in model.reason_codes)
        for code in codes.RED_REASONS
    }
    # Written around the services, as a bulk load does: classified as a bulk load is.
    with clinic.transaction() as session:
        assert status_counts.classify_unclassified(session.connection(), status_counts.Placeholders()) == len(
            charts
        )
    assert clinic.count_by_color() == wanted
    assert clinic.count_by_reason() == wanted_reasons
    with clinic.reading() as session:
        assert status_sql.count_by_color(session) == wanted


def test_the_python_class_equals_the_sql_class_for_every_combination(clinic: Clinic) -> None:
    """A bulk load classifies its rows in Python (status_sql.class_of): the same bits as SQL."""
    charts = write_charts(clinic, every_combination())
    bits = (1 << status_sql.SQL_CLASS_BITS) - 1
    with clinic.reading() as session:
        rows = session.execute(
            select(PortalAccount.patient_id, status_sql.class_expression(), PortalAccount.failed_logins)
            .join(Patient, Patient.id == PortalAccount.patient_id)
            .where(PortalAccount.patient_id.in_(list(charts)))
        ).all()
    assert len(rows) == len(charts)
    seen = set()
    for pid, sql_class, failed in rows:
        combo = charts[pid]
        python_class = status_sql.class_of(
            combo.patient_status,
            combo.access_enabled,
            combo.access_off_reason,
            combo.email,
            combo.zip_code,
            logged_in=has_logged_in(combo.last_login_at, combo.login_count),
            has_link=bool(sql_class & status_sql.HAS_LINK_BIT),
            has_twin=bool(sql_class & status_sql.HAS_TWIN_BIT),
            failed_logins=failed,
        )
        assert python_class == int(sql_class) & bits, combo
        seen.add(python_class)
    assert len(seen) > 50  # many different classes were compared, not one


def test_the_icon_follows_the_same_rule(clinic: Clinic) -> None:
    """clinic.status (the icon's evaluation, from the stored facts) gives the rule's answer."""
    combos = [c for c in every_combination() if c.last_login_at is None or c.login_count == 0]
    charts = write_charts(clinic, combos[::3])
    for pid, combo in charts.items():
        status = clinic.status(pid)
        red = tuple(code for code in status.reason_codes if code in codes.RED_REASONS)
        assert red == red_reason_codes(combo), combo
        assert status.color == color_from(red, has_logged_in(combo.last_login_at, combo.login_count)), combo
