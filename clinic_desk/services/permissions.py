"""The actor rule (DESIGN.md section 5): who may do an action, checked where it happens.

Once the clinic has any staff account, ``actor=`` must name an active staff member whose
role allows the action; a clinic with none (a fresh file, a test) accepts any plain actor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from clinic_desk.db.models import StaffMember
from clinic_desk.domain.errors import NotAllowed
from clinic_desk.domain.roles import Permission, may, refusal
from clinic_desk.domain.text_rules import clean_actor, printable_prefix

TURNED_OFF = "This staff account is turned off. Ask an administrator to turn it back on."


def staff_exist(session: Session) -> bool:
    """True once the clinic has any staff account (disabled ones count)."""
    return bool(session.scalar(select(exists().where(StaffMember.id.is_not(None)))))


def authorize(session: Session, actor: object, permission: Permission) -> str:
    """The name the audit log records for ``actor``; NotAllowed when they may not do it.

    Raises:
        ValidationError: the actor is not plain printable text.
        NotAllowed: not a staff member (once there are any), turned off, or the role lacks
            ``permission``; the caller's transaction then writes nothing.
    """
    name = clean_actor(actor)
    return verdict(name, _staff_row(session, name), lambda: staff_exist(session), permission)


def staff_columns(name: str) -> tuple[ColumnElement[Any], ...]:
    """The named staff member's role, active flag and username, and whether any staff exist:
    scalar columns a read can carry in its own statement (then :func:`verdict` decides)."""
    mine = StaffMember.username_key == name.lower()
    return (
        select(StaffMember.role).where(mine).scalar_subquery(),
        select(StaffMember.active).where(mine).scalar_subquery(),
        select(StaffMember.username).where(mine).scalar_subquery(),
        exists().where(StaffMember.id.is_not(None)),
    )


def verdict(name: str, row: tuple[Any, ...], staff_exist: Callable[[], bool], permission: Permission) -> str:
    """The actor rule on a staff row ``(role, active, username)``: the name to record, or NotAllowed."""
    role, active, username = row[0], bool(row[1]), row[2]
    if username is None:
        if staff_exist():
            raise NotAllowed(
                f"'{printable_prefix(name)}' is not a staff member of this clinic: "
                "sign in with your own username."
            )
        return name
    if not active:
        raise NotAllowed(TURNED_OFF)
    if not may(role, permission):
        raise NotAllowed(refusal(permission))
    return str(username)


def check_permission(session: Session, actor: object, permission: Permission) -> None:
    """Like :func:`authorize`, for a check that records nothing (a read, a preview)."""
    authorize(session, actor, permission)


def _staff_row(session: Session, name: str) -> tuple[str, bool, str | None]:
    row = session.execute(
        select(StaffMember.role, StaffMember.active, StaffMember.username).where(
            StaffMember.username_key == name.lower()
        )
    ).first()
    if row is None:
        return "", False, None
    return row[0], bool(row[1]), row[2]
