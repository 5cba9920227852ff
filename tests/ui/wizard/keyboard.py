"""Drive the window by keys only, counting keyboard actions (one chord or one typed value each)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from clinic_desk.ui.wizard import TroubleshootingWizardPanel
from clinic_desk.ui.wizard.focus import in_viewport

TIMEOUT = 10_000
CTRL = Qt.KeyboardModifier.ControlModifier


class Keyboard:
    """Sends keys to whatever has the focus, like a receptionist's keyboard, and counts them."""

    def __init__(self, qtbot: Any, window: Any) -> None:
        self.qtbot = qtbot
        self.window = window
        self.count = 0

    def focused(self) -> QWidget:
        """The widget with the keyboard focus (the window when nothing has it)."""
        widget = QApplication.focusWidget()
        return widget if widget is not None else self.window

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        """One key chord to the focused widget."""
        self.count += 1
        self.qtbot.keyClick(self.focused(), key, modifier)

    def type(self, text: str) -> None:
        """One typed value into the focused box (what it held is replaced, as after select-all)."""
        box = self.focused()
        assert isinstance(box, QLineEdit), f"typing into {box.objectName()!r}, not a box"
        box.selectAll()
        self.count += 1
        self.qtbot.keyClicks(box, text)

    def troubleshoot(self, panel: TroubleshootingWizardPanel) -> None:
        """Ctrl+T, then wait until the focus is in the panel."""
        self.window.activateWindow()
        self.press(Qt.Key.Key_T, CTRL)
        self.qtbot.waitUntil(lambda: panel.isAncestorOf(self.focused()), timeout=TIMEOUT)

    def enter_and_wait(self, panel: TroubleshootingWizardPanel) -> None:
        """Enter on a confirmation: wait until the action ended and the plan was read again."""
        with self.qtbot.waitSignal(panel.action_finished, timeout=TIMEOUT):
            self.press(Qt.Key.Key_Return)
        self.qtbot.waitUntil(lambda: not panel.loading and not panel.busy, timeout=TIMEOUT)
        self.qtbot.waitUntil(lambda: panel.isAncestorOf(self.focused()), timeout=TIMEOUT)


def open_panel(qtbot: Any, window: Any, patient_id: int) -> TroubleshootingWizardPanel:
    """Open the patient (the window's search is not counted) and wait for the plan."""
    with qtbot.waitSignal(window.patient_opened, timeout=TIMEOUT):
        window.open_patient(patient_id)
    panel = window.troubleshooting_dock.widget()
    assert isinstance(panel, TroubleshootingWizardPanel)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.patient_id == patient_id, timeout=TIMEOUT)
    return panel


def assert_focus_in_view(panel: TroubleshootingWizardPanel) -> QWidget:
    """The focused widget is in the panel and shows in its viewport; returns it."""
    widget = QApplication.focusWidget()
    assert widget is not None and panel.isAncestorOf(widget), widget
    assert in_viewport(panel.scroll_area, widget), (widget.objectName(), widget.mapTo(panel, widget.pos()))
    return widget


def assert_feedback_shows(panel: TroubleshootingWizardPanel, words: str) -> None:
    """The feedback line says ``words`` (a part of it), on screen and outside the scroll area."""
    assert words in panel.status_text()
    assert panel.feedback.isVisible()
    assert not panel.scroll_area.isAncestorOf(panel.feedback)
    assert panel.feedback.accessibleDescription() == panel.status_text()
