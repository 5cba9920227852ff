"""Clinic Desk: see and fix a patient's patient-portal access from the front desk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clinic_desk.domain.activation_codes import ActivationCode
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
from clinic_desk.domain.portal_sessions import PortalSession

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
    from clinic_desk.services.clinic import Clinic


def __getattr__(name: str) -> Any:
    # Imported lazily so `clinic_desk.domain` stays usable without SQLAlchemy loaded.
    if name == "Clinic":
        from clinic_desk.services.clinic import Clinic

        return Clinic
    raise AttributeError(name)
