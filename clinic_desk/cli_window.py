"""What the ``clinic-desk`` command needs to open the window: the exit codes, the ``--db`` and
``--debug`` options, the database address, and the window itself.

Kept apart from the other commands (``cli_commands``, which builds on this) so that starting the
window loads only this: a command line of nothing but ``--db`` and ``--debug`` never builds the
full parser.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from clinic_desk import cli_arguments as typed_as
from clinic_desk.cli_arguments import ClinicParser, Mistyped
from clinic_desk.cli_output import CommandProblem

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

PROG = "clinic-desk"
EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DB_HELP = (
    "the clinic database: sqlite:///path/to/clinic.db or postgresql://user@host/dbname "
    "(default: the local file in your user data folder)"
)


# --- opening the database ---------------------------------------------------------------


def database_url(args: argparse.Namespace) -> URL:
    """The parsed --db URL (or the local default); never echoes what was typed (it may hold a password)."""
    from sqlalchemy.exc import ArgumentError

    from clinic_desk.services.clinic import workstation

    given = getattr(args, "db", None)
    try:
        url = workstation.database_url(given)
        url.get_dialect()  # unknown database kinds and missing drivers show up here
    except ArgumentError:
        raise CommandProblem(
            "--db is not a database address Clinic Desk understands; use sqlite:///path/to/clinic.db "
            "or postgresql://user@host:5432/dbname."
        ) from None
    except ImportError as error:
        raise missing_driver(error) from None
    return url


def missing_driver(error: ImportError) -> CommandProblem:
    """The words for a --db whose database kind has no driver installed."""
    return CommandProblem(
        f"the database driver for --db is not installed ({error.name or error}); install Clinic Desk "
        "with its 'postgres' extra for PostgreSQL or its 'mysql' extra for MariaDB."
    )


def has_display() -> bool:
    """False on Linux without X11/Wayland (a server, SSH or CI), where Qt would abort."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# --- the window -------------------------------------------------------------------------


def open_window(args: argparse.Namespace) -> int:
    if not has_display() and not os.environ.get("QT_QPA_PLATFORM"):
        print(
            f"{PROG}: no screen found (DISPLAY and WAYLAND_DISPLAY are not set). Run it from a desktop "
            f"session, or without a screen as: xvfb-run -a {PROG}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        from clinic_desk.ui.app import start_gui
    except ImportError as error:
        raise CommandProblem(
            f"the window cannot start: {error}. "
            "Install the Qt runtime libraries (scripts/bootstrap.sh does it)."
        ) from None
    # --db wins over everything; without it the saved connection (File > Database connection)
    # is used, and on the very first run the local file, without asking. The address is read
    # on the window's worker, so SQLAlchemy loads after the window first paints.
    url = (lambda: database_url(args)) if getattr(args, "db", None) else None
    try:
        return int(start_gui(url))
    except ImportError as error:
        raise missing_driver(error) from None


# --- its command line -------------------------------------------------------------------


def database_options() -> ClinicParser:
    """``--db`` and ``--debug``, which go before or after any command (a parent parser)."""
    # SUPPRESS: a --db after the command only overrides one given before it when it is there.
    database = ClinicParser(add_help=False)
    database.add_argument(
        "--db", metavar="URL", type=typed_as.database_address, default=argparse.SUPPRESS, help=DB_HELP
    )
    database.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="for developers: show the full error of an unexpected problem (it may contain patient data)",
    )
    return database


def window_only(typed: Sequence[str]) -> argparse.Namespace | None:
    """The parsed command line when it only opens the window (nothing but ``--db URL`` and
    ``--debug``), without loading the commands; None for anything else, which the full parser
    reads (its help, its messages)."""
    rest = list(typed)
    while rest:
        word = rest.pop(0)
        if word == "--db" and rest and not rest[0].startswith("-"):
            rest.pop(0)
        elif not (word == "--debug" or word.startswith("--db=")):
            return None
    try:
        args = database_options().parse_args(typed)
    except Mistyped:
        return None  # the full parser says what is wrong, with its own usage line
    args.handler = open_window
    return args
