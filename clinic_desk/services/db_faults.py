"""One reading of database driver errors: what kind of fault, in plain words (never a password)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from clinic_desk.db.engine import describe
from clinic_desk.services.file_faults import file_fault_words


class DbFault(StrEnum):
    """What went wrong talking to the database; the values are stable strings."""

    UNREACHABLE = "unreachable"
    WRONG_PASSWORD = "wrong_password"
    DATABASE_MISSING = "database_missing"
    SSL_PROBLEM = "ssl_problem"
    FILE_UNUSABLE = "file_unusable"
    SERVER_FULL = "server_full"
    OTHER = "error"


_UNREACHABLE_WORDS = (
    "connection refused",
    "could not connect",
    "timeout",
    "timed out",
    "could not translate host",
    "name or service not known",
    "no route to host",
    "network is unreachable",
    "server closed the connection",
    "terminating connection",
    "lost connection",
    "can't connect",
    "connection reset",
    "temporary failure in name resolution",
)


def classify_db_error(error: BaseException) -> tuple[DbFault, str]:
    """The kind of fault behind a driver error and what to check, as the end of a sentence."""
    orig = getattr(error, "orig", None) or error
    words = str(orig).lower()
    sqlstate = getattr(orig, "sqlstate", None)
    code = orig.args[0] if isinstance(orig, Exception) and orig.args else None
    if sqlstate == "28P01" or "password authentication failed" in words or code == 1045:
        return DbFault.WRONG_PASSWORD, "the user name or password is wrong."
    if "no password supplied" in words or "password is required" in words:
        return DbFault.WRONG_PASSWORD, "the server wants a password: type it in the Password field."
    if sqlstate == "3D000" or code == 1049 or ("database" in words and "does not exist" in words):
        return DbFault.DATABASE_MISSING, "there is no database of that name on the server (check the name)."
    if is_server_full(error):
        return DbFault.SERVER_FULL, SERVER_FULL_END
    if "unable to open database file" in words:
        return DbFault.FILE_UNUSABLE, "the database file cannot be opened (check the folder is writable)."
    if "ssl" in words or "certificate" in words:
        if "does not support ssl" in words:
            return DbFault.SSL_PROBLEM, "the server does not offer SSL: choose SSL mode 'prefer', or ask IT."
        return (
            DbFault.SSL_PROBLEM,
            "the secure (SSL) connection failed: check the SSL mode and the CA certificate.",
        )
    if code in (2003, 2005, 2006, 2013) or any(word in words for word in _UNREACHABLE_WORDS):
        return (
            DbFault.UNREACHABLE,
            "the server cannot be reached (check the address, the port and the network).",
        )
    if "role" in words and "does not exist" in words:
        return DbFault.WRONG_PASSWORD, "the server has no user of that name (check the user name)."
    if sqlstate == "28000" or "no pg_hba.conf entry" in words:
        return DbFault.WRONG_PASSWORD, "the server does not let this user in from this computer (ask IT)."
    return DbFault.OTHER, f"the database refused the connection ({type(orig).__name__})."


SERVER_FULL_END = (
    "the server has no free connection right now (too many desks, portal and mail workers are "
    "connected); it is tried again in a moment."
)
SERVER_FULL = (
    "The clinic database server has no free connection right now (too many desks and workers are "
    "connected). Nothing was saved; Clinic Desk tries again by itself in a moment."
)
# PostgreSQL (53300), PgBouncer's own refusals, MariaDB (1040).
_FULL_WORDS = ("too many clients", "too many connections", "no more connections allowed")


def is_server_full(error: BaseException | None) -> bool:
    """True when the server refused a new connection because all its slots are taken."""
    if error is None:
        return False
    orig = getattr(error, "orig", None) or error
    code = orig.args[0] if isinstance(orig, Exception) and orig.args else None
    if getattr(orig, "sqlstate", None) == "53300" or code == 1040:
        return True
    words = str(orig).lower()
    return any(word in words for word in _FULL_WORDS)


def is_unreachable(error: BaseException | None) -> bool:
    """True when the error says the database server went away (not bad input, not a bug)."""
    if error is None:
        return False
    if getattr(error, "connection_invalidated", False):
        return True
    try:
        return classify_db_error(error)[0] is DbFault.UNREACHABLE
    except Exception:  # a driver error we cannot read is not evidence of an outage
        return False


_BUSY_WORDS = (
    "database is locked",
    "database is busy",
    "database table is locked",
    "lock wait timeout exceeded",  # MariaDB: another workstation's row lock
    "due to lock timeout",  # PostgreSQL, with a per-role lock_timeout
)


def is_busy(error: BaseException | None) -> bool:
    """True when another workstation held the lock this save needed for longer than the wait allows."""
    if error is None:
        return False
    orig = getattr(error, "orig", None) or error
    code = orig.args[0] if isinstance(orig, Exception) and orig.args else None
    # SQLite's busy timeout, PostgreSQL's lock_timeout, MariaDB's lock wait.
    if getattr(orig, "sqlstate", None) == "55P03" or code == 1205:
        return True
    words = str(orig).lower()
    return any(word in words for word in _BUSY_WORDS)


def opening_problem(url: URL, error: DBAPIError) -> str:
    """Why a clinic database could not be opened, in one sentence naming where it is."""
    if file_words := file_fault_words(error, url, opening=True):
        return file_words
    fault, words = classify_db_error(error)
    where = describe(url)
    if fault is DbFault.OTHER:
        kind = error.orig.__class__.__name__ if error.orig else "error"
        return f"{where}: the database could not be opened ({kind})."
    return f"{where}: {words}"
