"""The backup part of the facade (``clinic.backups``): back up now, the daily backup, and its status.

Only a local clinic file is backed up by Clinic Desk; a server's data is backed up on
the server (``server_backup_advice`` says how). Every call blocks on files and the
database: the GUI runs them on a worker thread.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL

from clinic_desk.db.engine import describe
from clinic_desk.db.sqlite_file import local_path
from clinic_desk.domain.errors import ClinicDeskError, NotAllowed, ValidationError
from clinic_desk.domain.settings_rules import clean_path
from clinic_desk.services import backup_record
from clinic_desk.services.backup_files import BackupMade, prune, write_backup
from clinic_desk.services.backup_record import BackupRecord
from clinic_desk.services.database import ClinicDatabase


@dataclass(frozen=True)
class BackupStatus:
    """What the settings form and the status line say about backups (times aware, UTC)."""

    applies: bool  # False on a server database: its backups are made on the server
    folder: str
    keep_days: int
    last_at: datetime | None
    last_file: str
    problem: str
    problem_at: datetime | None

    @property
    def failing(self) -> bool:
        """True when the newest attempt failed (a problem newer than the last good backup)."""
        if not self.problem or self.problem_at is None:
            return False
        return self.last_at is None or self.problem_at >= self.last_at


@dataclass(frozen=True)
class DailyBackup:
    """What one look at the daily backup did: nothing due, a backup made, or a problem."""

    ran: bool
    made: BackupMade | None = None
    deleted: tuple[Path, ...] = ()
    problem: str = ""


def server_backup_advice(url: URL) -> str:
    """How to back up a server database (never with its password)."""
    host = url.host or "localhost"
    name = url.database or "clinic"
    user = url.username or "USER"
    if url.get_backend_name() == "postgresql":
        return (
            f"{describe(url)} is backed up on the server, not by Clinic Desk: run "
            f"`pg_dump -Fc -h {host} -U {user} -f clinic-desk-backup-DATE.dump {name}` "
            "(pg_restore puts one back), or use the server's own backup system."
        )
    return (
        f"{describe(url)} is backed up on the server, not by Clinic Desk: run "
        f"`mariadb-dump --single-transaction -h {host} -u {user} {name} > clinic-desk-backup-DATE.sql`, "
        "or use the server's own backup system."
    )


class Backups:
    """Backups of the clinic's local file (``clinic.backups``)."""

    def __init__(self, db: ClinicDatabase) -> None:
        self._db = db

    def back_up_now(self, folder: str | Path | None = None) -> BackupMade:
        """Back up the clinic file now into ``folder`` (an existing folder; default: the clinic's
        backup folder), named for the time. Safe while other desks keep saving.

        Raises:
            NotAllowed: the clinic is on a server (the message says how to back it up there).
            ValidationError: no folder given or set, or the folder cannot be used (``field`` "folder").
            DatabaseUnavailable: the clinic file could not be read, or the copy failed its check.
        """
        source = self._source()
        typed = str(folder) if folder is not None else self._db.settings.backup_folder
        cleaned = clean_path(typed, label="Backup folder", field="folder")
        if not cleaned:
            raise ValidationError(
                "Backup folder: choose where to back up to (Clinic settings ▸ Backups).", field="folder"
            )
        # A share that is not connected must not become a new file of that name.
        return write_backup(source, Path(cleaned).expanduser(), self._db.now(), folder_only=True)

    def run_daily(self, *, workstation: str = "") -> DailyBackup:
        """Take today's backup into the clinic's backup folder when it is due, then delete backups
        older than the clinic keeps. Never raises for a folder problem: it is recorded and returned.

        Does nothing on a server database, without a backup folder, or when another desk took
        (or is taking) today's backup.
        """
        settings = self._db.settings
        if local_path(self._db.url) is None or not settings.backup_folder:
            return DailyBackup(ran=False)
        by = workstation or socket.gethostname()
        if not self._db.run(lambda session, _ctx: backup_record.claim(session, self._db.now(), by)):
            return DailyBackup(ran=False)
        try:
            made = self.back_up_now()
        except ClinicDeskError as problem:
            words = problem.message
            self._db.run(lambda session, _ctx: backup_record.finish(session, self._db.now(), problem=words))
            return DailyBackup(ran=True, problem=words)
        except BaseException:
            self._db.run(
                lambda session, _ctx: backup_record.finish(
                    session,
                    self._db.now(),
                    problem="The backup stopped unexpectedly; it is tried again later.",
                )
            )
            raise
        self._db.run(lambda session, _ctx: backup_record.finish(session, self._db.now(), made=made.path.name))
        deleted = prune(made.path.parent, settings.backup_keep_days, self._db.now(), keep=made.path)
        return DailyBackup(ran=True, made=made, deleted=tuple(deleted))

    def status(self) -> BackupStatus:
        """The backup folder, how long backups are kept, and how the last daily backup went."""
        settings = self._db.settings
        record: BackupRecord = self._db.read(lambda session, _ctx: backup_record.load_record(session))
        return BackupStatus(
            applies=local_path(self._db.url) is not None,
            folder=settings.backup_folder,
            keep_days=settings.backup_keep_days,
            last_at=record.last_at,
            last_file=record.last_file,
            problem=record.problem,
            problem_at=record.problem_at,
        )

    def _source(self) -> Path:
        source = local_path(self._db.url)
        if source is None:
            raise NotAllowed(server_backup_advice(self._db.url))
        return source
