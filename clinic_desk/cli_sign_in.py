"""``--as USER``: who a command that changes data acts as, signed in like at the window.

Once the clinic has staff accounts, the command asks that member's password (without
echo, on the terminal) or reads it from ``--password-file`` (a file only its owner can
read), signs in with ``clinic.admin.sign_in`` and acts as the member. A clinic with no
staff accounts yet takes ``--as`` as plain text (default: the operating-system user)
and asks nothing. A refused sign-in is one line and exit code 2, like a mistyped
command line: what was given on the command line did not let the command start.
Passwords are never printed, logged or put in a message.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clinic_desk.cli_output import CommandProblem
from clinic_desk.cli_secrets import read_password_file
from clinic_desk.domain.errors import NotAllowed

if TYPE_CHECKING:
    from clinic_desk.domain.roles import Permission
    from clinic_desk.services.clinic import Clinic, StaffAccount

PROG = "clinic-desk"


class SignInRefused(CommandProblem):
    """The staff member named by --as could not sign in (exit code 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Acting:
    """Who the command acts as: the actor the services record, and the signed-in member (if any)."""

    actor: str
    member: StaffAccount | None = None


def add_sign_in_options(parser: argparse.ArgumentParser) -> None:
    """--as USER and --password-file PATH."""
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        help="the staff member doing this (their password is asked); with no staff accounts yet, "
        "any name (default: your login name)",
    )
    parser.add_argument(
        "--password-file",
        metavar="PATH",
        help="read the --as member's password from this file (yours, readable by you only; first line)",
    )


def os_user() -> str:
    """The operating-system user running the command (what a clinic without staff records)."""
    try:
        import getpass  # loaded when asked: not when the window starts

        return getpass.getuser()
    except Exception:  # getuser raises OSError or KeyError when nothing names the user
        return "unknown"


def can_ask() -> bool:
    """True when a person at a terminal can be asked for a password."""
    return sys.stdin is not None and sys.stdin.isatty()


def ask_secret(prompt: str, *, instead: str) -> str:
    """A password typed at the terminal without echo; ``instead`` names the option a script uses."""
    if not can_ask():
        raise SignInRefused(
            f"there is no terminal to ask for the password on; give it with {instead} PATH "
            "(a file only you can read)."
        )
    try:
        import getpass

        return getpass.getpass(prompt)
    except EOFError:
        raise SignInRefused("no password was typed.") from None


def ask_new_password(who: str, path: str | None) -> str:
    """A new password from ``path`` (--new-password-file), or typed twice at the terminal."""
    if path is not None:
        return read_password_file(path, what="The new password file")
    first = ask_secret(f"New password for {who}: ", instead="--new-password-file")
    again = ask_secret("Type the new password again: ", instead="--new-password-file")
    if first != again:
        raise CommandProblem("the two new passwords are not the same; nothing was changed.")
    return first


def own_password(args: argparse.Namespace, username: str) -> str:
    """The --as member's password, from --password-file or asked at the terminal."""
    if getattr(args, "password_file", None) is not None:
        return read_password_file(args.password_file)
    return ask_secret(f"Password for {username}: ", instead="--password-file")


def acting_staff(args: argparse.Namespace, clinic: Clinic, permission: Permission | None = None) -> Acting:
    """Sign in the --as member (or take --as as a plain name when the clinic has no staff yet).

    ``permission``: checked right after the sign-in, so a member who may not do the
    command hears so before being asked anything else.

    Raises:
        SignInRefused: no --as once there are staff accounts; a wrong password, a locked
            or turned-off account; a member who must choose a new password first.
        NotAllowed: the member's role does not allow ``permission``.
    """
    named = getattr(args, "as_user", None)
    if not clinic.admin.has_staff():
        return Acting(named if named is not None else os_user())
    if named is None:
        extra = " and --password-file PATH" if getattr(args, "password_file", None) else ""
        raise SignInRefused(
            f"this clinic has staff accounts: say who you are with --as USERNAME{extra} "
            "(your password is asked)."
        )
    password = own_password(args, named)
    try:
        member = clinic.admin.sign_in(named, password)
    except NotAllowed as refused:
        raise SignInRefused(str(refused)) from None
    if member.must_change_password:
        raise SignInRefused(
            f"{member.username} must choose a new password first: run "
            f"`{PROG} staff passwd --as {member.username}`, or sign in at the window."
        )
    if permission is not None:
        clinic.admin.check_may(member.username, permission)
    return Acting(member.username, member)
