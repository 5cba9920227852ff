"""The wizard's email list says a bounce in plain words (issue 10, item 11)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from clinic_desk.ui.wizard.email_history import email_line

AT = datetime(2026, 2, 27, 9, 0, tzinfo=UTC)


def _row(**changes: object) -> SimpleNamespace:
    values: dict[str, object] = {
        "kind": "confirmation",
        "to": "jane@example.com",
        "status": "failed",
        "queued_at": AT,
        "sent_at": None,
        "failed_at": AT,
        "failure_reason": "550 5.1.1 <jane@example.com>: User unknown",
        "link_state": None,
    }
    values.update(changes)
    return SimpleNamespace(**values)


def test_bounce_in_plain_words():
    line = email_line(_row())
    assert "NOT DELIVERED" in line
    assert "the mail server says this mailbox does not exist" in line
    assert "550" not in line


def test_retry_in_plain_words():
    line = email_line(_row(status="queued", failed_at=None, failure_reason="452 4.2.2 Mailbox full"))
    assert "waiting to be sent" in line and "the patient's mailbox is full" in line and "452" not in line
