"""What the wizard reads for one patient, in one background call (never on the GUI thread)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from clinic_desk.domain.troubleshooting import EMAILS_NOT_ARRIVING, WHITELIST_ADVICE, TroubleshootingPlan
from clinic_desk.domain.whitelisting import WhitelistAdvice, whitelisting_advice

if TYPE_CHECKING:
    from clinic_desk import Clinic

#: How many emails the history shows (newest first).
HISTORY_LIMIT = 5


@dataclass(frozen=True)
class EmailRow:
    """One email to the patient as the wizard shows it: never its body or its link."""

    kind: str
    to: str
    status: str  # "queued" | "sent" | "failed"
    queued_at: datetime
    sent_at: datetime | None
    failed_at: datetime | None
    failure_reason: str | None
    link_expires_at: datetime | None
    link_used_at: datetime | None
    link_expired: bool


@dataclass(frozen=True)
class WizardData:
    """The plan and what goes with it: the email history and the provider's whitelisting steps."""

    plan: TroubleshootingPlan
    emails: tuple[EmailRow, ...]
    email_count: int
    whitelisting: WhitelistAdvice | None


def load_wizard_data(clinic: Clinic, patient_id: int) -> WizardData:
    """Read the plan, the email history and the whitelisting advice (runs on a worker thread)."""
    view = clinic.troubleshooting_view(patient_id)  # one read for all of it
    plan = view.plan
    now = clinic.now()
    emails = tuple(
        EmailRow(
            kind=message.kind,
            to=message.to,
            status=message.status,
            queued_at=message.queued_at,
            sent_at=message.sent_at,
            failed_at=message.failed_at,
            failure_reason=message.failure_reason,
            link_expires_at=message.link_expires_at,
            link_used_at=message.link_used_at,
            link_expired=(
                message.link_used_at is None
                and message.link_expires_at is not None
                and message.link_expires_at <= now
            ),
        )
        for message in view.emails[:HISTORY_LIMIT]
    )
    advice = None
    if any(step.id == WHITELIST_ADVICE for step in plan.steps) or any(
        tip.id == EMAILS_NOT_ARRIVING for tip in plan.tips
    ):
        settings = clinic.settings
        advice = whitelisting_advice(view.email, settings.sender_address, settings.whitelist_domain)
    return WizardData(plan=plan, emails=emails, email_count=len(view.emails), whitelisting=advice)
