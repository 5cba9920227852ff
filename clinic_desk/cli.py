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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_desk import cli_arguments as typed_as
from clinic_desk.bundled import installed_version
from clinic_desk.cli_arguments import ClinicParser, Mistyped
from clinic_desk.cli_demo import run_seed_demo
from clinic_desk.cli_demo_mail import add_demo_mail_command
from clinic_desk.cli_import import add_import_command
from clinic_desk.cli_invite import add_invite_command
from clinic_desk.cli_mail import add_password_options, run_mail_worker
from clinic_desk.cli_output import CommandProblem, complain, say, use_plain_logging
from clinic_desk.cli_portal import add_portal_command, port_number
from clinic_desk.cli_sign_in import acting_staff, add_sign_in_options
from clinic_desk.cli_staff import add_staff_commands
from clinic_desk.cli_status import print_status, status_document
from clinic_desk.domain.errors import ClinicDeskError, NotFound
from clinic_desk.domain.roles import Permission

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from clinic_desk.services.clinic import Clinic

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


def _database_url(args: argparse.Namespace) -> URL:
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
        raise _missing_driver(error) from None
    return url


def _missing_driver(error: ImportError) -> CommandProblem:
    return CommandProblem(
        f"the database driver for --db is not installed ({error.name or error}); install Clinic Desk "
        "with its 'postgres' extra for PostgreSQL or its 'mysql' extra for MariaDB."
    )


def _open(args: argparse.Namespace, *, upgrade: bool = True, create: bool = False) -> Clinic:
    """Open the clinic the command works on; only commands that make a clinic pass ``create``."""
    from clinic_desk.services.clinic import Clinic, workstation

    url = _database_url(args)
    try:
        # The portal asks for its own pool size (a desk and the mail worker keep the default 1).
        return Clinic.open(url, upgrade=upgrade, create=create, pool_size=getattr(args, "pool_size", None))
    except NotFound:
        # A mistyped path must not quietly become a new, empty clinic (nor a new folder).
        if getattr(args, "db", None):
            advice = f"Check the --db address; to start a new clinic there, run `{PROG} db upgrade` with it."
        else:
            advice = (
                f"Open the window once (`{PROG}`) or run `{PROG} db upgrade` to start one on this computer."
            )
        raise CommandProblem(
            f"{workstation.describe_url(url)}: there is no clinic database there. {advice}"
        ) from None
    except ImportError as error:
        raise _missing_driver(error) from None
    except OSError as error:
        # The folder for a SQLite file cannot be made, and the like.
        raise CommandProblem(
            f"{workstation.describe_url(url)}: the database cannot be opened ({error.strerror or error})."
        ) from None


