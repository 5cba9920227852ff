"""The hover's words (issue 10, item 11): no fix promised for a deceased patient, no raw server text."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QTextDocument

from clinic_desk.domain.facts import EmailFacts
from clinic_desk.ui.patient.status_text import accessible_description, tooltip_html

BOUNCED = EmailFacts(
    kind="invitation",
    to="jane@example.com",
    status="failed",
    queued_at=datetime(2026, 2, 27, 9, 0, tzinfo=UTC),
    failed_at=datetime(2026, 2, 27, 9, 1, tzinfo=UTC),
    failure_reason="550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown",
)


def plain(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def test_deceased_hover_does_not_offer_a_fix(make_status):
    status = make_status("red", patient_status="deceased")
    text = plain(tooltip_html(status, patient_name="Jane Doe"))
    assert "Click the icon to fix this" not in text
    assert "Click the icon for details." in text


def test_other_red_hovers_still_offer_the_fix(make_status):
    assert "Click the icon to fix this." in plain(tooltip_html(make_status("red")))


def test_bounce_is_said_in_plain_words_without_the_server_reply(make_status):
    status = make_status("gold", newest_email=BOUNCED)
    for text in (plain(tooltip_html(status)), accessible_description(status)):
        assert "the mail server says this mailbox does not exist" in text
        assert "550" not in text and "5.1.1" not in text and "Recipient address rejected" not in text
