"""What a SQLite error means for the clinic file, in words a receptionist can act on.

SQLite reports a damaged page only when a query reaches it, so these are checked at
open and on every read and write (``ClinicDatabase``), not only by ``db check``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL

RESTORE_HINT = "restore the newest backup (clinic-desk db restore BACKUP; `clinic-desk db check` names it)"


def file_fault_words(error: BaseException, url: URL, *, opening: bool = False) -> str | None:
    """The sentence for a SQLite file fault behind ``error``, or None when it is not one.

    "database is locked" counts only when ``opening``: during a user's action it means another
    desk is saving, which the caller says as a busy clinic ("try again"), not as a file fault.
    """
    if url.get_backend_name() != "sqlite":
        return None
    orig = getattr(error, "orig", None) or error
    words = str(orig).lower()
    where = f"Local file {Path(url.database or '(in memory)')}"
    if "malformed" in words or "not a database" in words or "file is encrypted" in words:
        return (
            f"{where}: it is damaged, so Clinic Desk stopped before anything went wrong. Stop using it "
            f"on every computer and {RESTORE_HINT}."
        )
    if "readonly" in words or "read-only" in words:
        return (
            f"{where}: it is read-only for this user, so nothing could be saved. Ask whoever looks after "
            "this computer to make the file and its folder writable."
        )
    if opening and "database is locked" in words:
        return (
            f"{where}: it is locked by another program or workstation (a database viewer, a copy in "
            "progress). Close it there, then try again."
        )
    if "disk i/o error" in words:
        return (
            f"{where}: it could not be read or written (a disk or network-share problem). Check the "
            "drive or the network, then try again."
        )
    if "database or disk is full" in words:
        return f"{where}: the disk holding it is full. Free some space on it, then try again."
    return None
