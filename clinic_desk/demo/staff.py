"""The demo clinic's staff: one member of each role, with fixed passwords README can print.

The showcase's history names them (``people.FRONT_DESK`` and ``people.MANAGER`` are
their usernames), so the audit log of the demo reads like a real clinic's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from clinic_desk.demo.people import ADMIN, FRONT_DESK, MANAGER
from clinic_desk.domain import roles
from clinic_desk.services.clinic import Clinic


@dataclass(frozen=True)
class DemoMember:
    """A demo staff account: who they are and the password they sign in with."""

    username: str
    full_name: str
    role: str
    password: str


# The administrator comes first: a clinic's first staff account must be one.
DEMO_STAFF: Final = (
    DemoMember(ADMIN, "Jordan Price", roles.ADMIN, "Riverside-Admin-2026"),
    DemoMember(MANAGER, "Marcus Lee", roles.MANAGER, "Riverside-Manager-2026"),
    DemoMember(FRONT_DESK, "Dana Whitfield", roles.FRONT_DESK, "Riverside-Desk-2026"),
)


def add_demo_staff(clinic: Clinic, *, actor: str) -> tuple[DemoMember, ...]:
    """Create the demo staff accounts that are missing; returns every demo member.

    In a clinic with no staff yet, ``actor`` (any plain name) sets up the demo's
    administrator, who then adds the others; otherwise ``actor`` must be an active
    administrator. The passwords are the demo's own, so nobody is asked to change them.
    """
    existing = {member.username.lower() for member in clinic.admin.list_staff()}
    by = actor
    for member in DEMO_STAFF:
        if member.username.lower() not in existing:
            clinic.admin.add_staff(
                username=member.username,
                full_name=member.full_name,
                role=member.role,
                password=member.password,
                actor=by,
                must_change_password=False,
            )
        if not existing and member.role == roles.ADMIN:
            by = member.username  # the demo's administrator adds the rest of the team
        existing.add(member.username.lower())
    return DEMO_STAFF


def is_demo_clinic(clinic: Clinic) -> bool:
    """True for a clinic the demo was already built in: it has patients and every demo staff account."""
    if not sum(clinic.count_by_color().values()):
        return False
    usernames = {member.username.lower() for member in clinic.admin.list_staff()}
    return all(member.username.lower() in usernames for member in DEMO_STAFF)
