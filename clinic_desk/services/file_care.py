"""Checking, backing up and restoring a clinic database without opening it as a clinic.

For ``clinic-desk db check``, ``db backup`` and ``db restore`` (through ``workstation``):
a damaged file must still be checked, and a file being replaced must not be open.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL

from clinic_desk.db import schema
from clinic_desk.db.engine import describe, make_engine
from clinic_desk.db.sqlite_checks import count_rows, integrity_problems, schema_revision, stored_setting
from clinic_desk.db.sqlite_file import check_clinic_file, copy_private, in_use, local_path, put_aside
from clinic_desk.domain.errors import DatabaseUnavailable, NotAllowed, ValidationError
from clinic_desk.domain.settings_rules import clean_path
from clinic_desk.services.backup_files import BackupMade, newest_backup, short, verify_backup, write_backup
from clinic_desk.services.backups import server_backup_advice
from clinic_desk.services.context import system_clock


@dataclass(frozen=True)
class DatabaseCheck:
    """What ``db check`` found: ``sound`` False when the data is damaged; ``lines`` say it in words."""

    sound: bool
    lines: tuple[str, ...]


@dataclass(frozen=True)
class RestoreReport:
    """A restore done: the file now in use, where the replaced one was put, what the backup holds."""

    restored: Path
    put_aside: Path | None
    revision: str
    patients: int


def check_database(url: URL) -> DatabaseCheck:
    """Check the clinic database at ``url``: on a file SQLite's integrity check, then the schema.

    Raises:
        DatabaseUnavailable: the file is missing, unreadable, not a database, or a server
            cannot be reached (in words).
        SchemaError: the database was set up by a newer Clinic Desk.
    """
    path = local_path(url)
    if path is None:
        return _check_server(url)
    where = describe(url)
    if not path.exists():
        raise DatabaseUnavailable(
            f"{where} does not exist yet; it is made the first time Clinic Desk opens it "
            "(or run `clinic-desk db upgrade`). Nothing was created."
        )
    check_clinic_file(path, writing=False)
    started = time.perf_counter()
    try:
        problems = integrity_problems(path)
    except sqlite3.Error as error:
        raise DatabaseUnavailable(
            f"{where}: it could not be checked ({type(error).__name__}); try again."
        ) from None
    seconds = time.perf_counter() - started
    if problems:
        return DatabaseCheck(False, _damaged_lines(where, path, len(problems)))
    lines = [
        f"{where}: {_schema_words(schema_revision(path))}",
        f"SQLite's integrity check found no damage (every page and index read, {seconds:.1f} s).",
    ]
    backup = _newest_backup_of(path)
    if backup:
        lines.append(f"Newest backup: {backup}.")
    return DatabaseCheck(True, tuple(lines))


def _damaged_lines(where: str, path: Path, count: int) -> tuple[str, ...]:
    backup = _newest_backup_of(path)
    which = (
        f"  clinic-desk db restore '{backup}' --db 'sqlite:///{path}'"
        if backup
        else f"  clinic-desk db restore BACKUP --db 'sqlite:///{path}'\n"
        "  (BACKUP: the newest file named clinic-desk-backup-DATE-TIME.db in the clinic's backup folder)"
    )
    return (
        f"{where} is DAMAGED: SQLite's integrity check found {count} problem(s).",
        "This means some charts or their indexes cannot be trusted, and saving more may lose data.",
        "What to do: close Clinic Desk on every computer, then restore the newest backup:",
        which,
        "Changes made after that backup was taken have to be typed again; the damaged file is kept aside.",
    )


def _newest_backup_of(path: Path) -> Path | None:
    raw = stored_setting(path, "backup_folder")
    try:
        folder = json.loads(raw) if raw else ""
    except ValueError:
        folder = ""
    return newest_backup(folder) if isinstance(folder, str) else None


def _schema_words(revision: str | None) -> str:
    """The schema's state as the end of a sentence; SchemaError when a newer Clinic Desk made it."""
    if revision is None:
        return "it holds no Clinic Desk schema yet (run `clinic-desk db upgrade`)."
    if schema.check_revision(revision) == "current":
        return f"the schema is current (revision {revision})."
    return f"the schema is at revision {revision}; it is upgraded the next time Clinic Desk opens it."


