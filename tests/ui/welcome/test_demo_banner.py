"""DEMO, unmistakably: the demo clinic's window says it in the title and a banner; a real one never."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QToolBar

from clinic_desk.demo import DEMO_STAFF
from clinic_desk.ui.demo_banner import DEMO_TITLE
from clinic_desk.ui.shell import APP_TITLE
from clinic_desk.ui.tasks import wait_for_tasks
from clinic_desk.ui.welcome.building import open_demo_clinic


def test_the_demo_built_by_the_welcome_screen_says_demo(
    qtbot: Any, small_demo: None, opened: list[Any], make_window: Any
) -> None:
    clinic = open_demo_clinic()  # what "Try the demo clinic" opens, here without the screen
    opened.append(clinic)
    window = make_window(clinic, send_mail=False, daily_backup=False)
    qtbot.waitUntil(lambda: window.demo_banner.bar is not None, timeout=10_000)
    assert window.windowTitle() == DEMO_TITLE and "DEMO" in window.windowTitle()
    bar = window.findChild(QToolBar, "demoBanner")
    assert bar is not None and bar.isVisible()
    assert bar.findChild(QLabel, "demoBannerWord").text() == "DEMO"
    words = bar.findChild(QLabel, "demoBannerText").text()
    assert "not real patients" in words
    for member in DEMO_STAFF:  # who can sign in, shown where the sign-in asks
        assert f"{member.username} / {member.password}" in words
    assert window.toolBarArea(bar) == window.toolBarArea(window.findChild(QToolBar, "mainToolBar"))


def test_a_real_clinic_never_shows_the_banner(qtbot: Any, seeded: Any, make_window: Any) -> None:
    clinic, _ids = seeded
    window = make_window(clinic, send_mail=False, daily_backup=False)
    assert wait_for_tasks(10_000)  # the demo check has answered
    assert window.demo_banner.bar is None
    assert window.findChild(QToolBar, "demoBanner") is None
    assert window.windowTitle() == APP_TITLE
