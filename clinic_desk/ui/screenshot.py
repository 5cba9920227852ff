"""Render the main window with one patient open to a PNG (for docs, bug reports and CI)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QPoint,
    Qt,
    QTimer,
    QtMsgType,
    qFormatLogMessage,
    qInstallMessageHandler,
)
from PySide6.QtGui import QHelpEvent, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from clinic_desk.domain.errors import ClinicDeskError
from clinic_desk.ui.tasks import run_in_background, wait_for_tasks

if TYPE_CHECKING:
    from clinic_desk import Clinic
    from clinic_desk.services.clinic import StaffAccount
    from clinic_desk.ui.main_window import MainWindow

SIZE = (1280, 800)
TIMEOUT_MS = 30_000
# Where Qt puts a tooltip relative to the mouse (QToolTip: +2, +16 on most platforms).
TOOLTIP_OFFSET = QPoint(2, 16)


class ScreenshotError(ClinicDeskError):
    """The patient could not be shown, so no screenshot was taken."""


def _wait(condition: Callable[[], bool], timeout_ms: int = TIMEOUT_MS) -> bool:
    deadline = QDeadlineTimer(timeout_ms)
    while not condition():
        if deadline.hasExpired():
            return False
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    return True


def _quiet_offscreen_messages(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Drop the offscreen platform's "This plugin does not support ..." notes; print the rest."""
    if message.startswith("This plugin does not support"):
        return
    print(qFormatLogMessage(kind, context, message), file=sys.stderr)


def _resolve(clinic: Clinic, patient_ref: str) -> int:
    found: list[int] = []
    errors: list[Exception] = []
    run_in_background(lambda: clinic.staff.resolve_patient(patient_ref), found.append, errors.append)
    if not _wait(lambda: bool(found or errors)):
        raise ScreenshotError(f"Finding patient '{patient_ref}' took too long.")
    if errors:
        raise ScreenshotError(getattr(errors[0], "message", str(errors[0])))
    return int(found[0])


def use_offscreen_platform() -> None:
    """Render offscreen on a large virtual 4K screen (before the QApplication exists).

    Qt's default offscreen screen is 800x600: at a 2x scale factor that is 400x300
    logical pixels, and tooltips wrap to that width. A real monitor is far wider.
    """
    current = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    if current != "offscreen":
        return
    config = {
        "synchronousWindowSystemEvents": False,
        "windowFrameMargins": False,
        "screens": [{"name": "screenshot", "x": 0, "y": 0, "width": 3840, "height": 2160, "dpr": 1}],
    }
    path = Path(tempfile.gettempdir()) / "clinic-desk-offscreen.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={path}"


def _tooltip_widget() -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if widget.inherits("QTipLabel") and widget.isVisible():
            return widget
    return None


def _composite_tooltip(window: MainWindow, shot: QPixmap) -> None:
    icon = window.dash.photo_block.icon
    anchor = icon.rect().center()
    icon.event(QHelpEvent(QEvent.Type.ToolTip, anchor, icon.mapToGlobal(anchor)))
    QCoreApplication.processEvents()
    tip = _tooltip_widget()
    if tip is None:
        raise ScreenshotError("The tooltip did not appear.")
    tip.adjustSize()
    image = tip.grab()
    # Place the card where Qt puts it for a mouse resting on the icon, kept inside the window.
    spot = icon.mapTo(window, anchor) + TOOLTIP_OFFSET
    x = min(max(0, spot.x()), max(0, window.width() - tip.width()))
    y = min(max(0, spot.y()), max(0, window.height() - tip.height()))
    painter = QPainter(shot)
    painter.drawPixmap(QPoint(x, y), image)
    painter.end()
    QToolTip.hideText()


def _show_wizard(window: MainWindow) -> None:
    """Show the troubleshooting dock and wait until its panel shows the plan."""
    window.show_troubleshooting()
    wizard = window.troubleshooting_dock.widget()
    if not _wait(lambda: getattr(wizard, "plan", True) is not None):
        raise ScreenshotError("The troubleshooting steps took too long to load.")
    QCoreApplication.processEvents()


def take_screenshot(
    clinic: Clinic,
    patient_ref: str,
    out: Path,
    hover: bool = False,
    *,
    panel: bool = False,
    size: tuple[int, int] | None = None,
    prepare: Callable[[MainWindow], None] | None = None,
    staff: StaffAccount | None = None,
) -> Path:
    """Open ``patient_ref`` (id or MRN) in an offscreen 1280x800 window and save a PNG to ``out``.

    With ``hover`` the icon's tooltip card is drawn where it appears on hover. With
    ``panel`` the troubleshooting wizard is shown and its plan waited for; ``prepare``
    then runs on the window (to pick a choice, scroll...). ``size`` replaces 1280x800.
    ``staff`` is the signed-in member the window acts as (from ``clinic.admin.sign_in``).
    Returns the path written.
    """
    if QApplication.instance() is None and not os.environ.get("DISPLAY"):
        use_offscreen_platform()
    from clinic_desk.ui.app import ensure_app
    from clinic_desk.ui.main_window import MainWindow

    ensure_app()
    previous_handler = qInstallMessageHandler(_quiet_offscreen_messages)
    window = MainWindow(clinic, persist=False, staff=staff)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.resize(*(size or SIZE))
    try:
        window.show()
        patient_id = _resolve(clinic, patient_ref)
        failures: list[str] = []
        window.session.load_failed.connect(failures.append)
        window.open_patient(patient_id)
        if not _wait(lambda: window.dash.showing_patient or bool(failures)):
            raise ScreenshotError(f"Patient '{patient_ref}' took too long to load.")
        if failures:
            raise ScreenshotError(failures[0])
        _wait(lambda: window.database_label.text() != "Database: connecting…", 5_000)
        if panel:
            _show_wizard(window)
        if prepare is not None:
            prepare(window)
        window.dash.busy_bar.hide()
        QCoreApplication.processEvents()
        shot = window.grab()
        if hover:
            _composite_tooltip(window, shot)
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not shot.save(str(out), "PNG"):
            raise ScreenshotError(f"Could not write {out}.")
        return out
    finally:
        window.close()
        window.session.stop()
        wait_for_tasks(10_000)
        window.deleteLater()
        QCoreApplication.processEvents()
        qInstallMessageHandler(previous_handler)
