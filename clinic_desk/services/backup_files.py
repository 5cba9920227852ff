"""Backup files of a local clinic: their names, writing one safely, checking one, and retention.

A backup is a plain SQLite file named ``clinic-desk-backup-2026-11-26-1530.db`` (the
local time it was taken), readable by its owner only (it holds every chart). Retention
deletes only files with exactly that name pattern; anything else in the folder is never
touched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from clinic_desk.db import schema
from clinic_desk.db.sqlite_checks import count_rows, integrity_problems, online_backup, schema_revision
from clinic_desk.db.sqlite_file import SQLITE_HEADER
from clinic_desk.domain.errors import DatabaseUnavailable, SchemaError, ValidationError

PREFIX = "clinic-desk-backup-"
_NAME = re.compile(r"clinic-desk-backup-(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(?:-(\d{1,3}))?\.db")
SAY_MAX = 80  # characters of a typed path repeated in a message


@dataclass(frozen=True)
class BackupMade:
    """A backup written and checked: where, when, how big and how many charts it holds."""

    path: Path
    taken_at: datetime
    size_bytes: int
    patients: int


@dataclass(frozen=True)
class BackupFile:
    """One of our backups found in a folder, with the time its name says it was taken."""

    path: Path
    taken_at: datetime


def short(path: Path | str) -> str:
    """A path as said in a message: at most SAY_MAX characters (the end, where the name is)."""
    text = str(path)
    return text if len(text) <= SAY_MAX else "…" + text[-(SAY_MAX - 1) :]


def backup_name(taken_at: datetime, number: int = 1) -> str:
    """``clinic-desk-backup-YYYY-MM-DD-HHMM.db`` in local time (``-2``... when that name is taken)."""
    local = taken_at.astimezone()
    suffix = f"-{number}" if number > 1 else ""
    return f"{PREFIX}{local:%Y-%m-%d-%H%M}{suffix}.db"


def parse_backup_name(name: str) -> datetime | None:
    """The local time a backup's name says it was taken, or None when the name is not ours."""
    match = _NAME.fullmatch(name)
    if not match:
        return None
    year, month, day, hour, minute = (int(part) for part in match.groups()[:5])
    try:
        return datetime(year, month, day, hour, minute).astimezone()
    except ValueError:
        return None


def our_backups(folder: Path) -> list[BackupFile]:
    """Our backups in ``folder``, newest first (other files are ignored)."""
    found = []
    for entry in folder.iterdir():
        taken_at = parse_backup_name(entry.name)
        if taken_at is not None and entry.is_file():
            found.append(BackupFile(entry, taken_at))
    return sorted(found, key=lambda backup: (backup.taken_at, backup.path.name), reverse=True)


def newest_backup(folder: str) -> Path | None:
    """The newest of our backups in ``folder`` (None when none, or the folder cannot be read)."""
    if not folder:
        return None
    try:
        backups = our_backups(Path(folder))
    except OSError:
        return None
    return backups[0].path if backups else None