def _has_display() -> bool:
    """False on Linux without X11/Wayland (a server, SSH or CI), where Qt would abort."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# --- commands ---------------------------------------------------------------------------


def _gui(args: argparse.Namespace) -> int:
    if not _has_display() and not os.environ.get("QT_QPA_PLATFORM"):
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
    url = (lambda: _database_url(args)) if getattr(args, "db", None) else None
    try:
        return int(start_gui(url))
    except ImportError as error:
        raise _missing_driver(error) from None


def _status(args: argparse.Namespace) -> int:
    with _open(args) as clinic:
        patient_id = clinic.staff.resolve_patient(args.patient)
        document = status_document(clinic, patient_id)
    print_status(document, as_json=args.json)
    return EXIT_OK


def _mail_worker(args: argparse.Namespace) -> int:
    return run_mail_worker(args, lambda: _open(args))


def _seed_demo(args: argparse.Namespace) -> int:
    return run_seed_demo(args, lambda: _open(args, create=True))


def _db_upgrade(args: argparse.Namespace) -> int:
    from clinic_desk.services.clinic import workstation

    url = _database_url(args)
    # Read before opening: Clinic.open upgrades (and, when the database cannot be read, says why).
    peek = workstation.peek_revision(url)
    readable, before = peek.readable, peek.revision
    with _open(args, upgrade=True, create=True) as clinic:
        after = clinic.schema.current_revision()
        where = clinic.describe_database()
    if readable and before == after:
        say(f"{where}: the schema is already current (revision {after}); nothing to do.")
    else:
        was = before if readable and before else "empty (new database)" if readable else "unknown"
        say(f"{where}: schema upgraded from {was} to {after} (the newest this version knows).")
    return EXIT_OK


def _db_check(args: argparse.Namespace) -> int:
    from clinic_desk.services.clinic import workstation

    # Reads the file as it is (SQLite's integrity check, then the schema): creates nothing.
    check = workstation.check_database(_database_url(args))
    for line in check.lines:
        say(line)
    return EXIT_OK if check.sound else EXIT_PROBLEM


def _db_backup(args: argparse.Namespace) -> int:
    from clinic_desk.services.clinic import workstation

    made = workstation.back_up(_database_url(args), args.path)
    say(f"Backed up {made.patients:,} patients to {made.path} ({made.size_bytes / 1e6:.1f} MB, checked).")
    return EXIT_OK


def _db_restore(args: argparse.Namespace) -> int:
    from clinic_desk.services.clinic import workstation

    url = _database_url(args)
    _sign_in_before_restore(args, url)
    report = workstation.restore_backup(args.backup, url)
    say(f"Restored {report.patients:,} patients into {workstation.describe_url(url)}.")
    if report.put_aside is not None:
        say(f"The file it replaced is kept as {report.put_aside}.")
    say("Clinic Desk brings its schema up to date the next time it opens it.")
    return EXIT_OK


def _sign_in_before_restore(args: argparse.Namespace, url: URL) -> None:
    """Replacing a clinic that has staff accounts takes one of its administrators, signed in."""
    from clinic_desk.services.clinic import Clinic, workstation

    path = workstation.local_file(url)
    if path is None or not path.is_file():
        return  # nothing to replace (a new computer), or a server: restore_backup says so
    try:
        clinic = Clinic.open(url, upgrade=False)
    except ClinicDeskError:
        return  # a damaged or unreadable file is what a restore is for: nobody can sign in to it
    with clinic:
        try:
            staffed = clinic.admin.has_staff()
        except ClinicDeskError:
            return  # an older schema, say: the restore checks the backup, not this file
        if staffed:
            acting_staff(args, clinic, Permission.CLINIC_SETTINGS)


def _audit_verify(args: argparse.Namespace) -> int:
    from clinic_desk.services.clinic import workstation

    path = workstation.local_file(_database_url(args))
    if path is not None and not path.exists():
        raise CommandProblem(f"Local file {path} does not exist: there is no audit log to check.")
    with _open(args, upgrade=False) as clinic:
        report = clinic.verify_audit()
        where = clinic.describe_database()
    say(f"{where}: {report.message}")
    if report.ok and report.last_id is not None:
        # Kept by the administrator: a later check ending before this entry shows entries removed.
        say(f"Newest entry {report.last_id}, hash {report.last_hash}.")
    return EXIT_OK if report.ok else EXIT_PROBLEM


def _db_secure_audit(args: argparse.Namespace) -> int:
    with _open(args, upgrade=False) as clinic:
        acting_staff(args, clinic, Permission.CLINIC_SETTINGS)
        say(clinic.schema.secure_audit_log(args.app_role, args.owner_role))
    return EXIT_OK


def _screenshot(args: argparse.Namespace) -> int:
    # Qt reads these when it starts, so they are set before anything imports it.
    if args.scale is not None:
        os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"
    try:
        from clinic_desk.ui.screenshot import take_screenshot, use_offscreen_platform
    except ImportError as error:
        raise CommandProblem(
            f"screenshots need the Qt libraries: {error}. Install them (scripts/bootstrap.sh does it)."
        ) from None
    if not _has_display():
        use_offscreen_platform()
    with _open(args) as clinic:
        member = acting_staff(args, clinic).member  # the window shows who is signed in
        # The dock always shows the wizard: wait for its plan so the picture is complete.
        written = take_screenshot(
            clinic, args.patient, Path(args.out), hover=args.hover, panel=True, staff=member
        )
    say(f"Saved {written}")
    return EXIT_OK


# --- the command line -------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (``--db`` works before or after the command)."""
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

    parser = ClinicParser(
        prog=PROG,
        parents=[database],
        description="Clinic Desk: see and fix a patient's patient-portal access from the front desk.",
        epilog=f"With no command, {PROG} opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {installed_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", parents=[database], help="open the window (the default)")
    gui.set_defaults(handler=_gui)

    status = commands.add_parser(
        "status", parents=[database], help="print a patient's portal colour, reasons and trouble spots"
    )
    status.add_argument("patient", metavar="PATIENT", help="patient id or MRN")
    status.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    status.set_defaults(handler=_status)

    seed = commands.add_parser(
        "seed-demo", parents=[database], help="fill an empty database with a demo clinic"
    )
    seed.add_argument(
        "--patients", type=typed_as.count, default=2000, metavar="N", help="charts in all (default 2000)"
    )
    seed.add_argument("--seed", type=int, default=7, help="random seed of the bulk charts (default 7)")
    seed.add_argument(
        "--portal-url",
        metavar="URL",
        help="the demo's own portal (clinic-desk portal), e.g. http://127.0.0.1:8080: its emails link there",
    )
    seed.add_argument(
        "--mail-port",
        type=port_number,
        metavar="PORT",
        help="send the demo's emails to the demo mail catcher (clinic-desk demo-mail) on 127.0.0.1:PORT",
    )
    add_sign_in_options(seed)
    seed.set_defaults(handler=_seed_demo)

    worker = commands.add_parser(
        "mail-worker", parents=[database], help="send the outbox over SMTP until stopped"
    )
    worker.add_argument(
        "--poll", type=typed_as.seconds, default=2.0, metavar="SECONDS", help="how often to look"
    )
    add_password_options(worker)
    worker.set_defaults(handler=_mail_worker)

    db = commands.add_parser("db", parents=[database], help="the database: upgrade, check, backup, restore")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_commands.add_parser("upgrade", parents=[database], help="create or upgrade the schema")
    upgrade.set_defaults(handler=_db_upgrade)
    check = db_commands.add_parser(
        "check", parents=[database], help="check the file for damage and say whether the schema is current"
    )
    check.set_defaults(handler=_db_check)
    backup = db_commands.add_parser(
        "backup", parents=[database], help="back up the local clinic file (checked; safe while desks work)"
    )
    backup.add_argument(
        "path", metavar="PATH", help="a folder (the file is named for the time) or a new file"
    )
    backup.set_defaults(handler=_db_backup)
    restore = db_commands.add_parser(
        "restore",
        parents=[database],
        help="put a backup in place of the clinic file (the old one kept aside)",
    )
    restore.add_argument(
        "backup", metavar="BACKUP", help="the backup file, e.g. clinic-desk-backup-2026-11-26-1530.db"
    )
    add_sign_in_options(restore)
    restore.set_defaults(handler=_db_restore)

    secure = db_commands.add_parser(
        "secure-audit",
        parents=[database],
        help="PostgreSQL, as an administrator: the desks' role may only read and add to the audit log",
    )
    secure.add_argument("--app-role", required=True, metavar="ROLE", help="the role the desks connect as")
    secure.add_argument(
        "--owner-role",
        default="clinic_desk_audit",
        metavar="ROLE",
        help="owns the audit log (made if missing)",
    )
    add_sign_in_options(secure)
    secure.set_defaults(handler=_db_secure_audit)

    audit = commands.add_parser("audit", parents=[database], help="the audit trail: verify its hash chain")
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_commands.add_parser(
        "verify", parents=[database], help="check every entry; say the first one changed, missing or added"
    )
    verify.set_defaults(handler=_audit_verify)

    shot = commands.add_parser(
        "screenshot", parents=[database], help="save a PNG of the window with one patient open"
    )
    shot.add_argument("--patient", required=True, metavar="PATIENT", help="patient id or MRN")
    shot.add_argument("--out", required=True, metavar="FILE.png", help="where to save the PNG")
    shot.add_argument("--hover", action="store_true", help="show the icon's tooltip as on mouse hover")
    shot.add_argument(
        "--scale", type=typed_as.scale, metavar="F", help="screen scale factor, e.g. 2 for a HiDPI shot"
    )
    add_sign_in_options(shot)
    shot.set_defaults(handler=_screenshot)
    add_staff_commands(commands, database, _open)
    add_invite_command(commands, database, _open)
    add_import_command(commands, database, _open)
    add_portal_command(commands, database, _open)
    add_demo_mail_command(commands)
    parser.set_defaults(handler=_gui)
    return parser


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
    parser = build_parser()
    try:
        args = parser.parse_args(typed)
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
