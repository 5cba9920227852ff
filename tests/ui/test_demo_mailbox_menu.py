"""Help ▸ "Open the demo mailbox": only in the demo clinic, and it opens the portal's mailbox page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMenu

from clinic_desk.demo import DEMO_STAFF, add_demo_staff, use_local_loop
from clinic_desk.ui.tasks import wait_for_tasks


class _Browser(QObject):
    """Stands in for the desktop's browser: Qt hands it the http addresses the app opens."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_the_demo_clinic_offers_its_mailbox(qtbot: Any, demo: Any, make_window: Any) -> None:
    clinic, _ids = demo
    add_demo_staff(clinic, actor="installer")  # what seed-demo leaves: the demo's own marker
    use_local_loop(clinic, portal_url="http://127.0.0.1:8080", mail_port=8025)
    desk = next(member for member in DEMO_STAFF if member.role == "front_desk")
    window = make_window(clinic, send_mail=False, staff=clinic.admin.sign_in(desk.username, desk.password))
    qtbot.waitUntil(lambda: window.demo_mailbox.action is not None, timeout=5000)
    action = window.demo_mailbox.action
    qtbot.waitUntil(lambda: not window.locked and action.isEnabled(), timeout=5000)
    assert action.text() == "Open the demo &mailbox"
    help_menu = window.menuBar().findChild(QMenu, "helpMenu")
    menus = [a.menu() for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)]
    assert [m.objectName() for m in menus].count("helpMenu") == 1  # About and the mailbox share it
    assert "&" not in help_menu.title()  # Alt+H belongs to the panel's buttons
    assert help_menu is not None and action in help_menu.actions()
    browser = _Browser()
    QDesktopServices.setUrlHandler("http", browser, "open")
    try:
        action.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("http")
    assert browser.opened == ["http://127.0.0.1:8080/demo-mailbox"]


def test_a_clinic_that_is_not_the_demo_has_no_mailbox_entry(qtbot: Any, demo: Any, make_window: Any) -> None:
    clinic, _ids = demo  # demo charts but no demo staff: not what seed-demo built
    window = make_window(clinic, send_mail=False)
    assert wait_for_tasks(10_000)
    assert window.demo_mailbox.action is None
    assert window.findChild(QAction, "demoMailboxAction") is None
