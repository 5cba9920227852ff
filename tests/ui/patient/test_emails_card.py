"""The dash's "Portal emails" card, fed by clinic.mail.timeline: delivery, reasons, tries, the link's fate."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QToolTip

from clinic_desk import Clinic
from clinic_desk.ui.mail.mail_tools import install_mail_tools
from clinic_desk.ui.patient.emails_card import DELIVERY, DETAILS, KIND, LINK, STATUS_WORDS, TO, EmailsCard
from tests.smtp_server import SmtpTestServer

REFUSAL = (
    550,
    "5.1.1 <jane.doe@example.com>: Recipient address rejected: User unknown in virtual mailbox table "
    "(the mailbox was closed by its owner in January)",
)


def _patient(clinic: Clinic, first: str, email: str) -> int:
    patient = clinic.staff.add_patient(
        first_name=first,
        last_name="Doe",
        date_of_birth=date(1980, 3, 14),
        email=email,
        zip_code="02139",
        actor="frontdesk",
    )
    clinic.staff.set_portal_access(patient, enabled=True, actor="frontdesk")
    return patient


def _token(clinic: Clinic, patient: int) -> str:
    link = clinic.mail.outbox(patient)[0].link
    assert link is not None
    return link.split("token=", 1)[1]


@pytest.fixture
def history(clinic: Clinic, clock: Any) -> dict[str, Any]:
    """Jane's emails, newest first: waiting (server down), not delivered (550), used, replaced."""
    server = SmtpTestServer().start()
    try:
        clinic.update_settings(actor="admin", **server.settings())
        jane = _patient(clinic, "Jane", "jane.doe@example.com")
        clinic.staff.send_invitation(jane, actor="frontdesk")
        clinic.mail.deliver_now()
        clock.advance(hours=1)
        clinic.staff.send_invitation(jane, actor="frontdesk")  # replaces the first link
        token = _token(clinic, jane)  # the outbox shows the link only while the email is queued
        clinic.mail.deliver_now()
        clinic.portal.accept_invitation(token, username="janedoe", password="Str0ng-pass-123!")
        clock.advance(hours=1)
        server.handler.refuse_recipients = REFUSAL
        clinic.staff.send_invitation(jane, actor="frontdesk")  # a reset now: she has a username
        clinic.mail.deliver_now()
        clock.advance(hours=1)
        server.stop()
        clinic.staff.send_invitation(jane, actor="frontdesk")
        clinic.mail.deliver_now()
        lapsed = _patient(clinic, "Lapsed", "lapsed@example.com")
        server.handler.refuse_recipients = None
        server.start()
        clinic.staff.send_invitation(lapsed, actor="frontdesk")
        clinic.mail.deliver_now()
        bodies = [message.body for message in clinic.mail.outbox(jane)]
        return {"jane": jane, "lapsed": lapsed, "server": server, "bodies": bodies}
    finally:
        server.stop()


@pytest.fixture
def window_with_card(make_window: Any, clinic: Clinic) -> Iterator[Any]:
    """The main window at 1280x800 with its mail tools (the sender not started)."""
    window = make_window(clinic, persist=False)
    window.resize(1280, 800)  # the window now opens to fit the test's small offscreen screen
    tools = install_mail_tools(window, clinic, start=False)
    yield window
    assert tools.stop()


def _open(qtbot: Any, window: Any, patient: int) -> EmailsCard:
    card: EmailsCard = window.dash.emails_card
    with qtbot.waitSignal(card.timeline_shown, timeout=10_000, check_params_cb=lambda pid: pid == patient):
        window.open_patient(patient)
    return card


def _rows(card: EmailsCard) -> list[list[str]]:
    table = card.table
    return [
        [table.topLevelItem(row).text(column) for column in range(table.columnCount())]
        for row in range(table.topLevelItemCount())
    ]


def test_card_shows_sent_failed_and_waiting_with_the_reason(qtbot, clinic, history, window_with_card):
    card = _open(qtbot, window_with_card, history["jane"])
    rows = _rows(card)
    assert [row[KIND] for row in rows] == ["Password reset", "Password reset", "Invitation", "Invitation"]
    assert all(row[TO] == "jane.doe@example.com" for row in rows)
    assert [row[DELIVERY] for row in rows] == ["Waiting to send", "Not delivered", "Sent", "Sent"]

    waiting, failed, used, replaced = rows
    assert waiting[DETAILS].startswith("1 try failed; next ")
    assert "Nothing answers" in waiting[DETAILS]
    assert "550 5.1.1" in failed[DETAILS]
    assert used[LINK].startswith("Used ")
    assert replaced[LINK].startswith("Cancelled ")
    assert waiting[LINK] == "Once sent"  # a link starts to work when its email goes out
    assert failed[LINK].startswith("Cancelled ")  # the newer reset replaced its link

    table = card.table
    waiting_tip = table.topLevelItem(0).toolTip(DELIVERY)
    assert "Next try" in waiting_tip and "1 try failed" in waiting_tip
    failed_tip = table.topLevelItem(1).toolTip(DELIVERY)
    assert " ".join(REFUSAL[1].split()) in " ".join(failed_tip.split())  # the whole reason, wrapped
    assert "Queued" in failed_tip and "Not delivered" in failed_tip


