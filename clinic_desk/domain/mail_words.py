"""What happened to an email, in plain words: waiting to send, delivered, not delivered (and why).

The hover and the wizard say a mail server's reply ("550 5.1.1 <x>: User unknown") in a
receptionist's words ("the mail server says this mailbox does not exist"); the technical
text stays in the details view and the dash's email card.
"""

from __future__ import annotations

import re
from typing import Final

from clinic_desk.domain.codes import EmailStatus
from clinic_desk.domain.facts import EmailFacts
from clinic_desk.domain.links import end_reason_words
from clinic_desk.domain.wording import when

_ENHANCED = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_BASIC = re.compile(r"^\s*([245])\d\d\b")
_GAVE_UP = re.compile(r"^Gave up after .*?Last problem:\s*(.*)$", re.DOTALL)

MAILBOX_MISSING: Final = "the mail server says this mailbox does not exist"
DOMAIN_MISSING: Final = "the mail server says the part after the @ is not a real email domain"
ADDRESS_INVALID: Final = "the mail server says the address is not valid"
MAILBOX_UNAVAILABLE: Final = "the mail server says this mailbox is not available (it may not exist)"
MAILBOX_FULL: Final = "the patient's mailbox is full"
MAILBOX_CLOSED: Final = "the patient's mailbox is closed or disabled"
REFUSED_AS_SPAM: Final = "the patient's mail server refused it as spam or by its rules"
REFUSED: Final = "the patient's mail server refused it"
REFUSED_FOR_NOW: Final = "the patient's mail server turned it away for now"
NOT_REACHED: Final = "the clinic's email server could not be reached"
SERVER_SETUP: Final = "the clinic's email server did not take it (its settings may need checking)"
NO_REASON: Final = "the mail server gave no reason"
_UNREACHABLE: Final = ("connect", "reach", "answer", "could not be found", "closed the connection")

# Words in a reply without an enhanced status code, most telling first.
_KEYWORDS: Final = (
    (("user unknown", "unknown user", "no such user", "does not exist", "not exist"), MAILBOX_MISSING),
    (("mailbox unavailable", "recipient address rejected", "invalid recipient"), MAILBOX_UNAVAILABLE),
    (("domain not found", "host not found", "no mx", "unrouteable"), DOMAIN_MISSING),
    (("quota", "mailbox full", "over quota", "insufficient storage"), MAILBOX_FULL),
    (("spam", "blocked", "blacklist", "blocklist", "policy", "rejected for"), REFUSED_AS_SPAM),
)


def _enhanced_words(subject: str, detail: str) -> str | None:
    if subject == "1":
        return {"1": MAILBOX_MISSING, "2": DOMAIN_MISSING, "10": MAILBOX_MISSING}.get(detail, ADDRESS_INVALID)
    if subject == "2":
        return {"2": MAILBOX_FULL, "1": MAILBOX_CLOSED}.get(detail, MAILBOX_CLOSED)
    if subject == "7":
        return REFUSED_AS_SPAM
    if subject == "4":
        return "the patient's mail server could not be reached"
    return None


def failure_words(reply: str | None) -> str:
    """A server reply or delivery problem as the end of a sentence, e.g. 'the mailbox is full'."""
    text = (reply or "").strip()
    if not text:
        return NO_REASON
    gave_up = _GAVE_UP.match(text)
    if gave_up:
        return f"it kept failing for several hours (last: {failure_words(gave_up.group(1))})"
    enhanced = _ENHANCED.search(text)
    if enhanced:
        grade, subject, detail = enhanced.groups()
        words = _enhanced_words(subject, detail)
        if grade == "4" and words not in (MAILBOX_FULL, None):
            words = REFUSED_FOR_NOW
        if words:
            return words
    lowered = text.lower()
    for needles, words in _KEYWORDS:
        if any(needle in lowered for needle in needles):
            return words
    basic = _BASIC.match(text)
    if basic:
        return REFUSED_FOR_NOW if basic.group(1) == "4" else REFUSED
    if any(word in lowered for word in _UNREACHABLE):
        return NOT_REACHED
    if "mail server" in lowered:
        return SERVER_SETUP
    # Our own sentence ("The email address or subject cannot be used."): already plain.
    text = text.rstrip(".")
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def is_technical(reply: str | None) -> bool:
    """True when the reply is a server's text worth showing apart (in a details view)."""
    text = (reply or "").strip().rstrip(".")
    return bool(text) and failure_words(text).lower() != text.lower()


def delivery_words(mail: EmailFacts) -> str:
    """What became of the email, as the end of a sentence after 'The invitation email to x ...'.

    'is waiting to be sent (since ...)', 'was delivered on ...', 'could not be delivered
    on ...: the mail server says this mailbox does not exist', 'was cancelled and never went out: ...'.
    """
    status = mail.status
    if status == EmailStatus.SENT:
        return f"was delivered on {when(mail.sent_at or mail.queued_at)}"
    if status == EmailStatus.FAILED:
        return f"could not be delivered on {when(mail.failed_at)}: {failure_words(mail.failure_reason)}"
    if status == EmailStatus.CANCELLED:
        return f"was cancelled and never went out: {end_reason_words(mail.cancel_reason)}"
    return f"is waiting to be sent (since {when(mail.queued_at)})"


def delivery_state(mail: EmailFacts) -> str:
    """The same as a detail row's value: 'Waiting to send since ...', 'Delivered ...'."""
    status = mail.status
    if status == EmailStatus.SENT:
        return f"Delivered {when(mail.sent_at or mail.queued_at)}"
    if status == EmailStatus.FAILED:
        return f"Not delivered ({when(mail.failed_at)}): {failure_words(mail.failure_reason)}"
    if status == EmailStatus.CANCELLED:
        return f"Cancelled, never sent: {end_reason_words(mail.cancel_reason)}"
    return f"Waiting to send since {when(mail.queued_at)}"
