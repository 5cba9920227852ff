"""Staff accounts: who may sign in, with which role (DESIGN.md section 5).

Each function runs inside the one transaction its caller opened. Accounts are never
deleted (the audit log keeps their names): they are disabled.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desk.db.models import StaffMember
from clinic_desk.domain import roles
from clinic_desk.domain.errors import ConflictError, NotAllowed, NotFound, ValidationError
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.text_rules import RESERVED_ACTORS, check_text, clean_actor, shown
from clinic_desk.domain.validation import (
    STAFF_USERNAME_MIN_LENGTH,
    check_password,
    clean_name,
    clean_username,
)
from clinic_desk.services import audit
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.hashing import hash_password, verify_against_nothing, verify_password
from clinic_desk.services.permissions import TURNED_OFF, authorize, staff_exist

# Letters and digits nobody misreads aloud (no 0/O, 1/l/I).
_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789"
TEMPORARY_LENGTH = 12
WRONG_SIGN_IN = "That username and password do not match. Check Caps Lock and try again."
#: The same refusal where only a password was typed (the lock screen knows who is signed in).
WRONG_PASSWORD = "That password is not right. Check Caps Lock and try again."


@dataclass(frozen=True)
class StaffAccount:
    """A staff member as plain values (what ``sign_in`` returns and ``list_staff`` lists)."""

    username: str
    full_name: str
    role: str
    active: bool = True
    must_change_password: bool = False
    last_sign_in_at: datetime | None = None
    locked_until: datetime | None = None

    @property
    def role_label(self) -> str:
        """'Front desk', 'Manager' or 'Administrator'."""
        return roles.role_label(self.role)

    def may(self, permission: Permission) -> bool:
        """True when this member's role allows ``permission`` (the window mirrors the services)."""
        return self.active and roles.may(self.role, permission)


@dataclass(frozen=True)
class SignInOutcome:
    """A sign-in's result: the member, or the refusal to raise once the counters are saved."""

    member: StaffAccount | None
    refusal: str | None = None


def account_of(member: StaffMember) -> StaffAccount:
    """The row as a plain value."""
    return StaffAccount(
        username=member.username,
        full_name=member.full_name,
        role=member.role,
        active=member.active,
        must_change_password=member.must_change_password,
        last_sign_in_at=member.last_sign_in_at,
        locked_until=member.locked_until,
    )


def find_member(session: Session, username: object, *, lock: bool = False) -> StaffMember | None:
    """The staff member with this username (any case), or None."""
    if not isinstance(username, str) or not username.strip():
        return None
    query = select(StaffMember).where(StaffMember.username_key == username.strip().lower())
    return session.scalar(query.with_for_update() if lock else query)


def _member(session: Session, username: str) -> StaffMember:
    check_text(username, "username")
    member = find_member(session, username, lock=True)
    if member is None:
        raise NotFound(f"There is no staff account '{shown(str(username))}'.")
    return member


def _fields(member: StaffMember) -> dict[str, object]:
    return {
        "username": member.username,
        "full_name": member.full_name,
        "role": member.role,
        "active": member.active,
        "must_change_password": member.must_change_password,
    }


def add_staff(
    session: Session,
    ctx: ServiceContext,
    *,
    username: str,
    full_name: str,
    role: str,
    password: str,
    actor: str,
    must_change_password: bool | None = None,
) -> StaffAccount:
    """Create a staff account. The clinic's first account must be an administrator."""
    name = clean_username(username, min_length=STAFF_USERNAME_MIN_LENGTH)
    if name.casefold() in RESERVED_ACTORS:
        # The audit log names the patient portal so: a member called that could never act.
        raise ValidationError(
            "Username: that name is kept for the patient portal; choose another.", field="username"
        )
    full = clean_name(full_name, "Full name")
    clean = roles.clean_role(role)
    check_password(password, name)
    first = not staff_exist(session)
    if first:
        # With no staff yet any plain actor may start the clinic, but only with an administrator:
        # otherwise nobody could ever manage staff accounts.
        who = clean_actor(actor)
        if clean != roles.ADMIN:
            raise ValidationError("The clinic's first staff account must be an administrator.", field="role")
    else:
        who = authorize(session, actor, Permission.STAFF_ACCOUNTS)
    if find_member(session, name) is not None:
        raise ConflictError(f"The username '{name}' is already taken: choose another.")
    now = ctx.now()
    member = StaffMember(
        username=name,
        username_key=name.lower(),
        full_name=full,
        role=clean,
        password_hash=hash_password(password),
        active=True,
        # Someone else chose this password: its owner replaces it at the first sign-in.
        must_change_password=(not first) if must_change_password is None else must_change_password,
        failed_sign_ins=0,
        created_at=now,
        updated_at=now,
    )
    session.add(member)
    session.flush()
    audit.record(
        session,
        at=now,
        actor=who if not first else name,
        action="staff_added",
        patient_id=None,
        after=_fields(member),
        note=None if not first else f"First administrator, set up by {who}.",
    )
    return account_of(member)


