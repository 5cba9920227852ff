"""What the staff tests look at: the lock screen's forms and the window's visible text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QListWidget, QWidget


def lock_screen(window: Any) -> Any:
    """The window's lock screen."""
    return window.findChild(QWidget, "lockScreen")


def sign_in_form(window: Any) -> Any:
    """The sign-in form (``signInDialog``)."""
    return window.findChild(QWidget, "signInDialog")


def type_sign_in(qtbot: Any, window: Any, username: str, password: str) -> Any:
    """Type a username and password into the sign-in form and press Enter; returns the form."""
    form = sign_in_form(window)
    qtbot.waitUntil(form.isVisible)
    form.username.setText(username)
    form.password.setText(password)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)
    return form


def visible_words(window: Any) -> str:
    """Every text and tooltip a visible widget of the window (or of its dialogs) shows."""
    widgets: list[QWidget] = []
    for top in QApplication.topLevelWidgets():
        if top is window or (top.isVisible() and top.parentWidget() is not None):
            widgets.extend([top, *top.findChildren(QWidget)])
    words = []
    for widget in widgets:
        if not widget.isVisible():
            continue
        words.append(widget.toolTip())
        text = getattr(widget, "text", None)
        if callable(text):
            value = text()
            if isinstance(value, str):
                words.append(value)
        if isinstance(widget, QListWidget):
            words.extend(widget.item(row).text() for row in range(widget.count()))
    words.append(window.windowTitle())
    return "\n".join(words)


def patient_words(clinic: Any, patient_id: int) -> list[str]:
    """What would identify the patient on screen: full name, MRN, email."""
    chart = clinic.staff.chart(patient_id)
    return [word for word in (chart.full_name, chart.mrn, chart.email) if word]


def assert_no_patient_data(window: Any, clinic: Any, patient_ids: list[int]) -> None:
    """Fail when any visible widget shows a name, MRN or email of these patients."""
    shown = visible_words(window)
    for patient_id in patient_ids:
        for word in patient_words(clinic, patient_id):
            assert word not in shown, f"{word!r} is still on screen"
