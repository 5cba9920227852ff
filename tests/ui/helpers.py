"""Helpers the window tests share: the secure-message icon's colour and tooltip, opening a patient."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtWidgets import QToolTip


def icon_of(window: Any) -> Any:
    """The secure-message icon in the window's photo block."""
    return window.dash.photo_block.icon


def icon_colour(window: Any) -> str:
    """The portal colour the window's icon shows ("" while unknown)."""
    return icon_of(window).property("portalStatus")


def wait_for_colour(qtbot: Any, window: Any, color: str, timeout: int = 5000) -> None:
    """Wait until the window's icon shows ``color``."""
    qtbot.waitUntil(lambda: icon_colour(window) == color, timeout=timeout)


def tooltip_plain(icon: Any) -> str:
    """Hover ``icon`` (a tooltip event) and return its tooltip as plain text."""
    pos = icon.rect().center()
    icon.event(QHelpEvent(QEvent.Type.ToolTip, pos, icon.mapToGlobal(pos)))
    doc = QTextDocument()
    doc.setHtml(QToolTip.text())
    QToolTip.hideText()
    return doc.toPlainText()


def open_in(qtbot: Any, window: Any, patient_id: int, timeout: int = 10_000) -> None:
    """Open ``patient_id`` in ``window`` and wait until it has loaded."""
    with qtbot.waitSignal(window.patient_opened, timeout=timeout):
        window.open_patient(patient_id)
