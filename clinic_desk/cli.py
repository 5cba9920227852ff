"""The ``clinic-desk`` command: the window (default), a patient's portal status, a demo, the schema.

Every problem Clinic Desk expects (a bad database address, a patient who is not
there, a database from a newer version) is said in one line on stderr with exit
code 1; a mistyped command line, or a refused ``--as`` sign-in, exits 2; Ctrl+C
exits 130. Anything unexpected is one generic line too (exit 1): never a traceback,
whose text could hold patient data (``--debug`` shows it to a developer). Database
addresses are only ever shown as "Local file ..." or "Server host:port/name", never
with their password. Every line of data goes through ``cli_output`` (control
characters escaped, short echoes).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from clinic_desk import cli_arguments as typed_as
from clinic_desk.cli_arguments import ClinicParser, Mistyped
from clinic_desk.cli_output import CommandProblem, complain, use_plain_logging
from clinic_desk.domain.errors import ClinicDeskError

if TYPE_CHECKING:
    from collections.abc import Callable

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


# --- commands ---------------------------------------------------------------------------


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


# --- the command line -------------------------------------------------------------------


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


def _window_only(typed: Sequence[str]) -> argparse.Namespace | None:
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


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser: every command (``--db`` works before or after the command)."""
    from clinic_desk.cli_commands import build_parser as every_command

    return every_command()


def _tolerant_output() -> None:
    """Print names like 'Núñez' even to a console that cannot show them, instead of crashing."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, io.UnsupportedOperation):
                stream.reconfigure(errors="backslashreplace")


def _undecodable(typed: Sequence[str]) -> bool:
    """True when an argument holds bytes the terminal's encoding could not decode (surrogate escapes)."""
    return any("\ud800" <= character <= "\udfff" for argument in typed for character in argument)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code. Never a traceback (unless --debug)."""
    _tolerant_output()
    typed = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(typed)
    except Exception as error:
        if "--debug" in typed:
            raise
        # Never the exception's text: a database error can quote a patient's data.
        complain(
            PROG,
            f"something unexpected went wrong ({type(error).__name__}); nothing more is shown because "
            "the details could contain patient data. Run the command again with --debug to see them.",
        )
        return EXIT_PROBLEM


def _run(typed: list[str]) -> int:
    if _undecodable(typed):
        complain(
            PROG,
            "an argument holds characters that are not text in this terminal's encoding; "
            "check what was typed or pasted.",
        )
        return EXIT_USAGE
    args = _window_only(typed)
    try:
        if args is None:
            args = build_parser().parse_args(typed)
    except Mistyped as mistake:
        mistake.parser.print_usage(sys.stderr)
        complain(f"{mistake.parser.prog}: error", mistake.message, typed)
        return EXIT_USAGE
    except SystemExit as stop:  # --help or --version (already printed)
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    handler: Callable[[argparse.Namespace], int] = args.handler
    use_plain_logging(PROG, debug=getattr(args, "debug", False))
    try:
        return handler(args)
    except KeyboardInterrupt:
        complain(PROG, "interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`clinic-desk status 1 | head -1`): stop quietly.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PROBLEM
    except ClinicDeskError as problem:
        complain(PROG, str(problem) or problem.__class__.__name__, typed)
        return int(getattr(problem, "exit_code", EXIT_PROBLEM))  # a refused --as sign-in: 2
    except OSError as error:
        # A file or folder named on the command line (screenshot --out, say) cannot be used.
        if getattr(args, "debug", False):
            raise
        where = f"{error.filename}: " if isinstance(error.filename, str) else ""
        complain(PROG, f"{where}{error.strerror or 'the file or folder cannot be used'}.", typed)
        return EXIT_PROBLEM
