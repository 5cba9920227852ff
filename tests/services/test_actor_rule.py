"""The actor rule (DESIGN.md section 5): free text until the clinic has staff, then staff only."""

from __future__ import annotations

import pytest

from clinic_desk import Clinic, NotAllowed, ValidationError
from clinic_desk.domain.roles import Permission, refusal
from clinic_desk.domain.text_rules import PATIENT_ACTOR
from clinic_desk.services.permissions import TURNED_OFF
from tests.services.helpers import GOOD_PASSWORD, add_ready_patient, newest_token, register_online
from tests.services.staff_helpers import STAFF_PASSWORD, add_team, table_prints


def test_with_no_staff_any_plain_actor_may_do_anything(clinic: Clinic) -> None:
    assert not clinic.admin.has_staff()
    pid = add_ready_patient(clinic, actor="Dr. Who (locum)")
    clinic.staff.set_patient_status(pid, "inactive", actor="someone at the desk")
    clinic.update_settings(actor="it person", clinic_name="Harbor Clinic")
    assert [entry.actor for entry in clinic.audit()] == [
        "it person",
        "someone at the desk",
        "Dr. Who (locum)",
    ]


@pytest.mark.parametrize("actor", ["", "   ", "a\x00b", "\u202eevil", "x" * 65, "portal", PATIENT_ACTOR])
def test_an_actor_that_is_not_plain_text_is_refused_with_or_without_staff(clinic: Clinic, actor: str) -> None:
    with pytest.raises(ValidationError) as refused:
        add_ready_patient(clinic, actor=actor)
    assert refused.value.field == "actor"
    team = add_team(clinic)
    pid = add_ready_patient(clinic, actor=team.front_desk)
    before = table_prints(clinic)
    with pytest.raises(ValidationError):
        clinic.staff.update_contact(pid, phone="(617) 555-0100", actor=actor)
    assert table_prints(clinic) == before


def test_once_staff_exist_an_unknown_actor_is_refused_and_nothing_written(clinic: Clinic) -> None:
    team = add_team(clinic)
    pid = add_ready_patient(clinic, actor=team.front_desk)
    before = table_prints(clinic)
    for actor in ("frontdesk", "Fred", "fred.desk2", "bea"):
        with pytest.raises(NotAllowed) as refused:
            clinic.staff.update_contact(pid, phone="(617) 555-0100", actor=actor)
        assert refused.value.message == (
            f"'{actor}' is not a staff member of this clinic: sign in with your own username."
        )
    assert table_prints(clinic) == before


def test_a_disabled_member_is_refused_whatever_their_role(clinic: Clinic) -> None:
    team = add_team(clinic)
    pid = add_ready_patient(clinic, actor=team.manager)
    clinic.admin.disable_staff(team.manager, actor=team.admin)
    before = table_prints(clinic)
    for attempt in (
        lambda: clinic.staff.update_contact(pid, phone="(617) 555-0100", actor=team.manager),
        lambda: clinic.staff.set_patient_status(pid, "inactive", actor=team.manager),
        lambda: clinic.admin.check_may(team.manager, Permission.VIEW),
        lambda: clinic.audit(viewer=team.manager),
    ):
        with pytest.raises(NotAllowed) as refused:
            attempt()
        assert refused.value.message == TURNED_OFF
    assert table_prints(clinic) == before
    clinic.admin.enable_staff(team.manager, actor=team.admin)
    clinic.staff.set_patient_status(pid, "inactive", actor=team.manager)


def test_a_role_without_the_permission_is_told_who_may(clinic: Clinic) -> None:
    team = add_team(clinic)
    pid = add_ready_patient(clinic, actor=team.front_desk)
    with pytest.raises(NotAllowed) as refused:
        clinic.staff.set_patient_status(pid, "deceased", actor=team.front_desk)
    assert refused.value.message == "Only a manager or an administrator may change a patient's status."


def test_the_actor_is_matched_in_any_case_and_recorded_as_the_username(clinic: Clinic) -> None:
    team = add_team(clinic)
    pid = add_ready_patient(clinic, actor="FRED.Desk")
    clinic.staff.update_contact(pid, phone="(617) 555-0100", actor="  Fred.DESK  ")
    clinic.staff.set_patient_status(pid, "inactive", actor=team.manager.upper())
    clinic.admin.set_staff_role(team.colleague, "manager", actor="Bea.Admin")
    entries = clinic.audit()
    assert [entry.actor for entry in entries[:4]] == [
        team.admin,
        team.manager,
        team.front_desk,
        team.front_desk,
    ]


def test_patient_side_calls_are_never_checked_against_staff(clinic: Clinic) -> None:
    team = add_team(clinic)
    clinic.admin.disable_staff(team.front_desk, actor=team.admin)
    pid = register_online(clinic)
    clinic.portal.confirm_registration(newest_token(clinic, pid))
    assert clinic.portal.login("mariag", GOOD_PASSWORD)
    clinic.portal.change_password("mariag", GOOD_PASSWORD, "green-valley-77")
    portal_entries = clinic.audit(patient_id=pid)
    assert portal_entries and {entry.actor for entry in portal_entries} == {PATIENT_ACTOR}
    # A staff member with the portal's name cannot exist: the name is reserved.
    for reserved in ("portal", "Portal"):
        with pytest.raises(ValidationError) as refused:
            clinic.admin.add_staff(
                username=reserved, full_name="Portal", role="admin", password=STAFF_PASSWORD, actor=team.admin
            )
        assert refused.value.field == "username"


def test_the_first_account_may_be_made_by_any_plain_actor_and_then_the_rule_holds(clinic: Clinic) -> None:
    first = clinic.admin.add_staff(
        username="bea.admin", full_name="Bea Oswald", role="admin", password=STAFF_PASSWORD, actor="installer"
    )
    assert first.username == "bea.admin" and not first.must_change_password
    [entry] = clinic.audit()
    assert (entry.actor, entry.action) == ("bea.admin", "staff_added")
    assert entry.note == "First administrator, set up by installer."
    with pytest.raises(NotAllowed) as refused:
        clinic.admin.add_staff(
            username="fred.desk",
            full_name="Fred",
            role="front_desk",
            password=STAFF_PASSWORD,
            actor="installer",
        )
    assert "not a staff member" in refused.value.message
    assert refusal(Permission.STAFF_ACCOUNTS) == "Only an administrator may manage staff accounts."
