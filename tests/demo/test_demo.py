"""The demo seed on SQLite and PostgreSQL: real charts, SQL colours that match the Python rules."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from clinic_desk import Clinic, ValidationError
from clinic_desk.db import status_sql
from clinic_desk.db.models import AuditEntry, Patient, PortalAccount
from clinic_desk.db.models import Counter as MrnCounter
from clinic_desk.demo import DEMO_PASSWORD, seed_demo
from clinic_desk.domain.search_keys import name_key
from clinic_desk.domain.validation import (
    clean_email,
    clean_name,
    clean_phone,
    clean_state,
    clean_zip,
    phone_digits,
)
from tests.e2e.showcase import EXPECTED

PATIENTS = 300


@pytest.fixture
def seeded(clinic: Clinic) -> dict[str, int]:
    """The demo clinic with 300 patients, on the test's clock."""
    return seed_demo(clinic, PATIENTS)


def _all_ids(clinic: Clinic) -> list[int]:
    with clinic.reading() as session:
        return list(session.scalars(select(Patient.id).order_by(Patient.id)))


def test_colours_in_sql_match_the_python_evaluation_of_every_patient(
    clinic: Clinic, seeded: dict[str, int]
) -> None:
    ids = _all_ids(clinic)
    assert len(ids) == PATIENTS
    in_python = {pid: clinic.status(pid).color for pid in ids}
    with clinic.reading() as session:
        in_sql = status_sql.color_of_patients(session, ids)
    assert in_sql == in_python
    counts = Counter(in_python.values())
    assert clinic.count_by_color() == {color: counts[color] for color in ("red", "gold", "blue")}
    # A realistic mix: mostly blue and gold, some red.
    assert counts["blue"] == max(counts.values())
    assert min(counts.values()) > PATIENTS * 0.1


def test_showcase_states_hold_on_the_test_clock(clinic: Clinic, seeded: dict[str, int]) -> None:
    assert set(seeded) == set(EXPECTED)
    for key, (color, reasons, troubles) in EXPECTED.items():
        status = clinic.status(seeded[key])
        assert (status.color, status.reason_codes, status.trouble_codes) == (color, reasons, troubles), key


def test_bulk_charts_look_typed_in_through_the_desk(clinic: Clinic, seeded: dict[str, int]) -> None:
    showcase = set(seeded.values())
    with clinic.reading() as session:
        patients = [p for p in session.scalars(select(Patient)) if p.id not in showcase]
        accounts = {a.patient_id: a for a in session.scalars(select(PortalAccount))}
    assert len(patients) == PATIENTS - len(showcase)
    for patient in patients:
        # The same cleaning and search keys as add_patient.
        assert clean_name(patient.first_name, "First name") == patient.first_name
        assert clean_name(patient.last_name, "Last name") == patient.last_name
        assert clean_email(patient.email) == patient.email
        assert clean_zip(patient.zip_code) == patient.zip_code
        assert clean_phone(patient.phone) == patient.phone
        assert clean_state(patient.state) == patient.state
        assert patient.first_key == name_key(patient.first_name)
        assert patient.last_key == name_key(patient.last_name)
        assert patient.email_key == (patient.email.lower() if patient.email else None)
        assert patient.phone_digits == (phone_digits(patient.phone) or None)
        account = accounts[patient.id]
        assert account.access_enabled == (account.access_off_reason is None)
        if account.access_enabled:
            assert patient.email and patient.zip_code and patient.status in ("active", "prospective")
        if account.username:
            assert account.username_key == account.username.lower()
    usernames = [a.username_key for a in accounts.values() if a.username_key]
    assert len(usernames) == len(set(usernames))


def test_mrns_ids_and_the_audit_entry_follow_the_bulk_load(clinic: Clinic, seeded: dict[str, int]) -> None:
    with clinic.reading() as session:
        mrns = sorted(int(m) for m in session.scalars(select(Patient.mrn)))
        counter = session.scalar(select(MrnCounter.value).where(MrnCounter.name == "mrn"))
        loads = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "bulk_load")))
        max_id = session.scalar(select(func.max(Patient.id)))
    assert mrns == list(range(100_001, 100_001 + PATIENTS))
    assert counter == mrns[-1]
    assert len(loads) == 1
    assert loads[0].patient_id is None
    assert f'"patients": {PATIENTS - len(seeded)}' in (loads[0].after or "")

    # The next chart added at the desk takes the next id and MRN (PostgreSQL: the sequence moved on).
    pid = clinic.staff.add_patient(
        first_name="Grace", last_name="Okafor", date_of_birth="2001-02-03", actor="test desk"
    )
    assert pid == (max_id or 0) + 1
    assert clinic.staff.chart(pid).mrn == str(100_001 + PATIENTS)


def test_bulk_patients_can_be_found_and_can_log_in(clinic: Clinic, seeded: dict[str, int]) -> None:
    assert [p.patient_id for p in clinic.staff.find_patients("nunez jose")] == [seeded["expired_invite"]]
    blue = [pid for pid in clinic.patients_with_color("blue", limit=PATIENTS) if pid not in seeded.values()]
    with clinic.reading() as session:
        account = session.get(PortalAccount, blue[0])
        patient = session.get(Patient, blue[0])
        assert account is not None and patient is not None
        username, phone = account.username, patient.phone
    assert username is not None
    assert clinic.portal.login(username, DEMO_PASSWORD)
    if phone:
        assert blue[0] in [p.patient_id for p in clinic.staff.find_patients(phone)]


def test_a_clinic_with_patients_is_refused_and_left_alone(clinic: Clinic) -> None:
    pid = clinic.staff.add_patient(
        first_name="Ada", last_name="Lovelace", date_of_birth="1990-12-10", actor="desk"
    )
    with pytest.raises(ValidationError, match="already has 1 patient"):
        seed_demo(clinic, 50)
    assert _all_ids(clinic) == [pid]
    with pytest.raises(ValidationError, match="Patients: choose a number"):
        seed_demo(clinic, -1)
