"""The in-app sender: a real thread, a real loopback SMTP server, the status-bar words."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QMenu

from clinic_desk import Clinic
from clinic_desk.services import secret_store
from clinic_desk.services.clinic import MailProblem
from clinic_desk.ui.mail.mail_sender import ALL_SENT, NOT_SET_UP, THREAD_NAME, describe_outbox
from clinic_desk.ui.mail.mail_tools import MailTools, install_mail_tools
from tests.smtp_server import SmtpTestServer

FAST_POLL = 0.05


@pytest.fixture
def server() -> Iterator[SmtpTestServer]:
    """A loopback SMTP server (not started)."""
    smtp = SmtpTestServer()
    yield smtp
    smtp.stop()


@pytest.fixture
def mail_window(make_window: Any, clinic: Clinic) -> Iterator[Any]:
    """A main window with its mail tools; the sender thread is stopped and joined afterwards."""
    made: list[MailTools] = []

    def make(*, start: bool = True) -> tuple[Any, MailTools]:
        # The window's own sender stays off: it would race the test's sender for the email.
        window = make_window(clinic, persist=False, send_mail=False)
        tools = install_mail_tools(window, clinic, start=start, poll_seconds=FAST_POLL)
        made.append(tools)
        return window, tools

    yield make
    for tools in made:
        assert tools.stop(10.0), "the mail sender thread did not stop"
    assert not [t for t in threading.enumerate() if t.name == THREAD_NAME], "a mail sender thread was left"


def _invite(clinic: Clinic, email: str = "jane.doe@example.com") -> int:
    staff = clinic.staff
    patient = staff.add_patient(
        first_name="Jane",
        last_name="Doe",
        date_of_birth=date(1980, 3, 14),
        email=email,
        zip_code="02139",
        actor="frontdesk",
    )
    staff.set_portal_access(patient, enabled=True, actor="frontdesk")
    staff.send_invitation(patient, actor="frontdesk")
    return patient


def _label(window: Any) -> QLabel:
    label = window.statusBar().findChild(QLabel, "outboxStatus")
    assert label is not None
    return label


def test_sender_delivers_a_queued_invitation_and_the_status_bar_follows(qtbot, clinic, server, mail_window):
    server.start()
    clinic.update_settings(actor="admin", **server.settings())
    patient = _invite(clinic)
    window, tools = mail_window()
    assert tools.mail_sender.sender_thread is not None
    assert tools.mail_sender.sender_thread is not threading.main_thread()
    assert tools.mail_sender.sender_thread.daemon

    received = server.wait_for(1)
    assert received[0].rcpt_tos == ("jane.doe@example.com",)
    qtbot.waitUntil(lambda: _label(window).text() == ALL_SENT, timeout=10_000)
    assert clinic.mail.outbox(patient)[0].status == "sent"


def test_status_bar_counts_the_emails_waiting(qtbot, clinic, server, mail_window):
    # A server that answers "try later" to every recipient: the email waits for its next try.
    server.handler.refuse_recipients = (451, "4.7.1 Greylisted, try again later")
    server.start()
    clinic.update_settings(actor="admin", **server.settings())
    patient = _invite(clinic)
    window, tools = mail_window(start=False)
    with qtbot.waitSignal(tools.mail_sender.report_arrived, timeout=10_000) as blocker:
        tools.start()
    assert blocker.args[0].retried == 1 and blocker.args[0].problem is None
    qtbot.waitUntil(lambda: _label(window).text() == "1 email waiting to send", timeout=10_000)
    email = clinic.mail.timeline(patient)[0]
    assert email.status == "queued" and email.attempts == 1
    assert "451" in (email.failure_reason or "")


def test_nothing_is_sent_while_no_server_is_set_up(qtbot, clinic, server, mail_window):
    server.start()  # running, but the clinic does not know about it
    patient = _invite(clinic)
    window, tools = mail_window()
    qtbot.waitUntil(lambda: _label(window).text() == NOT_SET_UP, timeout=10_000)
    qtbot.waitUntil(lambda: (tools.mail_sender.status.pending or 0) == 1, timeout=10_000)
    assert "1 email waiting" in _label(window).toolTip()
    tools.mail_sender.wake()
    assert tools.stop(10.0)
    assert server.received == []
    email = clinic.mail.timeline(patient)[0]
    assert (email.status, email.attempts) == ("queued", 0)


def test_server_down_then_back_delivers_exactly_once(qtbot, clinic, clock, server, mail_window):
    server.start()
    clinic.update_settings(actor="admin", **server.settings())
    server.stop()  # the port is known; nothing listens on it now
    patient = _invite(clinic)
    window, tools = mail_window()

    qtbot.waitUntil(lambda: _label(window).text() == "Email server unreachable — 1 waiting", timeout=10_000)
    assert "Nothing answers" in _label(window).toolTip()
    email = clinic.mail.timeline(patient)[0]
    assert (email.status, email.attempts) == ("queued", 1)
    assert email.next_attempt_at is not None

    server.start()
    clock.advance(minutes=2)  # past the first back-off
    tools.send_now_action.trigger()
    received = server.wait_for(1)
    qtbot.waitUntil(lambda: _label(window).text() == ALL_SENT, timeout=10_000)

    tools.mail_sender.wake()
    assert tools.stop(10.0)
    assert len(server.received) == 1
    assert received[0].message_id == server.received[0].message_id
    email = clinic.mail.timeline(patient)[0]
    assert (email.status, email.attempts) == ("sent", 2)


def test_saving_settings_wakes_the_sender(qtbot, clinic, server, mail_window):
    server.start()
    _invite(clinic)
    window, tools = mail_window()
    qtbot.waitUntil(lambda: _label(window).text() == NOT_SET_UP, timeout=10_000)

    dialog = tools.open_settings()
    with qtbot.waitSignal(dialog.facts_loaded, timeout=10_000):
        pass
    dialog.set_value("smtp_host", server.host)
    dialog.set_value("smtp_port", server.port)
    dialog.set_value("smtp_security", "none")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    server.wait_for(1)
    qtbot.waitUntil(lambda: _label(window).text() == ALL_SENT, timeout=10_000)


def test_sender_reads_the_smtp_password_from_the_keyring(qtbot, clinic, mail_window):
    with SmtpTestServer(users={"portal-sender": "Kx-7-pass-word"}) as server:
        clinic.update_settings(actor="admin", **server.settings(smtp_username="portal-sender"))
        secret_store.set_smtp_password(clinic.settings, "Kx-7-pass-word")
        _invite(clinic)
        window, tools = mail_window()
        received = server.wait_for(1)
        assert received[0].login == "portal-sender"
        qtbot.waitUntil(lambda: _label(window).text() == ALL_SENT, timeout=10_000)
        assert tools.stop(10.0)


def test_closing_the_window_stops_the_sender(qtbot, clinic, mail_window):
    window, tools = mail_window()
    thread = tools.mail_sender.sender_thread
    assert thread is not None and thread.is_alive()
    window.close()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=10_000)
    assert not tools.mail_sender.running


class _RefuseClose(QObject):
    """Eats the window's close events, like a window asking "discard your changes?" and hearing No."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            event.ignore()
            return True
        return False


