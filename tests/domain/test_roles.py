"""The permission table of DESIGN.md section 5, every role against every permission, spelled out."""

from __future__ import annotations

import pytest

from clinic_desk.domain import roles
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.roles import Permission, clean_role, may, refusal, role_label, roles_that_may, who_may

# DESIGN.md section 5, row by row: (front_desk, manager, admin). Written out again on purpose:
# a change to ROLE_PERMISSIONS must be a change to this table too.
DESIGN_TABLE: dict[Permission, tuple[bool, bool, bool]] = {
    # find, open, hover, read the wizard
    Permission.VIEW: (True, True, True),
    # add a patient (active or prospective), edit contact, photo, turn access on, invite/reset,
    # resend confirmation, activation letter, set credentials, unlock
    Permission.CHART_WORK: (True, True, True),
    # turn access off (with a reason); undo a colleague's switch-off (with a note)
    Permission.ACCESS_OFF: (True, True, True),
    # undo a switch-off for preventing_harm or security; set patient status
    Permission.UNDO_PROTECTED_SWITCH_OFF: (False, True, True),
    Permission.SET_PATIENT_STATUS: (False, True, True),
    # bulk invitations, import patients, the clinic-wide audit log
    Permission.BULK_INVITATIONS: (False, True, True),
    Permission.IMPORT_PATIENTS: (False, True, True),
    Permission.CLINIC_AUDIT_LOG: (False, True, True),
    # staff accounts, clinic settings, email server
    Permission.STAFF_ACCOUNTS: (False, False, True),
    Permission.CLINIC_SETTINGS: (False, False, True),
}
CELLS = [
    (role, permission, allowed[index])
    for permission, allowed in DESIGN_TABLE.items()
    for index, role in enumerate(roles.ROLES)
]


def test_the_table_covers_every_permission_and_role() -> None:
    assert set(DESIGN_TABLE) == set(Permission)
    assert roles.ROLES == ("front_desk", "manager", "admin")
    assert set(roles.ROLE_PERMISSIONS) == set(roles.ROLES)
    assert set(roles.DOING) == set(Permission)


@pytest.mark.parametrize(("role", "permission", "allowed"), CELLS, ids=[f"{r}-{p}" for r, p, _ in CELLS])
def test_each_cell_of_the_table(role: str, permission: Permission, allowed: bool) -> None:
    assert may(role, permission) is allowed
    assert (permission in roles.ROLE_PERMISSIONS[role]) is allowed


def test_roles_are_nested_front_desk_within_manager_within_admin() -> None:
    front, manager, admin = (roles.ROLE_PERMISSIONS[role] for role in roles.ROLES)
    assert front < manager < admin


@pytest.mark.parametrize("role", ["", "Admin ", "superuser", "portal", "ADMIN\x00"])
def test_an_unknown_role_may_nothing(role: str) -> None:
    assert not any(may(role, permission) for permission in Permission)


def test_who_may_names_the_roles_in_plain_words() -> None:
    assert who_may(Permission.VIEW) == "any staff member"
    assert who_may(Permission.CHART_WORK) == "any staff member"
    assert who_may(Permission.SET_PATIENT_STATUS) == "a manager or an administrator"
    assert who_may(Permission.CLINIC_AUDIT_LOG) == "a manager or an administrator"
    assert who_may(Permission.STAFF_ACCOUNTS) == "an administrator"
    assert roles_that_may(Permission.UNDO_PROTECTED_SWITCH_OFF) == ("manager", "admin")
    assert roles_that_may(Permission.CLINIC_SETTINGS) == ("admin",)


def test_refusals_say_what_and_who_may() -> None:
    assert refusal(Permission.SET_PATIENT_STATUS) == (
        "Only a manager or an administrator may change a patient's status."
    )
    assert refusal(Permission.STAFF_ACCOUNTS) == "Only an administrator may manage staff accounts."
    assert refusal(Permission.CLINIC_SETTINGS) == "Only an administrator may change the clinic's settings."
    assert refusal(Permission.UNDO_PROTECTED_SWITCH_OFF) == (
        "Only a manager or an administrator may undo a switch-off made to prevent harm or for security."
    )
    for permission in Permission:
        words = refusal(permission)
        assert words.startswith("Only ") and words.endswith(".")
        assert who_may(permission) in words and "_" not in words


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("front_desk", "front_desk"), ("Manager", "manager"), ("  ADMIN  ", "admin"), ("admin\n", "admin")],
)
def test_clean_role_accepts_any_case_and_spacing(typed: str, stored: str) -> None:
    assert clean_role(typed) == stored


@pytest.mark.parametrize("typed", ["", "front desk", "owner", "admins", None, 3, ["admin"], "ad\x00min"])
def test_clean_role_refuses_anything_else_naming_the_choices(typed: object) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_role(typed)
    assert refused.value.field == "role"
    assert "front_desk, manager, admin" in refused.value.message


def test_role_labels() -> None:
    assert [role_label(role) for role in roles.ROLES] == ["Front desk", "Manager", "Administrator"]
    assert role_label("unknown") == "unknown"


def test_each_roles_scope_is_made_from_the_permission_table() -> None:
    assert roles.role_scope(roles.FRONT_DESK) == (
        "change a patient's chart or portal account and turn portal access off"
    )
    manager = roles.role_scope(roles.MANAGER)
    assert manager.startswith("do what front-desk staff may do, and also ")
    for permission in roles.ROLE_PERMISSIONS[roles.MANAGER] - roles.ROLE_PERMISSIONS[roles.FRONT_DESK]:
        assert roles.DOING[permission] in manager
    assert roles.role_scope(roles.ADMIN) == (
        "do what a manager may do, and also manage staff accounts and change the clinic's settings"
    )
