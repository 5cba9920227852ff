"""What each staff-list button does: the question asked first, the call, and the words after.

Pure mapping, no widgets: :func:`staff_call` returns a function for a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from clinic_desk.domain.roles import role_label, role_scope
from clinic_desk.ui.admin.audit_words import local_time

if TYPE_CHECKING:
    from clinic_desk import Clinic

CHANGE_ROLE, RESET_PASSWORD, DISABLE, ENABLE, UNLOCK = "role", "reset", "disable", "enable", "unlock"


@dataclass(frozen=True)
class StaffChange:
    """One confirmed press: what to do, to whom, and the new role for a role change."""

    kind: str
    username: str
    full_name: str
    role: str | None = None


def who(member: Any) -> str:
    """'Maria Lopez (mlopez)'."""
    return f"{member.full_name} ({member.username})"


def question(kind: str, member: Any, role: str | None = None, now: datetime | None = None) -> str:
    """Exactly what the button will do, asked before it does it."""
    name = who(member)
    if kind == CHANGE_ROLE:
        new = role or member.role
        if new == member.role:
            return f"{name} is already {role_label(new)}: choose another role."
        return (
            f"Change {name} from {role_label(member.role)} to {role_label(new)}? From their next "
            f"action they may {role_scope(new)}."
        )
    if kind == RESET_PASSWORD:
        return (
            f"Give {name} a temporary password? Their current password stops working at once, any "
            "lockout ends, and they must choose a new password at their next sign-in. The temporary "
            "password is shown here once."
        )
    if kind == DISABLE:
        return (
            f"Turn off {name}'s sign-in? They can no longer sign in or do anything in Clinic Desk. "
            "The account and everything it did stay in the audit log; an administrator can turn it "
            "back on."
        )
    if kind == ENABLE:
        return f"Turn {name}'s sign-in back on? They can sign in again with their current password."
    if kind == UNLOCK:
        until = local_time(member.locked_until) if member.locked_until else "now"
        return (
            f"Unlock {name}'s sign-in now (locked until {until})? They can try their password again at once."
        )
    raise ValueError(kind)


def own_account_warning(kind: str) -> str:
    """Said after the question when the account is the signed-in member's own ('' when harmless)."""
    if kind == CHANGE_ROLE:
        return " This is your own account: your new role applies at once, here too."
    if kind == DISABLE:
        return " This is your own account: you can do nothing more once it is off."
    if kind == RESET_PASSWORD:
        return " This is your own account: you will need the temporary password at your next sign-in."
    return ""


CONFIRM_WORDS = {
    CHANGE_ROLE: "&Change role",
    RESET_PASSWORD: "&Reset password",
    DISABLE: "&Turn off sign-in",
    ENABLE: "&Turn sign-in on",
    UNLOCK: "&Unlock",
}


def done_words(change: StaffChange) -> str:
    """What the list says once the change is saved."""
    name = f"{change.full_name} ({change.username})"
    if change.kind == CHANGE_ROLE:
        return f"{name} is now {role_label(change.role or '')}."
    if change.kind == RESET_PASSWORD:
        return f"{name} has a temporary password (below). They must change it at sign-in."
    if change.kind == DISABLE:
        return f"{name} can no longer sign in."
    if change.kind == ENABLE:
        return f"{name} can sign in again."
    return f"{name} can sign in again now."


def staff_call(clinic: Clinic, change: StaffChange, actor: str, request_id: str) -> Callable[[], Any]:
    """The ``clinic.admin`` call for ``change``, as ``actor`` (run it on a worker)."""
    admin, username = clinic.admin, change.username
    if change.kind == CHANGE_ROLE:
        role = change.role or ""
        return lambda: admin.set_staff_role(username, role, actor=actor, request_id=request_id)
    if change.kind == RESET_PASSWORD:
        return lambda: admin.reset_staff_password(username, actor=actor, request_id=request_id)
    if change.kind == DISABLE:
        return lambda: admin.disable_staff(username, actor=actor, request_id=request_id)
    if change.kind == ENABLE:
        return lambda: admin.enable_staff(username, actor=actor, request_id=request_id)
    if change.kind == UNLOCK:
        return lambda: admin.unlock_staff(username, actor=actor, request_id=request_id)
    raise ValueError(change.kind)
