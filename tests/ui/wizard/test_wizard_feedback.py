"""One focus and feedback model: the focus in view, the result in one pinned line, in plain words."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.wizard.keyboard import (
    TIMEOUT,
    Keyboard,
    assert_feedback_shows,
    assert_focus_in_view,
    open_panel,
)

ENTER = Qt.Key.Key_Return


@pytest.fixture
def desk(desk_of_size: Any) -> Any:
    """The demo clinic in a short window (the plan needs scrolling): ``(clinic, ids, window)``."""
    return desk_of_size(1024, 560)


def test_ctrl_t_scrolls_the_first_step_into_view_from_the_bottom(qtbot, desk):
    _clinic, ids, window = desk
    panel = open_panel(qtbot, window, ids["red_unconfirmed"])
    bar = panel.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=TIMEOUT)
    bar.setValue(bar.maximum())
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    assert assert_focus_in_view(panel).objectName() == "wizardField_email"


def test_after_each_step_the_focus_is_in_view_and_the_result_pinned_above(qtbot, desk):
    _clinic, ids, window = desk
    panel = open_panel(qtbot, window, ids["red_unconfirmed"])
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    keys.press(ENTER)
    assert_focus_in_view(panel)  # Confirm
    keys.enter_and_wait(panel)
    assert_feedback_shows(panel, "Saved: email maria.gonzalez@gmail.com.")
    assert assert_focus_in_view(panel).objectName() == "wizardNote"  # the next step, not the search
    assert panel.step("fix_email").done_label.isVisible()  # folded to a one-line summary
    keys.press(ENTER)
    assert_focus_in_view(panel)
    keys.enter_and_wait(panel)
    assert_feedback_shows(panel, "Portal access is on.")
    assert_focus_in_view(panel)
    assert not window.search.field.hasFocus()


def test_saving_unchanged_details_says_nothing_changed(qtbot, desk):
    clinic, ids, window = desk
    pid = ids["typo"]
    panel = open_panel(qtbot, window, pid)
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    keys.type(clinic.staff.chart(pid).email)  # the address on file, as it is
    keys.press(ENTER)
    keys.enter_and_wait(panel)
    assert_feedback_shows(panel, "Nothing changed")
    assert "Saved" not in panel.status_text()


def test_the_email_is_on_its_way_only_with_an_email_server(qtbot, desk):
    clinic, ids, window = desk
    clinic.update_settings(actor="admin", smtp_host="127.0.0.1", smtp_port=8025, smtp_security="none")
    panel = open_panel(qtbot, window, ids["gold_invited"])
    keys = Keyboard(qtbot, window)
    keys.troubleshoot(panel)
    keys.press(ENTER)
    keys.press(ENTER)
    keys.enter_and_wait(panel)
    assert_feedback_shows(panel, "The email is on its way.")
    assert_focus_in_view(panel)
