"""Staff administration of the facade (``clinic.admin``): accounts, sign-in, roles.

Each call is one transaction. Sign-in refusals raise ``NotAllowed`` only after the
failure count is saved, so five wrong passwords lock the account on every desk.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from clinic_desk.domain.errors import NotAllowed, ValidationError
from clinic_desk.domain.roles import Permission
from clinic_desk.domain.text_rules import check_fields
from clinic_desk.services import staff_accounts
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.database import ClinicDatabase
from clinic_desk.services.permissions import check_permission, staff_exist
from clinic_desk.services.requests import clean_request_id
from clinic_desk.services.staff_accounts import SignInOutcome, StaffAccount
from clinic_desk.services.text_gate import checks_text


class ClinicAdmin:
    """Staff accounts (``clinic.admin``), DESIGN.md section 5."""

    def __init__(self, db: ClinicDatabase) -> None:
        self._db = db

    def has_staff(self) -> bool:
        """True once the clinic has any staff account (then every action needs a signed-in member)."""
        return self._db.read(lambda session, _ctx: staff_exist(session))

    @checks_text
    def add_staff(
        self,
        *,
        username: str,
        full_name: str,
        role: str,
        password: str,
        actor: str,
        must_change_password: bool | None = None,
        request_id: str | None = None,
    ) -> StaffAccount:
        """Create a staff account (administrators; anyone for the clinic's first, which must be one).

        ``must_change_password`` defaults to True (someone else chose the password) except
        for the clinic's first account.
        """
        return self._db.run(
            lambda s, c: staff_accounts.add_staff(
                s,
                c,
                username=username,
                full_name=full_name,
                role=role,
                password=password,
                actor=actor,
                must_change_password=must_change_password,
            ),
            request_id=request_id,
            name="admin.add_staff",
            stored=_stored_account,
            replayed=_replayed_account,
        )

    def sign_in(self, username: str, password: str) -> StaffAccount:
        """The member, when the password is right and the account active and not locked.

        Raises:
            NotAllowed: wrong username or password (one answer for both), locked (with the
                time it ends) or turned off.
        """
        check_fields(username=username)
        outcome = self._db.run(lambda s, c: staff_accounts.sign_in(s, c, username, password))
        return _member_or_refusal(outcome)

    def sign_in_again(self, username: str, password: str) -> StaffAccount:
        """The signed-in member's password typed again (the lock screen): :meth:`sign_in`'s check.

        Only the password was typed, so a wrong one is refused in words about the password
        alone; failures count toward the lockout just the same.
        """
        try:
            return self.sign_in(username, password)
        except NotAllowed as refusal:
            if str(refusal) == staff_accounts.WRONG_SIGN_IN:
                raise NotAllowed(staff_accounts.WRONG_PASSWORD) from None
            raise

    def list_staff(self) -> list[StaffAccount]:
        """Every staff account, disabled ones too, by full name."""
        return self._db.read(lambda session, _ctx: staff_accounts.list_staff(session))

    @checks_text
    def set_staff_role(
        self, username: str, role: str, *, actor: str, request_id: str | None = None
    ) -> StaffAccount:
        """Change a member's role; never demotes the last active administrator."""
        return self._db.run(
            lambda s, c: staff_accounts.set_staff_role(s, c, username, role, actor=actor),
            request_id=request_id,
            name="admin.set_staff_role",
            stored=_stored_account,
            replayed=_replayed_account,
        )

    @checks_text
    def disable_staff(self, username: str, *, actor: str, request_id: str | None = None) -> StaffAccount:
        """Turn a member's sign-in off (never deleted: the audit log keeps the name)."""
        return self._db.run(
            lambda s, c: staff_accounts.set_staff_active(s, c, username, active=False, actor=actor),
            request_id=request_id,
            name="admin.disable_staff",
            stored=_stored_account,
            replayed=_replayed_account,
        )

    @checks_text
    def enable_staff(self, username: str, *, actor: str, request_id: str | None = None) -> StaffAccount:
        """Turn a disabled member's sign-in back on."""
        return self._db.run(
            lambda s, c: staff_accounts.set_staff_active(s, c, username, active=True, actor=actor),
            request_id=request_id,
            name="admin.enable_staff",
            stored=_stored_account,
            replayed=_replayed_account,
        )

    @checks_text
    def reset_staff_password(self, username: str, *, actor: str, request_id: str | None = None) -> str:
        """A temporary password for the member (returned once; they must change it at sign-in).

        ``request_id`` is checked but not replayed: a replay would have to keep the password
        in the database in clear. A retry gives a new temporary password (the first one, if it
        was saved, stops working), which is what the person at the desk needs anyway.
        """
        clean_request_id(request_id)
        return self._db.run(lambda s, c: staff_accounts.reset_staff_password(s, c, username, actor=actor))

    @checks_text
    def break_glass_reset(self, username: str, *, actor: str) -> str:
        """``reset_staff_password`` without a signed-in administrator, for whoever holds the database.

        The command line's recovery (``clinic-desk staff reset-password``) when nobody can
        sign in as an administrator; ``actor`` names who ran it, and the audit log says so.
        """
        return self._db.run(
            lambda s, c: staff_accounts.reset_staff_password(s, c, username, actor=actor, break_glass=True)
        )

    @checks_text
    def unlock_staff(self, username: str, *, actor: str, request_id: str | None = None) -> StaffAccount:
        """End a member's sign-in lockout now."""
        return self._db.run(
            lambda s, c: staff_accounts.unlock_staff(s, c, username, actor=actor),
            request_id=request_id,
            name="admin.unlock_staff",
            stored=_stored_account,
            replayed=_replayed_account,
        )

    def change_own_password(self, username: str, old_password: str, new_password: str) -> StaffAccount:
        """Replace one's own password (the old one proves who asks); clears must-change.

        Raises:
            NotAllowed: as ``sign_in`` for a wrong current password (counted toward lockout).
            ValidationError: the new password is too weak or the same as the old.
        """
        check_fields(username=username, old_password=old_password, new_password=new_password)
        outcome = self._db.run(
            lambda s, c: staff_accounts.change_own_password(s, c, username, old_password, new_password)
        )
        return _member_or_refusal(outcome)

    def check_may(self, actor: str, permission: Permission | str) -> None:
        """NotAllowed when ``actor`` may not do ``permission`` (a preview asks before it shows).

        Raises:
            ValidationError: ``permission`` is not one of :class:`Permission`'s values.
        """
        try:
            wanted = Permission(permission)
        except ValueError:
            choices = ", ".join(Permission)
            raise ValidationError(f"Permission: one of {choices}.", field="permission") from None

        def check(session: Session, _ctx: ServiceContext) -> None:
            check_permission(session, actor, wanted)

        self._db.read(check)


def _member_or_refusal(outcome: SignInOutcome) -> StaffAccount:
    if outcome.member is None:
        raise NotAllowed(outcome.refusal or staff_accounts.WRONG_SIGN_IN)
    return outcome.member


def _stored_account(account: StaffAccount) -> str:
    return account.username


def _replayed_account(session: Session, username: str) -> StaffAccount:
    member = staff_accounts.find_member(session, username)
    assert member is not None  # accounts are never deleted
    return staff_accounts.account_of(member)
