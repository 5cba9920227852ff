"""The colour computed in SQL agrees with the Python evaluation, on random states."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from clinic_desk import Clinic
from clinic_desk.db.models import Patient, PortalAccount
from clinic_desk.domain import codes
from tests.services.helpers import STAFF

state = st.fixed_dictionaries(
    {
        "status": st.sampled_from(codes.PATIENT_STATUSES),
        "access_enabled": st.booleans(),
        "off_reason": st.sampled_from(codes.OFF_REASONS),
        "email": st.sampled_from([None, "", " ", "a@example.com", "x@noemail.invalid", "b@gmial.com"]),
        "zip_code": st.sampled_from([None, "", "02139", "02139-1234"]),
        "last_login_at": st.sampled_from([None, datetime(2026, 1, 5, 9, 30, tzinfo=UTC)]),
        "login_count": st.sampled_from([0, 0, 1, 7]),
    }
)


def test_sql_colour_matches_python_on_random_states(clinic: Clinic) -> None:
    pids = [
        clinic.staff.add_patient(
            first_name="P", last_name=f"Test{i}", date_of_birth="1970-01-01", actor=STAFF
        )
        for i in range(12)
    ]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(state, min_size=len(pids), max_size=len(pids)))
    def check(states: list[dict[str, object]]) -> None:
        with clinic.transaction() as session:
            for pid, values in zip(pids, states, strict=True):
                session.execute(
                    update(Patient)
                    .where(Patient.id == pid)
                    .values(status=values["status"], email=values["email"], zip_code=values["zip_code"])
                )
                enabled = bool(values["access_enabled"])
                session.execute(
                    update(PortalAccount)
                    .where(PortalAccount.patient_id == pid)
                    .values(
                        access_enabled=enabled,
                        access_off_reason=None if enabled else values["off_reason"],
                        last_login_at=values["last_login_at"],
                        login_count=values["login_count"],
                    )
                )
        python = {pid: clinic.status(pid).color for pid in pids}
        counts = clinic.count_by_color()
        sql = {pid: color for color in codes.COLORS for pid in clinic.patients_with_color(color, 1000)}
        assert sql == python
        assert counts == {c: sum(1 for v in python.values() if v == c) for c in codes.COLORS}

    check()