def _check_server(url: URL) -> DatabaseCheck:
    from sqlalchemy.exc import DBAPIError

    engine = make_engine(url)
    try:
        with engine.execution_options(clinic_read_only=True).connect() as connection:
            revision = schema.current_revision(connection)
    except DBAPIError as error:
        raise DatabaseUnavailable(
            f"{describe(url)}: the server could not be checked ({type(error.orig).__name__})."
        ) from None
    finally:
        engine.dispose()
    tool = "pg_amcheck" if url.get_backend_name() == "postgresql" else "mariadb-check"
    return DatabaseCheck(
        True,
        (
            f"{describe(url)}: {_schema_words(revision)}",
            "Checked: the connection and the schema version. The server keeps its own pages "
            f"consistent; its administrator can check them in depth with {tool}.",
        ),
    )


def back_up_file(url: URL, destination: str, now: datetime | None = None) -> BackupMade:
    """Back up the clinic file at ``url`` into ``destination`` (folder or new file) without opening it
    as a clinic (nothing is created or upgraded).

    Raises:
        NotAllowed: a server database (the message says how to back it up there).
        ValidationError: the destination cannot be used (``field`` "folder").
        DatabaseUnavailable: the clinic file is missing, damaged or unreadable.
    """
    source = local_path(url)
    if source is None:
        raise NotAllowed(server_backup_advice(url))
    folder = clean_path(destination, label="Backup folder", field="folder")
    if not folder:
        raise ValidationError("Backup folder: say where to back up to.", field="folder")
    if not source.exists():
        raise DatabaseUnavailable(
            f"{describe(url)}: there is no such file (check the path); nothing was backed up."
        )
    check_clinic_file(source, writing=False)
    return write_backup(source, Path(folder).expanduser(), now or system_clock())


def restore(backup: str, url: URL, now: datetime | None = None) -> RestoreReport:
    """Put the backup ``backup`` in place of the clinic file at ``url``; the old file is kept aside.

    Checked first: the backup is sound and is a Clinic Desk database this version can open,
    and nobody has the clinic file open. The schema is upgraded on the next open, as usual.

    Raises:
        NotAllowed: a server database, or the clinic file is open somewhere (close Clinic Desk first).
        ValidationError: the backup is missing, damaged, not ours or from a newer Clinic Desk.
    """
    target = local_path(url)
    if target is None:
        raise NotAllowed(
            f"{describe(url)} is restored on the server (pg_restore or the mariadb client), "
            "not by Clinic Desk."
        )
    typed = clean_path(backup, label="Backup", field="backup")
    if not typed:
        raise ValidationError("Backup: say which backup file to restore.", field="backup")
    source = Path(typed).expanduser()
    revision = verify_backup(source)
    try:
        return _swap_in(source, target, url, revision, now)
    except OSError as error:
        raise ValidationError(
            f"The backup could not be put in place ({error.strerror or type(error).__name__}); "
            "check the clinic file's folder.",
            field="db",
        ) from None


def _swap_in(source: Path, target: Path, url: URL, revision: str, now: datetime | None) -> RestoreReport:
    if not target.parent.is_dir():
        raise ValidationError(f"The folder {short(target.parent)} does not exist; check --db.", field="db")
    if target.exists() and source.resolve() == target.resolve():
        raise ValidationError("That backup is the clinic file itself; choose a backup file.", field="backup")
    if target.exists() and in_use(target):
        raise NotAllowed(
            f"{describe(url)} is open (in Clinic Desk or another program). Close Clinic Desk on every "
            "computer that uses it, then restore again."
        )
    stamp = (now or system_clock()).astimezone().strftime("%Y-%m-%d-%H%M%S")
    aside = put_aside(target, stamp)
    try:
        copy_private(source, target)
    except OSError as error:
        target.unlink(missing_ok=True)
        if aside is not None:  # put the old file (and its saved changes) back as it was
            aside.replace(target)
            if Path(f"{aside}-wal").exists():
                Path(f"{aside}-wal").replace(Path(f"{target}-wal"))
        raise ValidationError(
            f"The backup could not be copied into place ({error.strerror or type(error).__name__}); "
            "the clinic file was left as it was.",
            field="db",
        ) from None
    return RestoreReport(target, aside, revision, count_rows(target, "patients"))