def write_backup(
    source: Path, destination: Path, taken_at: datetime, *, folder_only: bool = False
) -> BackupMade:
    """Back up the live clinic file ``source`` into ``destination`` (a folder, or a new file's path;
    with ``folder_only`` it must be an existing folder, as the clinic's backup folder is).

    The copy goes to a private temporary file first, is checked (SQLite's integrity check
    and the schema revision), and only then gets its final name.

    Raises:
        ValidationError: the folder is missing or not writable, or its disk is full (``field``
            is "folder"); nothing is left behind.
        DatabaseUnavailable: the clinic file could not be read or the copy failed its check.
    """
    try:
        target = _target(destination, taken_at, folder_only=folder_only)
    except OSError as error:  # a name too long for the disk, a folder we may not look into
        raise ValidationError(_os_words(destination, error), field="folder") from None
    partial = target.with_name(target.name + ".partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise ValidationError(_os_words(target.parent, error), field="folder") from None
    os.close(descriptor)
    try:
        online_backup(source, partial)
        _fsync(partial)
        try:
            verify_backup(partial)
        except ValidationError:
            raise DatabaseUnavailable(
                "The backup just written failed its check, so it was not kept: the clinic file may be "
                "damaged. Run `clinic-desk db check`."
            ) from None
        os.replace(partial, target)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        words = str(error).lower()
        if "full" in words:
            raise ValidationError(
                _os_words(target.parent, OSError(errno.ENOSPC, "full")), field="folder"
            ) from None
        raise DatabaseUnavailable(
            f"The backup to {short(target.parent)} could not be written ({type(error).__name__}); "
            "check the folder and the clinic file (`clinic-desk db check`)."
        ) from None
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ValidationError(_os_words(target.parent, error), field="folder") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupMade(target, taken_at, target.stat().st_size, count_rows(target, "patients"))


def _target(destination: Path, taken_at: datetime, *, folder_only: bool) -> Path:
    if folder_only and not destination.is_dir():
        raise ValidationError(_os_words(destination, OSError(errno.ENOENT, "missing")), field="folder")
    if destination.is_dir():
        number = 1
        while (destination / backup_name(taken_at, number)).exists():
            number += 1
        return destination / backup_name(taken_at, number)
    if destination.exists():
        raise ValidationError(
            f"{short(destination)} already exists; give a folder, or a new file name, to back up to.",
            field="folder",
        )
    if not destination.parent.is_dir():
        raise ValidationError(
            f"The folder {short(destination.parent)} does not exist (or the network share is not "
            "connected). Create or connect it, then back up again.",
            field="folder",
        )
    return destination


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):  # some network shares cannot; the rename still follows
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _os_words(folder: Path, error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return f"The backup folder {short(folder)} is full. Free some space there or choose another folder."
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return (
            f"The backup folder {short(folder)} does not exist (or the network share is not connected). "
            "Create or connect it, or choose another folder in Clinic settings."
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"The backup folder {short(folder)} is not writable for this user. "
            "Choose another folder or ask IT."
        )
    return (
        f"The backup folder {short(folder)} could not be used ({error.strerror or type(error).__name__}). "
        "Check the folder or the network share."
    )


def verify_backup(path: Path) -> str:
    """Check that ``path`` is a sound Clinic Desk database this version can open; returns its revision.

    Raises:
        ValidationError: not a file, not a database, damaged, not a Clinic Desk database, or
            made by a newer Clinic Desk (the message says which).
    """
    where = short(path)
    try:
        if not path.is_file():
            raise ValidationError(f"{where} is not a file.", field="backup")
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER:
            raise ValidationError(
                f"{where} is not a Clinic Desk backup (not a database file).", field="backup"
            )
        problems = integrity_problems(path)
        if problems:
            raise ValidationError(
                f"{where} is damaged ({len(problems)} problem(s) found); choose an older backup.",
                field="backup",
            )
        revision = schema_revision(path)
    except (OSError, sqlite3.Error) as error:
        raise ValidationError(
            f"{where} could not be read ({type(error).__name__}); check the file and its folder.",
            field="backup",
        ) from None
    if revision is None:
        raise ValidationError(f"{where} is a database, but not a Clinic Desk one.", field="backup")
    try:
        schema.check_revision(revision)
    except SchemaError:
        raise ValidationError(
            f"{where} was made by a newer version of Clinic Desk; update Clinic Desk on this computer first.",
            field="backup",
        ) from None
    return revision


def prune(folder: Path, keep_days: int, now: datetime, keep: Path | None = None) -> list[Path]:
    """Delete our backups in ``folder`` taken more than ``keep_days`` ago; returns what went.

    Only names of our pattern are considered; ``keep`` (the backup just made) always stays.
    A file that cannot be deleted is left for next time.
    """
    cutoff = now.astimezone() - timedelta(days=keep_days)
    deleted = []
    for backup in our_backups(folder):
        if backup.taken_at < cutoff and backup.path != keep:
            try:
                backup.path.unlink()
            except OSError:
                continue
            deleted.append(backup.path)
    return deleted
