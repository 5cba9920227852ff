"""Clinic Desk: see and fix a patient's patient-portal access from the front desk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clinic_desk.domain.errors import (
    ClinicDeskError,
    ConflictError,
    DatabaseBusy,
    DatabaseUnavailable,
    KeyringUnavailable,
    NotAllowed,
    NotFound,
    OutcomeUnknown,
    SchemaError,
    ServerFull,
    ValidationError,
)

__version__ = "0.1.0"
__all__ = [
    "ActivationCode",
    "Clinic",
    "ClinicDeskError",
    "ConflictError",
    "DatabaseBusy",
    "DatabaseUnavailable",
    "KeyringUnavailable",
    "NotAllowed",
    "NotFound",
    "OutcomeUnknown",
    "PortalSession",
    "SchemaError",
    "ServerFull",
    "ValidationError",
    "__version__",
]

if TYPE_CHECKING:
    from clinic_desk.domain.activation_codes import ActivationCode
    from clinic_desk.domain.portal_sessions import PortalSession
    from clinic_desk.services.clinic import Clinic


def __getattr__(name: str) -> Any:
    # Imported when first asked for: `clinic_desk.domain` stays usable without SQLAlchemy loaded,
    # and the window's start (which imports this package first) pays for none of them.
    if name == "Clinic":
        from clinic_desk.services.clinic import Clinic

        return Clinic
    if name == "ActivationCode":
        from clinic_desk.domain.activation_codes import ActivationCode

        return ActivationCode
    if name == "PortalSession":
        from clinic_desk.domain.portal_sessions import PortalSession

        return PortalSession
    raise AttributeError(name)
