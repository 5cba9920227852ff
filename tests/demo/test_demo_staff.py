"""The demo's staff accounts on SQLite, PostgreSQL and MariaDB: one of each role, added once."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_desk import Clinic, NotAllowed
from clinic_desk.demo import DEMO_STAFF, add_demo_staff, is_demo_clinic, seed_demo
from clinic_desk.demo.people import FRONT_DESK, MANAGER, STAFF


def test_one_of_each_role_signs_in_with_the_demo_password(clinic: Clinic) -> None:
    assert sorted(member.role for member in DEMO_STAFF) == ["admin", "front_desk", "manager"]
    assert add_demo_staff(clinic, actor="installer") == DEMO_STAFF
    for member in DEMO_STAFF:
        signed_in = clinic.admin.sign_in(member.username, member.password)
        assert (signed_in.full_name, signed_in.role) == (member.full_name, member.role)
        assert not signed_in.must_change_password
    added = {record.after["username"]: record for record in clinic.audit(action="staff_added")}
    admin = next(member.username for member in DEMO_STAFF if member.role == "admin")
    assert added[admin].note == "First administrator, set up by installer."
    assert {record.actor for record in added.values()} == {admin}


def test_adding_them_again_adds_nobody(clinic: Clinic) -> None:
    add_demo_staff(clinic, actor="installer")
    add_demo_staff(clinic, actor="installer")
    assert len(clinic.admin.list_staff()) == len(DEMO_STAFF)
    assert len(clinic.audit(action="staff_added")) == len(DEMO_STAFF)


def test_a_clinic_with_staff_takes_one_of_its_administrators(clinic: Clinic) -> None:
    clinic.admin.add_staff(
        username="ops-admin", full_name="Ops Admin", role="admin", password="Long-Enough-Pass-1", actor="x"
    )
    with pytest.raises(NotAllowed):
        add_demo_staff(clinic, actor="installer")
    add_demo_staff(clinic, actor="ops-admin")
    assert len(clinic.admin.list_staff()) == len(DEMO_STAFF) + 1


def test_the_showcase_work_is_done_by_demo_staff() -> None:
    usernames = {member.username for member in DEMO_STAFF}
    assert {FRONT_DESK, MANAGER} | set(STAFF) <= usernames


def test_a_demo_clinic_is_known_by_its_patients_and_its_staff(clinic: Clinic) -> None:
    assert not is_demo_clinic(clinic)
    add_demo_staff(clinic, actor="installer")
    assert not is_demo_clinic(clinic)  # no patients yet
    seed_demo(clinic, 30)
    assert is_demo_clinic(clinic)


def test_readme_gives_the_demo_credentials_that_work() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for member in DEMO_STAFF:
        assert f"| `{member.username}` | `{member.password}` | {member.full_name}, " in readme
