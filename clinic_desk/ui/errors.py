"""Words a receptionist can read for any error a background task hands back (no traceback)."""

from __future__ import annotations

from clinic_desk.domain.errors import ClinicDeskError

#: Said for an error that is not one of ours; ``{kind}`` is the exception's class name.
UNREACHABLE_DATABASE = (
    "Clinic Desk could not reach the clinic database ({kind}). Check the network and try again."
)


def error_words(exc: Exception, otherwise: str = UNREACHABLE_DATABASE) -> str:
    """The error's own message for a :class:`ClinicDeskError`; else ``otherwise`` (``{kind}`` filled in)."""
    if isinstance(exc, ClinicDeskError):
        return exc.message
    return otherwise.format(kind=type(exc).__name__)
