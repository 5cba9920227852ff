"""Staff accounts for tests: one member of each role, and a look at what a refused call left behind."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select

from clinic_desk import Clinic
from clinic_desk.db.models import Base

ADMIN = "bea.admin"
MANAGER = "mia.manager"
FRONT_DESK = "fred.desk"
COLLEAGUE = "olga.desk"  # another front-desk member: the "colleague" whose switch-off is undone
STAFF_PASSWORD = "quiet-lantern-58"
BY_ROLE = {"front_desk": FRONT_DESK, "manager": MANAGER, "admin": ADMIN}
# The tables a staff write may touch; the append-only audit log by its count and newest id.
WATCHED = ("audit_log", "patients", "portal_accounts", "outbox_emails", "staff_members", "clinic_settings")


@dataclass(frozen=True)
class Team:
    """The usernames of the clinic's staff, by role."""

    admin: str = ADMIN
    manager: str = MANAGER
    front_desk: str = FRONT_DESK
    colleague: str = COLLEAGUE


def add_team(clinic: Clinic) -> Team:
    """An administrator (the first account), a manager and two front-desk members, all able to sign in."""
    admin = clinic.admin
    admin.add_staff(
        username=ADMIN, full_name="Bea Oswald", role="admin", password=STAFF_PASSWORD, actor="setup"
    )
    for username, full_name, role in (
        (MANAGER, "Mia Navarro", "manager"),
        (FRONT_DESK, "Fred Ortiz", "front_desk"),
        (COLLEAGUE, "Olga Petrova", "front_desk"),
    ):
        admin.add_staff(
            username=username,
            full_name=full_name,
            role=role,
            password=STAFF_PASSWORD,
            actor=ADMIN,
            must_change_password=False,
        )
    return Team()


def table_prints(clinic: Clinic, tables: tuple[str, ...] = WATCHED) -> dict[str, str]:
    """Each table's content hashed (the audit log: its row count and newest id)."""
    prints: dict[str, str] = {}
    by_name = Base.metadata.tables
    with clinic.engine.connect() as connection:
        for name in tables:
            table = by_name[name]
            if name == "audit_log":
                rows = connection.execute(select(func.count(), func.max(table.c.id))).all()
            else:
                rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            prints[name] = hashlib.sha256(repr(rows).encode("utf-8", "backslashreplace")).hexdigest()
    return prints


def row_count(clinic: Clinic, table_name: str) -> int:
    """How many rows the table holds."""
    with clinic.engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count()).select_from(Base.metadata.tables[table_name])
            ).scalar_one()
        )
