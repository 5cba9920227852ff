"""Issue 13: colours the dash paints in code follow the light and the dark theme (WCAG contrast)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QFrame, QPushButton, QVBoxLayout, QWidget

from clinic_desk.ui.colors import DARK, LIGHT, ThemeColors, contrast_ratio
from clinic_desk.ui.patient.emails_card import DELIVERY, DETAILS, LINK, EmailsCard
from clinic_desk.ui.patient.history_card import HEADERS, HistoryCard
from clinic_desk.ui.patient.secure_message_icon import SecureMessageIcon
from clinic_desk.ui.theme import apply_theme, reset_theme

NOW = datetime(2026, 3, 2, 15, 5).astimezone()


@pytest.fixture(params=[LIGHT, DARK], ids=["light", "dark"])
def theme(request: Any, qapp: QApplication) -> Iterator[ThemeColors]:
    yield apply_theme(qapp, request.param)
    reset_theme(qapp)


def _email(status: str, link_state: str) -> SimpleNamespace:
    return SimpleNamespace(
        kind="invitation",
        to="ann.lee@riverside-family-practice.example.com",
        status=status,
        attempts=1,
        failure_reason="550 5.1.1 mailbox unavailable",
        queued_at=NOW - timedelta(hours=2),
        sent_at=NOW - timedelta(hours=1),
        failed_at=NOW - timedelta(hours=1),
        cancelled_at=NOW,
        cancel_reason=None,
        next_attempt_at=NOW + timedelta(minutes=5),
        link_state=link_state,
        link_expires_at=NOW + timedelta(days=7),
        link_used_at=NOW,
        link_revoked_at=NOW,
        link_revoke_reason=None,
    )


def _readable(color: QColor, backgrounds: tuple[str, ...], least: float) -> bool:
    return all(contrast_ratio(color.name(), background) >= least for background in backgrounds)


def _backgrounds(colors: ThemeColors) -> tuple[str, ...]:
    """Where the tables sit: a card, an input-coloured view, the window."""
    return (colors.card_bg, colors.input_bg, colors.window_bg)


def test_email_rows_read_at_4_5_to_1(qtbot, theme):
    card = EmailsCard()
    qtbot.addWidget(card)
    emails = [
        _email(status, link)
        for status, link in (
            ("failed", "revoked"),
            ("queued", "active"),
            ("sent", "used"),
            ("cancelled", "expired"),
        )
    ]
    card.show_emails(emails)
    table = card.table
    assert table.topLevelItemCount() == len(emails)
    for row in range(table.topLevelItemCount()):
        item = table.topLevelItem(row)
        for column in (DELIVERY, DETAILS, LINK):
            color = item.foreground(column).color()
            assert _readable(color, _backgrounds(theme), 4.5), (item.text(column), color.name(), theme.name)
    failed = table.topLevelItem(0)
    assert failed.text(DELIVERY) == "Not delivered"
    hue = failed.foreground(DELIVERY).color().hslHue()
    assert hue < 20 or hue > 340, "'Not delivered' stays red"


def test_muted_history_rows_read_at_4_5_to_1(qtbot, theme, clinic):
    patient = clinic.staff.add_patient(
        first_name="Ann",
        last_name="Lee",
        date_of_birth=date(1955, 1, 20),
        email="ann@example.com",
        zip_code="02140",
        actor="frontdesk",
    )
    card = HistoryCard(clinic)
    qtbot.addWidget(card)
    card.load(patient)
    qtbot.waitUntil(lambda: card.table.topLevelItemCount() > 0)
    muted = 0
    for row in range(card.table.topLevelItemCount()):
        item = card.table.topLevelItem(row)
        for column in range(len(HEADERS)):
            color = item.foreground(column).color()
            if item.foreground(column).style() == Qt.BrushStyle.NoBrush:
                continue
            muted += 1
            assert _readable(color, _backgrounds(theme), 4.5), (item.text(column), color.name(), theme.name)
    assert muted, "the 'When' column is painted muted"


def _left_edge(holder: QWidget, widget: QWidget) -> list[QColor]:
    """The leftmost pixel columns of ``widget`` at mid-height, over its card (where the ring goes)."""
    image = holder.grab(widget.geometry()).toImage()
    middle = image.height() // 2
    return [image.pixelColor(x, middle) for x in (0, 1, 2)]


def test_the_secure_message_icon_focus_ring_shows_at_3_to_1(qtbot, theme, make_status):
    card = QFrame()
    card.setObjectName("photoBlock")
    card.setProperty("card", True)
    layout = QVBoxLayout(card)
    before = QPushButton("&Back", card)
    icon = SecureMessageIcon(parent=card)
    status = make_status("red")
    icon.model().begin_patient(status.patient_id)  # the icon takes focus once it shows a patient
    icon.model().set_status(status, patient_name="Ann Lee", mrn="M000007")
    layout.addWidget(before)
    layout.addWidget(icon)
    qtbot.addWidget(card)
    card.show()
    qtbot.waitExposed(card)
    card.activateWindow()
    qtbot.waitActive(card)
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    unfocused = _left_edge(card, icon)
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    qtbot.waitUntil(icon.hasFocus)
    focused = _left_edge(card, icon)
    best = max(contrast_ratio(a.name(), b.name()) for a, b in zip(unfocused, focused, strict=True))
    assert best >= 3.0, (theme.name, [c.name() for c in unfocused], [c.name() for c in focused])


def test_email_rows_follow_a_switch_to_the_dark_theme(qtbot, qapp):
    apply_theme(qapp, LIGHT)
    try:
        card = EmailsCard()
        qtbot.addWidget(card)
        card.show()
        card.show_emails([_email("failed", "revoked")])
        item = card.table.topLevelItem(0)
        assert _readable(item.foreground(DELIVERY).color(), _backgrounds(LIGHT), 4.5)
        apply_theme(qapp, DARK)  # the desktop turned dark while the patient was open
        qtbot.waitUntil(lambda: _readable(item.foreground(DELIVERY).color(), _backgrounds(DARK), 4.5))
        assert _readable(item.foreground(DETAILS).color(), _backgrounds(DARK), 4.5)
    finally:
        reset_theme(qapp)
