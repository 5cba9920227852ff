"""Staff roles and what each may do: the one permission table (DESIGN.md section 5).

The services check it where each action happens; the window only mirrors it (disables
what the signed-in role may not do, with a tooltip naming who may).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.wording import join_words

FRONT_DESK: Final = "front_desk"
MANAGER: Final = "manager"
ADMIN: Final = "admin"
ROLES: Final = (FRONT_DESK, MANAGER, ADMIN)

ROLE_LABELS: Final = {FRONT_DESK: "Front desk", MANAGER: "Manager", ADMIN: "Administrator"}
_IN_A_SENTENCE: Final = {FRONT_DESK: "front-desk staff", MANAGER: "a manager", ADMIN: "an administrator"}


class Permission(StrEnum):
    """One row of DESIGN.md section 5's table (some rows split where the services ask separately)."""

    # find, open, hover, read the wizard
    VIEW = "view"
    # add a patient (active or prospective), edit contact, photo, turn access on,
    # invite/reset, resend confirmation, activation letter, set credentials, unlock
    CHART_WORK = "chart_work"
    # turn access off (with a reason); undo a colleague's switch-off (with a note)
    ACCESS_OFF = "access_off"
    # undo a switch-off made for preventing_harm or security
    UNDO_PROTECTED_SWITCH_OFF = "undo_protected_switch_off"
    # set a patient's status (and add a chart that is inactive or deceased)
    SET_PATIENT_STATUS = "set_patient_status"
    BULK_INVITATIONS = "bulk_invitations"
    IMPORT_PATIENTS = "import_patients"
    CLINIC_AUDIT_LOG = "clinic_audit_log"
    STAFF_ACCOUNTS = "staff_accounts"
    # clinic settings and the email server
    CLINIC_SETTINGS = "clinic_settings"


_EVERYONE: Final = frozenset({Permission.VIEW, Permission.CHART_WORK, Permission.ACCESS_OFF})
_MANAGERS: Final = _EVERYONE | {
    Permission.UNDO_PROTECTED_SWITCH_OFF,
    Permission.SET_PATIENT_STATUS,
    Permission.BULK_INVITATIONS,
    Permission.IMPORT_PATIENTS,
    Permission.CLINIC_AUDIT_LOG,
}
ROLE_PERMISSIONS: Final[dict[str, frozenset[Permission]]] = {
    FRONT_DESK: _EVERYONE,
    MANAGER: _MANAGERS,
    ADMIN: _MANAGERS | {Permission.STAFF_ACCOUNTS, Permission.CLINIC_SETTINGS},
}

# What each permission lets a person do, in the words a refusal uses.
DOING: Final[dict[Permission, str]] = {
    Permission.VIEW: "look up patients",
    Permission.CHART_WORK: "change a patient's chart or portal account",
    Permission.ACCESS_OFF: "turn portal access off",
    Permission.UNDO_PROTECTED_SWITCH_OFF: "undo a switch-off made to prevent harm or for security",
    Permission.SET_PATIENT_STATUS: "change a patient's status",
    Permission.BULK_INVITATIONS: "send invitations in bulk",
    Permission.IMPORT_PATIENTS: "import patients",
    Permission.CLINIC_AUDIT_LOG: "see the clinic-wide audit log",
    Permission.STAFF_ACCOUNTS: "manage staff accounts",
    Permission.CLINIC_SETTINGS: "change the clinic's settings",
}


def may(role: str, permission: Permission) -> bool:
    """True when staff with ``role`` may do what ``permission`` covers."""
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def roles_that_may(permission: Permission) -> tuple[str, ...]:
    """The roles allowed ``permission``, lowest first."""
    return tuple(role for role in ROLES if may(role, permission))


def who_may(permission: Permission) -> str:
    """'a manager or an administrator': who may do it, for a tooltip or a refusal."""
    allowed = roles_that_may(permission)
    if allowed == ROLES:
        return "any staff member"
    names = [_IN_A_SENTENCE[role] for role in allowed]
    if len(names) <= 1:
        return names[0] if names else "nobody"
    return ", ".join(names[:-1]) + " or " + names[-1]


def refusal(permission: Permission) -> str:
    """The sentence a refused action gets: what it was, and who may do it."""
    return f"Only {who_may(permission)} may {DOING[permission]}."


def clean_role(role: object) -> str:
    """The role as stored; raise ValidationError naming the choices otherwise."""
    if isinstance(role, str) and role.strip().lower() in ROLES:
        return role.strip().lower()
    choices = ", ".join(ROLES)
    raise ValidationError(f"Role: choose one of {choices}.", field="role")


def role_scope(role: str) -> str:
    """What staff with ``role`` may do, in words made from the permission table.

    The front desk's work in full; a higher role as the role below's work plus what it adds.
    """
    granted = ROLE_PERMISSIONS.get(role, frozenset())
    below = ROLES[ROLES.index(role) - 1] if role in ROLES and ROLES.index(role) > 0 else None
    base = ROLE_PERMISSIONS[below] if below else frozenset({Permission.VIEW})
    words = join_words([DOING[permission] for permission in Permission if permission in granted - base])
    return f"do what {_IN_A_SENTENCE[below]} may do, and also {words}" if below else words


def role_label(role: str) -> str:
    """'Front desk', 'Manager' or 'Administrator'."""
    return ROLE_LABELS.get(role, role)
