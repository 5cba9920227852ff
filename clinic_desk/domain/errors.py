"""The errors a receptionist may see (four about input, the rest faults); each message is read aloud."""

from __future__ import annotations


class ClinicDeskError(Exception):
    """Base of every error Clinic Desk raises on purpose.

    The message is plain words a receptionist can act on; ``field`` names
    the form field at fault when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(ClinicDeskError):
    """What was typed is not acceptable (bad email, blank name, weak password...)."""


class NotAllowed(ClinicDeskError):
    """The action is not allowed for this patient right now (deceased, no email...)."""


class ConflictError(ClinicDeskError):
    """Someone or something else got there first (username taken, record changed)."""


class NotFound(ClinicDeskError):
    """No such patient, account or link."""


class DatabaseUnavailable(ClinicDeskError):
    """A fault, not bad input: the clinic database could not be reached or refused the connection."""


class DatabaseBusy(DatabaseUnavailable):
    """A fault: another workstation holds the database's write lock; nothing was saved, try again.

    A kind of :class:`DatabaseUnavailable` (the database could not take the change now, and
    retrying the same action is right), but not an outage: the server is there.
    """


class ServerFull(DatabaseUnavailable):
    """A fault: the database server (or PgBouncer in front of it) has no free connection now.

    Nothing was saved; it passes when other desks or workers let go, so the desk retries by
    itself with back-off and the portal answers "busy, try again" (503 with Retry-After).
    """


class OutcomeUnknown(ClinicDeskError):
    """A fault: the connection went away while the change was being committed.

    The change may or may not have been saved: reload to check, and retry with the same
    ``request_id`` so it is never done twice.
    """


class KeyringUnavailable(ClinicDeskError):
    """The OS keyring is missing or refused: a password can only be used for this run."""


class SchemaError(ClinicDeskError):
    """The database's schema does not fit this version of Clinic Desk (too old to use, or newer)."""
