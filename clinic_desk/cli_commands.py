"""The ``clinic-desk`` commands other than the window: their parser and what each one does.

Loaded only when the command line names a command (``cli.main`` decides): the window's start
does not pay for importing them all and building their parser.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_desk import cli_arguments as typed_as
from clinic_desk.cli_arguments import ClinicParser, ShowVersion
from clinic_desk.cli_demo import run_seed_demo
from clinic_desk.cli_demo_mail import add_demo_mail_command
from clinic_desk.cli_import import add_import_command
from clinic_desk.cli_invite import add_invite_command
from clinic_desk.cli_mail import add_password_options, run_mail_worker
from clinic_desk.cli_output import CommandProblem, say
from clinic_desk.cli_portal import add_portal_command, port_number
from clinic_desk.cli_sign_in import acting_staff, add_sign_in_options
from clinic_desk.cli_staff import add_staff_commands
from clinic_desk.cli_status import print_status, status_document
from clinic_desk.cli_window import (
    EXIT_OK,
    EXIT_PROBLEM,
    PROG,
    database_options,
    database_url,
    has_display,
    missing_driver,
    open_window,
)
from clinic_desk.domain.errors import ClinicDeskError, NotFound
from clinic_desk.domain.roles import Permission

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from clinic_desk.services.clinic import Clinic


def _open(args: argparse.Namespace, *, upgrade: bool = True, create: bool = False) -> Clinic:
    """Open the clinic the command works on; only commands that make a clinic pass ``create``."""
    from clinic_desk.services.clinic import Clinic, workstation

    url = database_url(args)
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
        raise missing_driver(error) from None
    except OSError as error:
        # The folder for a SQLite file cannot be made, and the like.
        raise CommandProblem(
            f"{workstation.describe_url(url)}: the database cannot be opened ({error.strerror or error})."
        ) from None


# --- commands ---------------------------------------------------------------------------


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

    url = database_url(args)
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
    check = workstation.check_database(database_url(args))
    for line in check.lines:
        say(line)
    return EXIT_OK if check.sound else EXIT_PROBLEM


def _db_backup(args: argparse.Namespace) -> int:
    from clinic_desk.services.clinic import workstation

    made = workstation.back_up(database_url(args), args.path)
    say(f"Backed up {made.patients:,} patients to {made.path} ({made.size_bytes / 1e6:.1f} MB, checked).")
    return EXIT_OK


def _db_restore(args: argparse.Namespace) -> int:
    from clinic_desk.services.clinic import workstation

    url = database_url(args)
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

    path = workstation.local_file(database_url(args))
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
    if not has_display():
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
    database = database_options()

    parser = ClinicParser(
        prog=PROG,
        parents=[database],
        description="Clinic Desk: see and fix a patient's patient-portal access from the front desk.",
        epilog=f"With no command, {PROG} opens the window.",
    )
    parser.add_argument("--version", action=ShowVersion)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", parents=[database], help="open the window (the default)")
    gui.set_defaults(handler=open_window)

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
    parser.set_defaults(handler=open_window)
    return parser
