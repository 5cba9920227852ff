"""Patient-side guards shared by every portal path: what was typed made safe, the limits, one answer."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from clinic_desk.domain.errors import NotAllowed
from clinic_desk.domain.links import LinkState
from clinic_desk.domain.text_rules import PATIENT_ACTOR
from clinic_desk.services import attempts, audit
from clinic_desk.services.attempts import Limit
from clinic_desk.services.context import ServiceContext
from clinic_desk.services.settings import ClinicSettings

T = TypeVar("T")

# The one answer for unknown, disabled, locked and wrong, on every patient path.
REFUSED = "We could not do that with the details given. Check them and try again later, or call the clinic."
DEAD_LINK_WORDS = {
    LinkState.USED: "This link has already been used. Ask the clinic to send a new one.",
    LinkState.REVOKED: (
        "This link no longer works: a newer email or a change at the clinic replaced it. "
        "Use the newest email from the clinic, or call the clinic."
    ),
    LinkState.EXPIRED: "This link has expired. Ask the clinic to send a new one.",
}

TYPED_KEY_LIMIT = 254
SOURCE_LIMIT = 64
USERNAME_LIMIT = 64


@dataclass(frozen=True)
class Refusal:
    """A patient-side attempt refused once it was counted and audited.

    The service returns it instead of raising, so the count and the audit entry commit;
    the facade then raises ``NotAllowed`` with :attr:`message` (see :func:`refused_or`).
    """

    message: str = REFUSED
    field: str | None = None


def refused_or(result: T | Refusal) -> T:
    """The result of a committed patient-side call, or its refusal raised as ``NotAllowed``."""
    if isinstance(result, Refusal):
        raise NotAllowed(result.message, field=result.field)
    return result


# ----- what the patient typed, made safe to look up and to store -----


def printable(text: str) -> str:
    """Without control characters or lone surrogates (no database stores those)."""
    return "".join(
        ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cs") and not 0xD800 <= ord(ch) <= 0xDFFF
    )


def typed_key(value: object) -> str:
    """A typed username as it is compared and stored in events: trimmed, lower-cased, printable."""
    if not isinstance(value, str):
        return ""
    return printable(value).strip().lower()[:TYPED_KEY_LIMIT]


def secret_text(value: object) -> str:
    """A typed password as the hasher reads it ("" for anything that is not text)."""
    return value if isinstance(value, str) else ""


def clean_source(value: object) -> str | None:
    """The client address given as ``source=``, as it is counted and stored (None when absent)."""
    if not isinstance(value, str):
        return None
    text = printable(value).strip()[:SOURCE_LIMIT]
    return text or None


# ----- the limits -----


def source_limit(settings: ClinicSettings) -> Limit:
    return Limit(attempts.SOURCE, settings.source_attempt_limit, settings.attempt_window)


def identity_limit(settings: ClinicSettings) -> Limit:
    return Limit(attempts.IDENTITY, settings.claim_attempt_limit, settings.attempt_window)


def is_source_locked(session: Session, ctx: ServiceContext, source: str | None) -> bool:
    if source is None:
        return False
    limit = source_limit(ctx.settings)
    return attempts.is_locked(session, limit, attempts.key_hash(limit.scope, source), ctx.now())


def count_source(session: Session, ctx: ServiceContext, source: str | None) -> None:
    if source is not None:
        limit = source_limit(ctx.settings)
        attempts.count_failure(session, limit, attempts.key_hash(limit.scope, source), ctx.now())


def refuse(
    session: Session,
    ctx: ServiceContext,
    *,
    action: str,
    why: str,
    source: str | None,
    patient_ids: list[int] | tuple[int, ...] = (),
    **facts: object,
) -> Refusal:
    """Count the failure against the client address, audit it (on each chart concerned), refuse."""
    count_source(session, ctx, source)
    for patient_id in patient_ids or (None,):
        audit.record(
            session,
            at=ctx.now(),
            actor=PATIENT_ACTOR,
            action=action,
            patient_id=patient_id,
            after={"why": why, "source": source, **facts},
        )
    return Refusal()


def identity_key(*parts: str) -> str:
    return attempts.key_hash(attempts.IDENTITY, *parts)


def from_source(source: str | None) -> str | None:
    """'from 203.0.113.7', for an audit note; None without a source."""
    return f"from {source}" if source else None
