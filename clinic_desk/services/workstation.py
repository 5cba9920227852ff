"""The workstation part of the facade: what a desk does BEFORE a clinic is open.

Where this computer's clinic database lives (the saved connection, its password in the
OS keyring), trying a connection, the default and the described database address, and
whether passwords can be remembered here. The UI and the CLI reach all of it through
``clinic_desk.services.clinic.workstation`` and never import the modules behind it.

Everything that touches the keyring, a file or the network blocks: call it from a
worker thread in the GUI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from clinic_desk.db import schema
from clinic_desk.db.engine import default_url, describe, make_engine, normalize_url
from clinic_desk.db.sqlite_file import local_path
from clinic_desk.services import connection, file_care, secret_store
from clinic_desk.services.backup_files import BackupMade
from clinic_desk.services.connection import ConnectionReport, ConnectionSettings
from clinic_desk.services.file_care import DatabaseCheck, RestoreReport
from clinic_desk.services.secret_store import KeyringStatus, KeyringUnavailable


@dataclass(frozen=True)
class RevisionPeek:
    """What a look at a database's schema found: ``readable`` False when it could not be read."""

    readable: bool
    revision: str | None = None


class Workstation:
    """This computer's side of the clinic (``workstation``): connection, keyring, addresses."""

    SSL_MODES: tuple[str, ...] = connection.SSL_MODES
    CONFIG_DIR_ENV = connection.CONFIG_DIR_ENV

    # -- the saved connection ---------------------------------------------------------------

    def load_connection(self) -> ConnectionSettings | None:
        """The saved connection settings, or None on the first run (or when the file is unreadable)."""
        return connection.load_connection_settings()

    def save_connection(
        self, settings: ConnectionSettings, password: str = "", *, remember: bool = True
    ) -> str:
        """Write the settings file and keep a typed server password; returns a note for the user.

        Without a usable keyring the password is kept for this run only, and the note says so.
        """
        note = ""
        if settings.is_server and password:
            try:
                connection.remember_password(settings, password, remember=remember)
            except KeyringUnavailable as problem:
                connection.remember_password(settings, password, remember=False)
                note = problem.message
        connection.save_connection_settings(settings)
        return note

    def startup_url(self, settings: ConnectionSettings | None = None) -> URL:
        """The address the window opens: ``settings`` (default: the saved ones) with the stored password."""
        return connection.startup_url(settings if settings is not None else self.load_connection())

    # -- trying a connection -------------------------------------------------------------------

    def test_connection(
        self,
        settings: ConnectionSettings,
        password: str = "",
        *,
        timeout: float = connection.TEST_TIMEOUT_SECONDS,
    ) -> ConnectionReport:
        """Try ``settings`` with the typed password, or the stored one when none was typed; never raises."""
        if settings.is_server and not password:
            password = self.stored_password(settings) or ""
        return connection.test_connection(settings, password or None, timeout=timeout)

    # -- the database password ------------------------------------------------------------------

    def stored_password(self, settings: ConnectionSettings) -> str | None:
        """The server's password from the keyring (or this run's memory), or None."""
        return connection.stored_password(settings)

    def remember_password(
        self, settings: ConnectionSettings, password: str, *, remember: bool = True
    ) -> None:
        """Keep (or, when empty, forget) the server password; raises KeyringUnavailable without a keyring."""
        connection.remember_password(settings, password, remember=remember)

    def keyring_status(self) -> KeyringStatus:
        """Whether passwords can be remembered on this computer, in words for the settings page."""
        return secret_store.keyring_status()

    # -- addresses --------------------------------------------------------------------------------

    def default_url(self) -> URL:
        """The local clinic file in the user data folder."""
        return normalize_url(default_url())

    def database_url(self, url: str | URL | None = None) -> URL:
        """``url`` (default: the local file) with our drivers; raises ArgumentError when unparsable."""
        return normalize_url(url or default_url())

    def describe_url(self, url: str | URL) -> str:
        """'Local file /path/clinic.db' or 'Server host:5432/clinic' (never a password)."""
        return describe(url)

    def local_file(self, url: URL) -> Path | None:
        """The SQLite file ``url`` names (None for a server or an in-memory database)."""
        return local_path(url)

    def peek_revision(self, url: URL) -> RevisionPeek:
        """The schema revision of the database at ``url``, read without changing anything."""
        try:
            engine = make_engine(url)
        except (ImportError, OSError):
            return RevisionPeek(readable=False)
        try:
            with engine.execution_options(clinic_read_only=True).connect() as link:
                return RevisionPeek(readable=True, revision=schema.current_revision(link))
        except DBAPIError:
            return RevisionPeek(readable=False)
        finally:
            engine.dispose()

    # -- the clinic file: check, back up, restore (no clinic needs to be open) --------------------

    def check_database(self, url: URL) -> DatabaseCheck:
        """``db check``: SQLite's integrity check and the schema on a file; connection and schema on a server.

        Raises DatabaseUnavailable when the file is missing, unreadable or not a database.
        """
        return file_care.check_database(url)

    def back_up(self, url: URL, destination: str) -> BackupMade:
        """``db backup``: copy the clinic file into ``destination`` (a folder or a new file), checked.

        Raises NotAllowed on a server (saying how to back it up there), ValidationError for a
        destination that cannot be used, DatabaseUnavailable for a missing or damaged file.
        """
        return file_care.back_up_file(url, destination)

    def restore_backup(self, backup: str, url: URL) -> RestoreReport:
        """``db restore``: check ``backup`` and put it in place of the clinic file (the old one kept aside).

        Raises ValidationError for a bad backup, NotAllowed on a server or while the file is open.
        """
        return file_care.restore(backup, url)


workstation = Workstation()
