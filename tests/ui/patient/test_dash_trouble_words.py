"""Which trouble spots the dash shows and how short it says them; the keyboard's hints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtGui import QTextDocument

from clinic_desk.domain.facts import LinkFacts
from clinic_desk.domain.wording import when
from clinic_desk.ui.patient.dash_trouble import dash_troubles
from clinic_desk.ui.patient.status_text import (
    KEY_DETAILS_HINT,
    KEY_FIX_HINT,
    KEY_HELP_HINT,
    NO_PATIENT_WORDS,
    status_words,
    tooltip_html,
)

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)


def plain(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def test_nothing_to_say_while_unknown_or_healthy(make_status):
    assert dash_troubles(None) == []
    assert dash_troubles(make_status("blue")) == []


def test_a_lock_past_today_says_the_day_too(make_status):
    until = NOW + timedelta(days=2)
    status = make_status("blue", locked_until=until, failed_logins=7)
    (locked,) = [trouble for trouble in dash_troubles(status) if trouble.code == "account_locked"]
    assert locked.line == f"Locked after 7 failed logins — until {when(until)}"
    assert locked.chip == "Locked"
    assert locked.message == status.trouble("account_locked").message


def test_most_urgent_first_and_a_reset_link_is_named(make_status):
    link = LinkFacts(
        kind="reset",
        sent_to="jane@example.com",
        created_at=NOW - timedelta(days=9),
        expires_at=NOW - timedelta(days=2),
    )
    status = make_status("blue", newest_link=link, locked_until=NOW + timedelta(minutes=10), failed_logins=5)
    troubles = dash_troubles(status)
    assert [trouble.code for trouble in troubles] == ["account_locked", "invitation_expired"]
    day_words = when(link.expires_at).partition(" at ")[0]
    assert troubles[1].line == f"Password-reset link expired on {day_words}"


def test_keyboard_hints_name_the_key(make_status):
    assert KEY_FIX_HINT in plain(tooltip_html(make_status("red"), by_keyboard=True))
    assert KEY_HELP_HINT in plain(tooltip_html(make_status("blue"), by_keyboard=True))
    deceased = plain(tooltip_html(make_status("red", patient_status="deceased"), by_keyboard=True))
    assert KEY_DETAILS_HINT in deceased and "Click" not in deceased


def test_no_patient_is_not_checking_anything():
    assert status_words("", patient_open=False) == NO_PATIENT_WORDS
    assert status_words("") == "Checking portal status"  # a patient is loading
    assert NO_PATIENT_WORDS in plain(tooltip_html(None))