def test_card_never_shows_a_link_or_a_body(qtbot, clinic, history, window_with_card):
    card = _open(qtbot, window_with_card, history["jane"])
    table = card.table
    shown = " ".join(
        table.topLevelItem(row).text(column) + " " + table.topLevelItem(row).toolTip(column)
        for row in range(table.topLevelItemCount())
        for column in range(table.columnCount())
    )
    assert "token=" not in shown
    assert "http" not in shown
    for body in history["bodies"]:
        first_line = next(line for line in body.splitlines() if line.strip())
        assert first_line not in shown


def test_an_expired_link_says_so(qtbot, clinic, clock, history, window_with_card):
    clock.advance(days=8)
    card = _open(qtbot, window_with_card, history["lapsed"])
    rows = _rows(card)
    assert rows[0][DELIVERY] == "Sent"
    assert rows[0][LINK].startswith("Expired ")
    assert "expired unused" in card.table.topLevelItem(0).toolTip(LINK)


def test_long_reason_tooltip_on_hover_event(qtbot, clinic, history, window_with_card):
    card = _open(qtbot, window_with_card, history["jane"])
    table = card.table
    rect = table.visualItemRect(table.topLevelItem(1))
    x = table.header().sectionPosition(DETAILS) + 10
    pos = QPoint(x, rect.center().y())
    event = QHelpEvent(QEvent.Type.ToolTip, pos, table.viewport().mapToGlobal(pos))
    QApplication.sendEvent(table.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert " ".join(REFUSAL[1].split()) in " ".join(QToolTip.text().split())
    QToolTip.hideText()


def test_card_fits_the_dash_at_1280_by_800(qtbot, clinic, history, window_with_card):
    window = window_with_card
    assert (window.width(), window.height()) == (1280, 800)
    card = _open(qtbot, window, history["jane"])
    scroll = window.dash.findChild(QScrollArea, "dashScroll")
    assert scroll is not None
    # Once the layout has settled (posted layout requests), nothing scrolls sideways.
    qtbot.waitUntil(lambda: not scroll.horizontalScrollBar().isVisible())
    table = card.table
    header = table.header()
    used = sum(header.sectionSize(column) for column in range(table.columnCount()))
    assert used <= table.viewport().width()
    for column in (KIND, TO, DELIVERY, LINK):  # short cells are never cut
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), column
    assert table.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_switching_patients_never_shows_the_previous_patients_emails(
    qtbot, clinic, history, window_with_card
):
    window = window_with_card
    card = _open(qtbot, window, history["jane"])
    assert card.table.topLevelItemCount() == 4
    seen: list[list[str]] = []
    window.session.patient_loaded.connect(lambda _view: seen.append([row[TO] for row in _rows(card)]))
    card = _open(qtbot, window, history["lapsed"])
    assert seen and all(address == "lapsed@example.com" for rows in seen for address in rows)
    assert [row[TO] for row in _rows(card)] == ["lapsed@example.com"]


def test_a_patient_without_emails_shows_the_empty_line(qtbot, clinic, window_with_card):
    nobody = _patient(clinic, "Nora", "nora@example.com")
    card = _open(qtbot, window_with_card, nobody)
    assert card.table.isHidden()
    assert not card.empty_label.isHidden()


def test_a_cancelled_email_says_why_in_plain_words():
    from types import SimpleNamespace

    from clinic_desk.domain.links import LinkState
    from clinic_desk.ui.patient.emails_card import delivery_details, email_tooltip, link_words
    from clinic_desk.ui.wizard.email_history import email_line

    now = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    email = SimpleNamespace(
        kind="invitation",
        to="rita@oldjob.example",
        status="cancelled",
        attempts=0,
        queued_at=now,
        sent_at=None,
        failed_at=None,
        cancelled_at=now,
        cancel_reason="email_changed",
        next_attempt_at=None,
        failure_reason=None,
        link_state=LinkState.REVOKED,
        link_expires_at=now,
        link_used_at=None,
        link_revoked_at=now,
        link_revoke_reason="email_changed",
    )
    assert STATUS_WORDS[email.status] == "Cancelled"
    assert "the email on file changed" in delivery_details(email)
    assert "never sent, because the email on file changed" in email_tooltip(email)
    assert "the email on file changed" in link_words(email)[1]
    line = email_line(email)
    assert "cancelled" in line and "never sent: the email on file changed" in line
    assert "because the email on file changed" in line
