"""What every step builder reads: the patient's status, facts and the clinic's advice, digested once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from clinic_desk.domain import codes
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.email_checks import is_placeholder, suggest_email
from clinic_desk.domain.facts import EmailFacts, PortalFacts
from clinic_desk.domain.status import PortalStatus
from clinic_desk.domain.troubleshooting.advice import ClinicAdvice
from clinic_desk.domain.troubleshooting.credentials import placeholder_email_for


@dataclass(frozen=True)
class PlanContext:
    """One patient's inputs to the plan, with the names and flags the wording needs."""

    status: PortalStatus
    facts: PortalFacts
    advice: ClinicAdvice
    born: date | None  # from the chart, quoted in the self-signup guide and the match check
    now: datetime
    name: str  # 'Maria Lopez', or 'the patient'
    first: str  # 'Maria', or 'the patient'
    reasons: frozenset[str]
    spots: frozenset[str]
    all_codes: frozenset[str]
    email: str | None  # the email on file, trimmed; None when blank
    placeholder: bool  # the email on file is a placeholder
    real_email: bool  # an email on file that can receive mail
    typo: str | None  # what the patient probably meant, when the email looks mistyped
    failed_mail: EmailFacts | None  # the newest email, when it could not be delivered
    username: str | None
    unconfirmed: bool  # registered online and never clicked the confirmation link
    placeholder_address: str  # the placeholder email this patient would get

    @classmethod
    def of(
        cls, status: PortalStatus, facts: PortalFacts, advice: ClinicAdvice, born: date | None
    ) -> PlanContext:
        """Digest the inputs once; nothing here changes them."""
        reasons = frozenset(status.reason_codes)
        spots = frozenset(status.trouble_codes)
        email = (facts.email or "").strip() or None
        placeholder = is_placeholder(
            email, facts.placeholder_domain, facts.placeholder_addresses
        ) or is_placeholder(email, advice.placeholder_domain, facts.placeholder_addresses)
        real_email = email is not None and not placeholder
        mail = facts.newest_email
        return cls(
            status=status,
            facts=facts,
            advice=advice,
            born=born,
            now=status.evaluated_at,
            name=facts.full_name or "the patient",
            first=facts.first_name.strip() or "the patient",
            reasons=reasons,
            spots=spots,
            all_codes=reasons | spots,
            email=email,
            placeholder=placeholder,
            real_email=real_email,
            typo=suggest_email(email) if real_email else None,
            failed_mail=mail if mail is not None and mail.status == EmailStatus.FAILED else None,
            username=(facts.username or "").strip() or None,
            unconfirmed=codes.REGISTRATION_UNCONFIRMED in reasons,
            placeholder_address=placeholder_email_for(facts.mrn, advice.placeholder_domain, facts.patient_id),
        )

    def found(self, *candidates: str) -> tuple[str, ...]:
        """Those of the candidate reason and trouble-spot codes that apply, in the order given."""
        return tuple(code for code in candidates if code in self.all_codes)
