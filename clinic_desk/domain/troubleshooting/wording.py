"""Sentences the steps and tips share: emails and links, delivery failures, whitelisting, quotes."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from clinic_desk.domain import codes
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.facts import EmailFacts, LinkFacts
from clinic_desk.domain.links import LinkState, end_reason_words, link_state_words
from clinic_desk.domain.troubleshooting.advice import ClinicAdvice
from clinic_desk.domain.troubleshooting.plan import Detail
from clinic_desk.domain.wording import when

_EMAIL_WORDS: Final = {
    codes.CONFIRMATION: "registration confirmation",
    codes.INVITATION: "invitation",
    codes.RESET: "password-reset",
}


def email_word(kind: str) -> str:
    """'invitation', 'password-reset', 'registration confirmation': how the words name an email."""
    return _EMAIL_WORDS.get(kind, kind)


def failure_words(mail: EmailFacts) -> str:
    """'failed on <when>: <reason>', for a detail row."""
    return f"failed on {when(mail.failed_at)}: {mail.failure_reason or 'no reason given'}"


def failure_sentence(mail: EmailFacts) -> str:
    """'The invitation email to <to> could not be delivered on <when> (<reason>).'"""
    return (
        f"The {email_word(mail.kind)} email to {mail.to} could not be delivered on {when(mail.failed_at)} "
        f"({mail.failure_reason or 'no reason given'})."
    )


_LINK_VERBS = {
    LinkState.ACTIVE: "is ",
    LinkState.USED: "was ",
    LinkState.REVOKED: "was ",
    LinkState.EXPIRED: "",
}


def link_sentence(link: LinkFacts, now: datetime) -> str:
    """'The newest invitation link went to <to> on <when> and is valid until <when>.'"""
    state = link.state(now)
    words = link_state_words(
        state,
        used_at=link.used_at,
        revoked_at=link.revoked_at,
        expires_at=link.expires_at,
        revoke_reason=link.revoke_reason,
    )
    return (
        f"The newest {email_word(link.kind)} link went to {link.sent_to} on {when(link.created_at)} "
        f"and {_LINK_VERBS[state]}{words}."
    )


def email_sentence(mail: EmailFacts) -> str:
    """How the newest email went: sent, waiting to be sent, or not delivered."""
    word = email_word(mail.kind)
    if mail.status == EmailStatus.FAILED:
        return failure_sentence(mail)
    if mail.status == EmailStatus.SENT:
        sent = when(mail.sent_at or mail.queued_at)
        return f"The newest email ({word}) was sent to {mail.to} on {sent}."
    if mail.status == EmailStatus.CANCELLED:
        return (
            f"The newest email ({word}) to {mail.to} was cancelled and never sent, because "
            f"{end_reason_words(mail.cancel_reason)}."
        )
    return f"The newest email ({word}) to {mail.to} is waiting to be sent (since {when(mail.queued_at)})."


def quoted(text: str, end: str = "") -> str:
    """'"Patient asked to pause."': a note in quotes, ending with one full stop at most."""
    text = text.strip()
    if end and not text.endswith((".", "!", "?")):
        text += end
    return f'"{text}"'


def whitelist_words(advice: ClinicAdvice, *, resend: bool) -> str:
    """Spam folder, search for the sender, 'Not spam', whitelist the sender or the domain."""
    sender = advice.sender_address
    domain = advice.whitelist_domain
    words = (
        "ask the patient to check the Spam or Junk folder (and Gmail's Promotions and Updates tabs); "
        f"search the mailbox for {sender}; if the email is there, mark it 'Not spam'; then add "
        f"{sender} to their contacts or safe senders, or whitelist the whole domain {domain}"
    )
    if resend:
        return f"If emails from {advice.clinic_name} do not arrive, {words}. Then send the email again."
    return words + "."


def whitelist_details(advice: ClinicAdvice) -> tuple[Detail, ...]:
    """The sender and domain to whitelist, as detail rows."""
    return (Detail("Sender", advice.sender_address), Detail("Whitelist domain", advice.whitelist_domain))
