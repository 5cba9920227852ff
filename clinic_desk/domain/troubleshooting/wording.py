"""Sentences the steps and tips share: emails and links, delivery failures, whitelisting, quotes."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from clinic_desk.domain import codes
from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.facts import EmailFacts, LinkFacts
from clinic_desk.domain.links import LinkState, link_state_words
from clinic_desk.domain.mail_words import delivery_state, delivery_words, is_technical
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


def delivery_details(mail: EmailFacts) -> tuple[Detail, ...]:
    """What became of the email as detail rows; a server's own reply only here, in the details view."""
    rows = [Detail("Delivery", delivery_state(mail))]
    if mail.status == EmailStatus.FAILED and is_technical(mail.failure_reason):
        rows.append(Detail("Server's reply", (mail.failure_reason or "").strip()))
    return tuple(rows)


def mail_sentence(mail: EmailFacts) -> str:
    """'The invitation email to <to> is waiting to be sent / was delivered / could not be delivered ...'."""
    return f"The {email_word(mail.kind)} email to {mail.to} {delivery_words(mail)}."


def failure_sentence(mail: EmailFacts) -> str:
    """'The invitation email to <to> could not be delivered on <when>: <plain reason>.'"""
    return mail_sentence(mail)


_LINK_VERBS = {
    LinkState.ACTIVE: "is ",
    LinkState.USED: "was ",
    LinkState.REVOKED: "was ",
    LinkState.EXPIRED: "",
}


def link_words(link: LinkFacts, now: datetime) -> str:
    """'is valid until <when>', 'expired unused on <when>', 'was used on <when>'."""
    state = link.state(now)
    words = link_state_words(
        state,
        used_at=link.used_at,
        revoked_at=link.revoked_at,
        expires_at=link.expires_at,
        revoke_reason=link.revoke_reason,
    )
    return f"{_LINK_VERBS[state]}{words}"


def link_sentence(link: LinkFacts, now: datetime) -> str:
    """'The newest invitation link went out on <when> and is valid until <when>.'"""
    return (
        f"The newest {email_word(link.kind)} link went out on {when(link.created_at)} "
        f"and {link_words(link, now)}."
    )


def email_sentence(mail: EmailFacts, *, named: bool = True) -> str:
    """How the newest email went: waiting to be sent, delivered, not delivered or cancelled.

    ``named=False`` leaves the address out (a detail row beside the words shows it).
    """
    if mail.status == EmailStatus.FAILED and named:
        return failure_sentence(mail)
    to = f" to {mail.to}" if named else ""
    return f"The newest {email_word(mail.kind)} email{to} {delivery_words(mail)}."


def quoted(text: str, end: str = "") -> str:
    """'"Patient asked to pause."': a note in quotes, ending with one full stop at most."""
    text = text.strip()
    if end and not text.endswith((".", "!", "?")):
        text += end
    return f'"{text}"'


def whitelist_words(advice: ClinicAdvice, *, resend: bool) -> str:
    """Spam folder, 'Not spam', whitelist the sender or the domain.

    Each of the sender and the domain is named once (the detail rows show them too).
    """
    words = (
        "ask the patient to look in the Spam or Junk folder (and Gmail's Promotions and Updates tabs) "
        f"for mail from {advice.sender_address}, mark it 'Not spam', and add that sender to their "
        f"contacts or safe senders, or whitelist the domain {advice.whitelist_domain}"
    )
    if resend:
        return f"If emails from {advice.clinic_name} do not arrive, {words}. Then send the email again."
    return words[0].upper() + words[1:] + "."


def whitelist_details(advice: ClinicAdvice) -> tuple[Detail, ...]:
    """The sender and domain to whitelist, as detail rows."""
    return (Detail("Sender", advice.sender_address), Detail("Whitelist domain", advice.whitelist_domain))
