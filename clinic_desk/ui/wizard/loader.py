"""What the wizard shows for one patient: taken from the patient snapshot, never read twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clinic_desk.domain.troubleshooting import TroubleshootingPlan
from clinic_desk.domain.whitelisting import WhitelistAdvice

if TYPE_CHECKING:
    from clinic_desk import Clinic


@dataclass(frozen=True)
class WizardData:
    """The plan and what goes with it: the email history and the provider's whitelisting steps."""

    plan: TroubleshootingPlan
    emails: tuple[Any, ...]  # EmailTimelineEntry, newest first: never a body or a link
    more_emails: bool  # older emails exist beyond these
    whitelisting: WhitelistAdvice | None
    chart_version: int | None = None  # the chart as read: a contact save is checked against it


def wizard_data_of(snapshot: Any) -> WizardData:
    """The wizard's part of a :class:`PatientSnapshot` (pure: no database, no widget)."""
    return WizardData(
        plan=snapshot.plan,
        emails=tuple(snapshot.emails),
        more_emails=snapshot.more_emails,
        whitelisting=snapshot.whitelisting,
        chart_version=snapshot.chart.version,
    )


def load_wizard_data(clinic: Clinic, patient_id: int) -> WizardData:
    """Read the patient snapshot and keep the wizard's part (blocking: worker threads only)."""
    return wizard_data_of(clinic.patient_snapshot(patient_id))