def _proven_member(
    session: Session, ctx: ServiceContext, username: str, password: str
) -> tuple[StaffMember | None, str | None]:
    """The member whose password this is, or the refusal; a wrong password counts toward lockout.

    An unknown username costs one Argon2 check too, so the answer time names nobody.
    """
    member = find_member(session, username, lock=True)
    typed = password if isinstance(password, str) else ""
    if member is None:
        verify_against_nothing(typed)
        return None, WRONG_SIGN_IN
    now = ctx.now()
    if member.locked_until is not None and member.locked_until > now:
        return None, locked_words(member.locked_until)
    if not verify_password(member.password_hash, typed):
        return None, _count_failure(session, ctx, member, now)
    if not member.active:
        return None, TURNED_OFF
    return member, None


def sign_in(session: Session, ctx: ServiceContext, username: str, password: str) -> SignInOutcome:
    """Check a staff sign-in; count failures and lock after the clinic's limit.

    Refusals are returned (not raised) so that the failure count commits.
    """
    member, refusal = _proven_member(session, ctx, username, password)
    if member is None:
        return SignInOutcome(None, refusal)
    now = ctx.now()
    member.failed_sign_ins = 0
    member.locked_until = None
    member.last_sign_in_at = now
    audit.record(session, at=now, actor=member.username, action="staff_signed_in", patient_id=None)
    return SignInOutcome(account_of(member))


def locked_words(until: datetime) -> str:
    """The lockout said plainly, with the (local) time it ends."""
    when = until.astimezone().strftime("%H:%M")
    return (
        f"Too many wrong passwords: this sign-in is locked until {when}. "
        "An administrator can unlock it sooner."
    )


def _count_failure(session: Session, ctx: ServiceContext, member: StaffMember, now: datetime) -> str:
    member.failed_sign_ins += 1
    if member.failed_sign_ins < ctx.settings.staff_lockout_threshold:
        return WRONG_SIGN_IN
    member.failed_sign_ins = 0
    member.locked_until = now + timedelta(minutes=ctx.settings.staff_lockout_minutes)
    audit.record(
        session,
        at=now,
        actor=member.username,
        action="staff_locked",
        patient_id=None,
        after={"locked_until": member.locked_until.isoformat()},
        note=f"{ctx.settings.staff_lockout_threshold} wrong passwords in a row.",
    )
    return locked_words(member.locked_until)


def list_staff(session: Session) -> list[StaffAccount]:
    """Every staff account (disabled ones too), by full name."""
    query = select(StaffMember).order_by(func.lower(StaffMember.full_name), StaffMember.username_key)
    return [account_of(member) for member in session.scalars(query)]


def lock_active_admins(session: Session) -> list[int]:
    """Hold every active administrator's row (in id order) for this transaction; their ids.

    Taken first, before the actor is checked: two administrators turning each other off at
    the same moment then go one after the other, and the second sees the first's change.
    """
    query = (
        select(StaffMember.id)
        .where(StaffMember.role == roles.ADMIN, StaffMember.active.is_(True))
        .order_by(StaffMember.id)
        .with_for_update()
    )
    return list(session.scalars(query))


def _check_not_last_admin(member: StaffMember, admins: list[int], doing: str) -> None:
    if member.role != roles.ADMIN or not member.active:
        return
    if not [admin for admin in admins if admin != member.id]:
        raise NotAllowed(
            f"{member.full_name} is the clinic's last active administrator and cannot be {doing}: "
            "make someone else an administrator first."
        )


