"""``clinic-desk staff ...``: staff accounts on a server set up without a screen.

Every command that changes an account takes ``--as USER`` (an administrator, signed
in with their password). ``staff reset-password USER`` without ``--as`` is the
break-glass recovery for whoever holds the database (the local file, or the server's
credentials): it works without a sign-in and the audit log records it as such.
Only two passwords are ever printed: a temporary one, once, by ``reset-password``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from clinic_desk.cli_arguments import ClinicParser
from clinic_desk.cli_output import say, shown
from clinic_desk.cli_sign_in import (
    PROG,
    SignInRefused,
    acting_staff,
    add_sign_in_options,
    ask_new_password,
    os_user,
    own_password,
)
from clinic_desk.domain.errors import NotAllowed
from clinic_desk.domain.roles import ROLES, Permission

if TYPE_CHECKING:
    from datetime import datetime

    from clinic_desk.services.clinic import Clinic, StaffAccount

OpenClinic = Callable[[argparse.Namespace], "Clinic"]
Handler = Callable[[argparse.Namespace, "Clinic"], int]
_COLUMNS = ("USERNAME", "FULL NAME", "ROLE", "ACTIVE", "LAST SIGN-IN", "LOCKED UNTIL")


def add_staff_commands(
    commands: argparse._SubParsersAction[ClinicParser],
    database: ClinicParser,
    open_clinic: OpenClinic,
) -> None:
    """The ``staff`` command and its actions; ``open_clinic(args)`` opens the --db clinic."""
    staff = commands.add_parser(
        "staff", parents=[database], help="staff accounts: add, list, change role, disable, reset password"
    )
    actions = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)

    def action(name: str, handler: Handler, words: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, parents=[database], help=words)
        parser.set_defaults(handler=lambda args: _with_clinic(args, open_clinic, handler))
        return parser

    add = action("add", _add, "add a staff member (administrators; anyone for the first one)")
    add.add_argument("--username", required=True, metavar="USERNAME", help="what they sign in with")
    add.add_argument("--full-name", required=True, metavar="NAME", help="as the audit log shows it")
    add.add_argument("--role", required=True, choices=ROLES, help="what they may do")
    add.add_argument(
        "--new-password-file",
        metavar="PATH",
        help="read their first password from this file (readable by you only) instead of asking twice",
    )
    add_sign_in_options(add)

    action("list", _list, "every staff account: role, active, last sign-in, lockout")

    set_role = action("set-role", _set_role, "change a member's role")
    set_role.add_argument("username", metavar="USER")
    set_role.add_argument("role", metavar="ROLE", choices=ROLES, help=", ".join(ROLES))
    add_sign_in_options(set_role)

    for name, handler, words in (
        ("disable", _disable, "turn a member's sign-in off (the account and its history stay)"),
        ("enable", _enable, "turn a member's sign-in back on"),
        ("unlock", _unlock, "end a member's lockout after wrong passwords"),
    ):
        one = action(name, handler, words)
        one.add_argument("username", metavar="USER")
        add_sign_in_options(one)

    reset = action(
        "reset-password",
        _reset_password,
        "give a member a temporary password (printed once); without --as: break-glass",
    )
    reset.add_argument("username", metavar="USER")
    add_sign_in_options(reset)

    passwd = action("passwd", _passwd, "change your own password (the current one is asked)")
    passwd.add_argument(
        "--new-password-file", metavar="PATH", help="read the new password from this file instead of asking"
    )
    add_sign_in_options(passwd)


def _with_clinic(args: argparse.Namespace, open_clinic: OpenClinic, handler: Handler) -> int:
    with open_clinic(args) as clinic:
        return handler(args, clinic)


def _add(args: argparse.Namespace, clinic: Clinic) -> int:
    first = not clinic.admin.has_staff()
    acting = acting_staff(args, clinic, Permission.STAFF_ACCOUNTS)
    password = ask_new_password(args.username, args.new_password_file)
    member = clinic.admin.add_staff(
        username=args.username,
        full_name=args.full_name,
        role=args.role,
        password=password,
        actor=acting.actor,
    )
    say(f"Added {member.username} ({member.full_name}), {member.role_label}.")
    if first:
        say(f"This clinic now has staff accounts: commands that change data take --as {member.username}.")
    elif member.must_change_password:
        say("They choose their own password when they first sign in.")
    return 0


def _list(_args: argparse.Namespace, clinic: Clinic) -> int:
    members = clinic.admin.list_staff()
    if not members:
        say(
            "No staff accounts yet. Add the first administrator with: "
            f"{PROG} staff add --username USER --full-name NAME --role admin"
        )
        return 0
    rows = [_COLUMNS, *(_row(member) for member in members)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(_COLUMNS))]
    for row in rows:
        say("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def _row(member: StaffAccount) -> tuple[str, ...]:
    return (
        shown(member.username),
        shown(member.full_name),
        member.role_label,
        "yes" if member.active else "no",
        _when(member.last_sign_in_at) or "never",
        _when(member.locked_until) or "-",
    )


def _when(moment: datetime | None) -> str:
    """A time in this computer's zone, to the minute; '' for none."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def _set_role(args: argparse.Namespace, clinic: Clinic) -> int:
    acting = acting_staff(args, clinic, Permission.STAFF_ACCOUNTS)
    member = clinic.admin.set_staff_role(args.username, args.role, actor=acting.actor)
    say(f"{member.username} ({member.full_name}) is now {member.role_label}.")
    return 0


