"""What the patient dash shows about one chart: plain values, safe on any thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class PatientChart:
    """The demographics and contact details of one patient."""

    patient_id: int
    mrn: str
    first_name: str
    last_name: str
    preferred_name: str | None
    date_of_birth: date
    sex: str | None
    email: str | None
    phone: str | None
    address_line1: str | None
    address_line2: str | None
    city: str | None
    state: str | None
    zip_code: str | None
    status: str
    created_via: str
    has_photo: bool
    version: int
    updated_at: datetime | None = None

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    def age_on(self, today: date) -> int:
        """Age in whole years on ``today``."""
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@dataclass(frozen=True)
class PatientSummary:
    """One line of a patient search result."""

    patient_id: int
    mrn: str
    first_name: str
    last_name: str
    date_of_birth: date
    email: str | None
    phone: str | None
    status: str

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"
