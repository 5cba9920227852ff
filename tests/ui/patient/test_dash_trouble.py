"""Issue 13, Reproduced 5: the dash says a lock, an expired link and a bounce in words beside the icon."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from clinic_desk import Clinic
from clinic_desk.domain import codes
from clinic_desk.domain.wording import when
from clinic_desk.ui.colors import DARK, LIGHT, contrast_ratio
from clinic_desk.ui.theme import apply_theme, reset_theme
from tests.smtp_server import SmtpTestServer
from tests.ui.helpers import open_in

PASSWORD = "Str0ng-pass-123!"
REFUSAL = (550, "5.1.1 <ann@example.com>: Recipient address rejected: User unknown")


def _patient(clinic: Clinic, first: str = "Ann", email: str = "ann@example.com") -> int:
    return clinic.staff.add_patient(
        first_name=first,
        last_name="Lee",
        date_of_birth=date(1955, 1, 20),
        email=email,
        zip_code="02140",
        actor="frontdesk",
    )


@pytest.fixture
def mail_server(clinic: Clinic) -> Iterator[SmtpTestServer]:
    """A real SMTP server on loopback, set as the clinic's email server."""
    server = SmtpTestServer().start()
    clinic.update_settings(actor="admin", **server.settings())
    yield server
    server.stop()


@pytest.fixture
def window(make_window: Any, clinic: Clinic) -> Any:
    made = make_window(clinic, persist=False, send_mail=False)
    made.resize(1280, 800)  # the chip shows when the photo block has room (it hides when narrow)
    return made


def _row(window: Any) -> Any:
    return window.dash.photo_block.portal


def test_a_locked_blue_account_does_not_look_healthy(qtbot, clinic, window):
    ann = _patient(clinic)
    clinic.staff.set_credentials(ann, username="annlee", password=PASSWORD, actor="frontdesk")
    assert clinic.portal.login("annlee", PASSWORD)
    for _ in range(5):
        assert not clinic.portal.login("annlee", "wrong-password-1")
    locked = clinic.status(ann)
    assert locked.color == "blue" and codes.ACCOUNT_LOCKED in locked.trouble_codes
    until = locked.trouble(codes.ACCOUNT_LOCKED).facts["locked_until"]

    open_in(qtbot, window, ann)
    row = _row(window)
    time_today = when(until).partition(" at ")[2]
    assert row.trouble_texts()[0] == f"Locked after 5 failed logins — until {time_today}"
    assert row.caption.text() == "Portal active"
    assert row.chip.isVisible() and "Locked" in row.chip.text()
    line = row.trouble_lines[0]
    assert line.isVisible()
    assert line.accessibleName().startswith("Warning: Locked after 5 failed logins")
    assert line.toolTip() == locked.trouble(codes.ACCOUNT_LOCKED).message  # the domain's full sentence
    # A screen reader hears the lock with the colour, on the icon and on the row.
    icon_name = window.dash.photo_block.icon.accessibleName()
    assert icon_name == "Secure messaging: Portal active (blue), warning: Locked"
    said = row.accessibleDescription()
    assert said.endswith(f"Warning: Locked after 5 failed logins — until {time_today}.")


def test_an_expired_invitation_is_said_with_its_day(qtbot, clinic, clock, window, mail_server):
    jo = _patient(clinic, "Jo", "jo@example.com")
    clinic.staff.set_portal_access(jo, enabled=True, actor="frontdesk")
    clinic.staff.send_invitation(jo, actor="frontdesk")
    clinic.mail.deliver_now()  # a link's lifetime starts when its email leaves
    clock.advance(days=8)
    expired = clinic.status(jo).trouble(codes.INVITATION_EXPIRED)
    assert expired is not None

    open_in(qtbot, window, jo)
    row = _row(window)
    day_words = when(expired.facts["expired_at"]).partition(" at ")[0]
    assert row.trouble_texts() == [f"Invitation expired on {day_words}"]
    assert "Link expired" in row.chip.text()


def test_an_undelivered_email_is_said(qtbot, clinic, window, mail_server):
    ann = _patient(clinic)
    clinic.staff.set_portal_access(ann, enabled=True, actor="frontdesk")
    mail_server.handler.refuse_recipients = REFUSAL
    clinic.staff.send_invitation(ann, actor="frontdesk")
    clinic.mail.deliver_now()
    assert codes.EMAIL_DELIVERY_FAILED in clinic.status(ann).trouble_codes

    open_in(qtbot, window, ann)
    row = _row(window)
    assert row.trouble_texts() == ["The last email could not be delivered"]
    assert "550" not in row.trouble_lines[0].toolTip()  # plain words, not the server's reply


def test_a_healthy_patient_has_no_warning_and_the_next_patient_loses_it(qtbot, clinic, window):
    ann = _patient(clinic)
    clinic.staff.set_credentials(ann, username="annlee", password=PASSWORD, actor="frontdesk")
    for _ in range(5):
        clinic.portal.login("annlee", "wrong-password-1")
    bob = _patient(clinic, "Bob", "bob@example.com")
    clinic.staff.set_credentials(bob, username="boblee", password=PASSWORD, actor="frontdesk")
    assert clinic.portal.login("boblee", PASSWORD)

    open_in(qtbot, window, ann)
    assert _row(window).trouble_texts()
    open_in(qtbot, window, bob)
    row = _row(window)
    assert row.trouble_texts() == []
    assert not row.chip.isVisible()
    assert row.caption.text() == "Portal active"


def test_every_tab_stop_in_the_dash_has_a_name(qtbot, clinic, window):
    """Issue 13, Reproduced 7: no unnamed tab stop (the dash's scroll area was one)."""
    open_in(qtbot, window, _patient(clinic))
    stops = [
        widget
        for widget in window.dash.findChildren(QWidget)
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]
    assert window.dash.photo_block.portal.why_button in stops
    assert [widget.objectName() for widget in stops if not widget.accessibleName()] == []
    assert all(widget.objectName() for widget in stops)


def test_warning_lines_stay_readable_in_the_dark_theme(qtbot, qapp, clinic, window):
    ann = _patient(clinic)
    clinic.staff.set_credentials(ann, username="annlee", password=PASSWORD, actor="frontdesk")
    for _ in range(5):
        clinic.portal.login("annlee", "wrong-password-1")
    open_in(qtbot, window, ann)
    row = _row(window)
    assert LIGHT.warning_text in row.trouble_lines[0].styleSheet()
    try:
        apply_theme(qapp, DARK)  # the desktop turned dark while the patient was open
        assert DARK.warning_text in row.trouble_lines[0].styleSheet()
        assert contrast_ratio(DARK.warning_text, DARK.card_bg) >= 4.5
        assert DARK.warning_bg in row.chip.styleSheet()
    finally:
        reset_theme(qapp)
    assert LIGHT.warning_text in row.trouble_lines[0].styleSheet()