def test_a_refused_close_keeps_the_sender_running(qtbot, clinic, make_window):
    window = make_window(clinic, persist=False)
    refuser = _RefuseClose(window)
    window.installEventFilter(refuser)  # before the mail tools: they see the close first
    tools = install_mail_tools(window, clinic, poll_seconds=FAST_POLL)
    try:
        first = tools.mail_sender.sender_thread
        window.close()
        assert window.isVisible()
        qtbot.waitUntil(lambda: tools.mail_sender.sender_thread is not first)
        assert tools.mail_sender.running
    finally:
        window.removeEventFilter(refuser)
        assert tools.stop(10.0)
        assert first is not None
        first.join(10.0)
        assert not first.is_alive()


def test_clinic_settings_action_is_in_the_menu_and_opens_the_dialog(qtbot, clinic, mail_window):
    window, tools = mail_window(start=False)
    menus = [action.menu() for action in window.menuBar().actions() if isinstance(action.menu(), QMenu)]
    holding = [menu for menu in menus if tools.settings_action in menu.actions()]
    assert len(holding) == 1
    entries = holding[0].actions()
    quit_at = next(i for i, action in enumerate(entries) if action.objectName() == "quitAction")
    assert entries.index(tools.settings_action) < quit_at
    tools.settings_action.trigger()
    dialog = tools.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.objectName() == "clinicSettingsDialog"
    assert tools.open_settings() is dialog  # one at a time
    with qtbot.waitSignal(dialog.facts_loaded, timeout=10_000, raising=False):
        pass
    dialog.reject()
    qtbot.waitUntil(lambda: tools.dialog is None)
    assert QApplication.activeModalWidget() is None


@pytest.mark.parametrize(
    ("configured", "pending", "problem", "text"),
    [
        (True, 0, None, "All emails sent"),
        (True, 3, None, "3 emails waiting to send"),
        (True, 1, None, "1 email waiting to send"),
        (True, 3, MailProblem.SERVER, "Email server unreachable — 3 waiting"),
        (True, 3, MailProblem.NO_PASSWORD, "Email server unreachable — 3 waiting"),
        (True, 2, MailProblem.DATABASE, "Clinic database unreachable — 2 waiting"),
        (True, 3, MailProblem.NO_SERVER, "Email server not set up — emails wait in the outbox"),
        (False, 3, None, "Email server not set up — emails wait in the outbox"),
        (True, None, None, "Checking the outbox…"),
    ],
)
def test_status_words(configured, pending, problem, text):
    status = describe_outbox(configured=configured, pending=pending, problem=problem, words="No answer.")
    assert status.text == text
    if problem in (MailProblem.SERVER, MailProblem.DATABASE):
        assert status.tooltip.startswith("No answer. ")


def test_installing_again_replaces_the_first_set(qtbot, clinic, mail_window):
    window, first = mail_window()
    old_thread = first.mail_sender.sender_thread
    second = install_mail_tools(window, clinic, start=True, poll_seconds=FAST_POLL)
    try:
        assert old_thread is not None and not old_thread.is_alive()
        labels = [
            label for label in window.statusBar().findChildren(QLabel) if label.objectName() == "outboxStatus"
        ]
        assert labels == [second.status_label]
        settings_actions = [
            action
            for menu in window.menuBar().findChildren(QMenu)
            for action in menu.actions()
            if action.objectName() == "clinicSettingsAction"
        ]
        assert settings_actions == [second.settings_action]
        assert second.mail_sender.running
    finally:
        assert second.stop(10.0)