def _changed(
    session: Session, ctx: ServiceContext, member: StaffMember, who: str, action: str, **changes: object
) -> StaffAccount:
    """Apply ``changes`` to the member and audit them, before → after."""
    before = _fields(member)
    for name, value in changes.items():
        setattr(member, name, value)
    member.updated_at = ctx.now()
    session.flush()
    audit.record(
        session, at=ctx.now(), actor=who, action=action, patient_id=None, before=before, after=_fields(member)
    )
    return account_of(member)


def set_staff_role(
    session: Session, ctx: ServiceContext, username: str, role: str, *, actor: str
) -> StaffAccount:
    """Change a member's role (never the last active administrator's)."""
    clean = roles.clean_role(role)
    admins = lock_active_admins(session)
    who = authorize(session, actor, Permission.STAFF_ACCOUNTS)
    member = _member(session, username)
    if member.role == clean:
        return account_of(member)
    if clean != roles.ADMIN:
        _check_not_last_admin(member, admins, "demoted")
    return _changed(session, ctx, member, who, "staff_role_changed", role=clean)


def set_staff_active(
    session: Session, ctx: ServiceContext, username: str, *, active: bool, actor: str
) -> StaffAccount:
    """Disable (or enable again) a member's sign-in; never the last active administrator's."""
    admins = lock_active_admins(session)
    who = authorize(session, actor, Permission.STAFF_ACCOUNTS)
    member = _member(session, username)
    if member.active == active:
        return account_of(member)
    if not active:
        _check_not_last_admin(member, admins, "disabled")
    return _changed(session, ctx, member, who, "staff_enabled" if active else "staff_disabled", active=active)


def temporary_password() -> str:
    """A one-time password to read out: 12 characters nobody misreads."""
    return "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(TEMPORARY_LENGTH))


def reset_staff_password(
    session: Session, ctx: ServiceContext, username: str, *, actor: str, break_glass: bool = False
) -> str:
    """Give the member a temporary password (changed at the next sign-in); returns it.

    ``break_glass``: run with direct access to the database and no sign-in (the command
    line's recovery when no administrator can sign in); ``actor`` is then whoever ran it.
    """
    who = (
        f"break-glass: {clean_actor(actor)}"[:64]
        if break_glass
        else authorize(session, actor, Permission.STAFF_ACCOUNTS)
    )
    member = _member(session, username)
    password = temporary_password()
    member.password_hash = hash_password(password)
    member.must_change_password = True
    member.failed_sign_ins = 0
    member.locked_until = None
    member.updated_at = ctx.now()
    session.flush()
    audit.record(
        session,
        at=ctx.now(),
        actor=who,
        action="staff_password_reset",
        patient_id=None,
        after=_fields(member),
        note="Run without a sign-in (break-glass)." if break_glass else None,
    )
    return password


def unlock_staff(session: Session, ctx: ServiceContext, username: str, *, actor: str) -> StaffAccount:
    """End a member's sign-in lockout now."""
    who = authorize(session, actor, Permission.STAFF_ACCOUNTS)
    member = _member(session, username)
    was = member.locked_until
    member.failed_sign_ins = 0
    member.locked_until = None
    member.updated_at = ctx.now()
    audit.record(
        session,
        at=ctx.now(),
        actor=who,
        action="staff_unlocked",
        patient_id=None,
        before={"username": member.username, "locked_until": was.isoformat() if was else None},
    )
    return account_of(member)


def change_own_password(
    session: Session, ctx: ServiceContext, username: str, old_password: str, new_password: str
) -> SignInOutcome:
    """A member replaces their own password (the current one proves who they are)."""
    member, refusal = _proven_member(session, ctx, username, old_password)
    if member is None:
        return SignInOutcome(None, refusal)
    now = ctx.now()
    check_password(new_password, member.username)
    if verify_password(member.password_hash, new_password):
        raise ValidationError(
            "New password: choose one different from the current password.", field="new_password"
        )
    member.password_hash = hash_password(new_password)
    member.must_change_password = False
    member.failed_sign_ins = 0
    member.updated_at = now
    audit.record(session, at=now, actor=member.username, action="staff_password_changed", patient_id=None)
    return SignInOutcome(account_of(member))
