"""What happened to an email, in plain words (issue 10, item 11): never a raw server reply."""

from __future__ import annotations

import pytest

from clinic_desk.domain.links import EndReason
from clinic_desk.domain.mail_words import delivery_state, delivery_words, failure_words, is_technical
from clinic_desk.domain.wording import when
from tests.domain.factories import YESTERDAY, failed_email


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (
            "550 5.1.1 <ana@example.com>: Recipient address rejected: User unknown",
            "the mail server says this mailbox does not exist",
        ),
        ("550 no such user", "the mail server says this mailbox does not exist"),
        ("550 5.1.2 Host unknown", "the mail server says the part after the @ is not a real email domain"),
        ("552 5.2.2 Mailbox full", "the patient's mailbox is full"),
        ("452 4.2.2 Over quota", "the patient's mailbox is full"),
        (
            "554 5.7.1 Message rejected as spam",
            "the patient's mail server refused it as spam or by its rules",
        ),
        ("421 4.7.0 Try again later", "the patient's mail server turned it away for now"),
        ("554 Transaction failed", "the patient's mail server refused it"),
        (
            "Could not connect to the mail server at 127.0.0.1:25.",
            "the clinic's email server could not be reached",
        ),
        (
            "Nothing answers at 127.0.0.1:1: the mail server is down.",
            "the clinic's email server could not be reached",
        ),
        (
            "The mail server 127.0.0.1:25 refused the user name or password (535 no). Check Settings.",
            "the clinic's email server did not take it (its settings may need checking)",
        ),
        ("The email address or subject cannot be used.", "the email address or subject cannot be used"),
        (None, "the mail server gave no reason"),
        (
            "Gave up after 8 attempts over several hours. Last problem: 452 4.2.2 Mailbox full",
            "it kept failing for several hours (last: the patient's mailbox is full)",
        ),
    ],
)
def test_failure_words_say_a_server_reply_in_plain_words(reply: str | None, words: str) -> None:
    assert failure_words(reply) == words
    assert not any(char.isdigit() for char in failure_words(reply))


def test_is_technical_tells_server_replies_from_plain_sentences() -> None:
    assert is_technical("550 5.1.1 User unknown")
    assert not is_technical("The email address or subject cannot be used.")
    assert not is_technical(None)


def test_delivery_words_for_each_status() -> None:
    queued = failed_email(status="queued", failed_at=None, failure_reason=None)
    sent = failed_email(status="sent", sent_at=YESTERDAY, failed_at=None, failure_reason=None)
    bounced = failed_email(failure_reason="550 5.1.1 User unknown")
    cancelled = failed_email(
        status="cancelled", failed_at=None, failure_reason=None, cancel_reason=EndReason.EMAIL_CHANGED
    )
    assert delivery_words(queued) == f"is waiting to be sent (since {when(queued.queued_at)})"
    assert delivery_words(sent) == f"was delivered on {when(YESTERDAY)}"
    assert delivery_words(bounced) == (
        f"could not be delivered on {when(bounced.failed_at)}: "
        "the mail server says this mailbox does not exist"
    )
    assert delivery_words(cancelled) == "was cancelled and never went out: the email on file changed"
    assert delivery_state(queued).startswith("Waiting to send since")
    assert delivery_state(sent).startswith("Delivered")
    assert delivery_state(bounced).startswith("Not delivered")
    assert delivery_state(cancelled).startswith("Cancelled, never sent")
    for mail in (queued, bounced, cancelled):
        assert "sent to" not in delivery_words(mail) and "was sent" not in delivery_words(mail)