def _disable(args: argparse.Namespace, clinic: Clinic) -> int:
    acting = acting_staff(args, clinic, Permission.STAFF_ACCOUNTS)
    member = clinic.admin.disable_staff(args.username, actor=acting.actor)
    say(f"{member.username} ({member.full_name}) can no longer sign in. The account and its history stay.")
    return 0


def _enable(args: argparse.Namespace, clinic: Clinic) -> int:
    acting = acting_staff(args, clinic, Permission.STAFF_ACCOUNTS)
    member = clinic.admin.enable_staff(args.username, actor=acting.actor)
    say(f"{member.username} ({member.full_name}) can sign in again.")
    return 0


def _unlock(args: argparse.Namespace, clinic: Clinic) -> int:
    acting = acting_staff(args, clinic, Permission.STAFF_ACCOUNTS)
    member = clinic.admin.unlock_staff(args.username, actor=acting.actor)
    say(f"{member.username} ({member.full_name}) can sign in again now (the lockout is lifted).")
    return 0


def _reset_password(args: argparse.Namespace, clinic: Clinic) -> int:
    if args.as_user is None and clinic.admin.has_staff():
        if args.password_file is not None:
            raise SignInRefused("--password-file is the --as member's password: give --as USERNAME too.")
        # Break-glass: whoever can open the database may do this, and the audit log says who ran it.
        temporary = clinic.admin.break_glass_reset(args.username, actor=os_user())
        print(
            f"{PROG}: warning: nobody signed in; this was recorded in the audit log as a break-glass "
            f"reset by {shown(os_user())} on {shown(clinic.workstation)}.",
            file=sys.stderr,
            flush=True,
        )
    else:
        acting = acting_staff(args, clinic, Permission.STAFF_ACCOUNTS)
        temporary = clinic.admin.reset_staff_password(args.username, actor=acting.actor)
    say(f"Temporary password for {shown(args.username.strip())}: {temporary}")
    say("It is shown only this once. They choose their own password when they next sign in.")
    return 0


def _passwd(args: argparse.Namespace, clinic: Clinic) -> int:
    if args.as_user is None:
        raise SignInRefused("say whose password this is with --as USERNAME.")
    if not clinic.admin.has_staff():
        raise SignInRefused("this clinic has no staff accounts yet: there is no password to change.")
    current = own_password(args, args.as_user)
    new = ask_new_password(args.as_user, args.new_password_file)
    try:
        member = clinic.admin.change_own_password(args.as_user, current, new)
    except NotAllowed as refused:
        raise SignInRefused(str(refused)) from None
    say(f"Password changed for {member.username} ({member.full_name}).")
    return 0
