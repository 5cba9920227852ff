"""The local clinic file before SQLite opens it: is it a database, may we write it, is anyone using it.

SQLite's own errors ("attempt to write a readonly database", "file is not a database")
say nothing a receptionist can act on, and a leftover ``-shm`` file another user left
behind (read-only for us) keeps the database from opening at all. Everything here looks
at the file itself and raises :class:`DatabaseUnavailable` with what is wrong and what to do.
"""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

from sqlalchemy.engine import URL

from clinic_desk.domain.errors import DatabaseUnavailable

SQLITE_HEADER = b"SQLite format 3\x00"
# In SQLite's unix VFS every open connection holds a read lock on this byte of the -shm
# file (the "dead man switch", UNIX_SHM_DMS in os_unix.c): no lock there, nobody has the file open.
SHM_DMS_BYTE = 128
ASK_IT = "ask whoever looks after this computer"


def local_path(url: URL) -> Path | None:
    """The SQLite file ``url`` names (None for a server, an in-memory database or a ``file:`` URI)."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def companions(path: Path) -> tuple[Path, Path]:
    """The ``-wal`` and ``-shm`` files SQLite keeps beside the database file."""
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def check_clinic_file(path: Path, *, writing: bool = True) -> None:
    """Refuse, in plain words, a file Clinic Desk cannot use; clear a stale ``-shm`` nobody uses.

    A missing file is fine (it is created on open). ``writing=False`` (a check or a backup,
    which only read) accepts a read-only file or folder. Raises:
        DatabaseUnavailable: the path is a folder, the file is not a database, it or its folder
            is read-only for this user, or a leftover ``-shm``/``-wal`` of another user is in use.
    """
    if not path.exists():
        return
    where = f"Local file {path}"
    if path.is_dir():
        raise DatabaseUnavailable(
            f"{where}: it is a folder, not a clinic file; choose the clinic's .db file."
        )
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError:
        raise DatabaseUnavailable(
            f"{where}: it cannot be read with this user's permissions; {ASK_IT} to give you access to it."
        ) from None
    if header and header != SQLITE_HEADER:
        raise DatabaseUnavailable(
            f"{where}: it is not a clinic database (it holds something else, or it is badly damaged). "
            "Choose the right file, or restore the newest backup (clinic-desk db restore)."
        )
    may_write = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)
    if not writing:
        if may_write:
            clear_stale_companions(path)
        return
    if not os.access(path, os.W_OK):
        raise DatabaseUnavailable(
            f"{where}: it is read-only for this user, so nothing could be saved. "
            f"Use a copy you may change, or {ASK_IT} to make the file writable."
        )
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise DatabaseUnavailable(
            f"{where}: it is in a read-only folder, and Clinic Desk needs to keep two small working files "
            f"beside it. Move the clinic file to a folder you may change, or {ASK_IT}."
        )
    clear_stale_companions(path)


def clear_stale_companions(path: Path) -> None:
    """Make a leftover, unwritable ``-shm``/``-wal`` (another user's, after a crash) ours again.

    Only when no process has the database open: the ``-shm`` is an index SQLite rebuilds
    from the ``-wal``, so it is deleted; the ``-wal`` may hold saved changes, so it is
    replaced by our own copy of it, byte for byte. Deleting needs only the folder's
    permission, which :func:`check_clinic_file` checked.
    """
    wal, shm = companions(path)
    stale = [file for file in (wal, shm) if file.exists() and not os.access(file, os.R_OK | os.W_OK)]
    if not stale:
        return
    if in_use(path):
        raise DatabaseUnavailable(
            f"Local file {path}: it is open in Clinic Desk under another user on this computer, who "
            "owns its working files. Close Clinic Desk in that user's session, then try again."
        )
    if wal in stale:
        _replace_with_own_copy(wal)
    shm.unlink(missing_ok=True)


def _replace_with_own_copy(file: Path) -> None:
    try:
        data = file.read_bytes()
    except OSError:
        raise DatabaseUnavailable(
            f"Local file {file.with_name(file.name.removesuffix('-wal'))}: its working file {file.name} "
            f"belongs to another user and cannot be read, and it may hold saved changes. {ASK_IT} to "
            "remove it or give it to you."
        ) from None
    spare = file.with_name(file.name + ".clinic-desk-copy")
    descriptor = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(spare, file)


def in_use(path: Path) -> bool:
    """True when some process (any user) has the database open or locked, as far as we can tell.

    On POSIX this asks for SQLite's locks on the ``-shm`` and database files without taking
    them; elsewhere it tries to leave WAL mode, which SQLite allows only to a lone connection.
    """
    shm = companions(path)[1]
    if os.name == "posix":
        return any(
            _locked(file, start, length) for file, start, length in ((shm, SHM_DMS_BYTE, 1), (path, 0, 0))
        )
    import sqlite3

    try:
        connection = sqlite3.connect(path, timeout=0)
    except sqlite3.Error:
        return False
    try:
        connection.execute("PRAGMA journal_mode = DELETE").fetchall()
        return False
    except sqlite3.OperationalError as error:
        return "locked" in str(error).lower()
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def _locked(file: Path, start: int, length: int) -> bool:
    """True when another process holds a POSIX lock on ``length`` bytes of ``file`` from ``start``."""
    import fcntl

    try:
        descriptor = os.open(file, os.O_RDONLY)
    except OSError:
        return False
    try:
        # struct flock on Linux and the BSDs: type, whence, start, length, pid (padded).
        layout = "hhqqi4x"
        asked = struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, start, length, 0)
        answer = fcntl.fcntl(descriptor, fcntl.F_GETLK, asked)
        held: int = struct.unpack(layout, answer)[0]
        return held != fcntl.F_UNLCK
    except OSError:
        return False
    finally:
        os.close(descriptor)


def put_aside(path: Path, stamp: str) -> Path | None:
    """Rename the clinic file (and its ``-wal``) to ``<name>-before-restore-<stamp>.db``; None when absent.

    The old ``-wal`` must never stay beside a restored file: SQLite would replay it into it.
    """
    if not path.exists():
        for file in companions(path):
            file.unlink(missing_ok=True)
        return None
    aside = path.with_name(f"{path.stem}-before-restore-{stamp}{path.suffix or '.db'}")
    number = 2
    while aside.exists():
        aside = path.with_name(f"{path.stem}-before-restore-{stamp}-{number}{path.suffix or '.db'}")
        number += 1
    wal, shm = companions(path)
    os.replace(path, aside)
    if wal.exists():
        os.replace(wal, Path(f"{aside}-wal"))
    shm.unlink(missing_ok=True)
    return aside


def copy_private(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` through a temporary file made 0600, then rename it into place."""
    spare = target.with_name(target.name + ".clinic-desk-partial")
    descriptor = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(spare, target)
    except BaseException:
        spare.unlink(missing_ok=True)
        raise
