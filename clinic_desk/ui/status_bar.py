"""The main window's status bar: the database this desk uses, and who is signed in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow

from clinic_desk.ui.elided_label import ElidedLabel
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic


def build_status_bar(window: QMainWindow) -> tuple[ElidedLabel, QLabel]:
    """Set up ``window``'s status bar; returns the database label and the signed-in user's label."""
    bar = window.statusBar()
    bar.setObjectName("statusBar")
    bar.setSizeGripEnabled(False)
    # Cut in the middle when short of room, so the outbox warning beside it always shows.
    database_label = ElidedLabel("Database: connecting…", bar)
    database_label.setObjectName("databaseLabel")
    database_label.setAccessibleName("Database in use")
    user_label = QLabel(bar)
    user_label.setTextFormat(Qt.TextFormat.PlainText)
    user_label.setObjectName("userLabel")
    user_label.setAccessibleName("Signed-in user")
    bar.addWidget(database_label, 1)
    bar.addPermanentWidget(user_label)
    return database_label, user_label


def show_database_name(label: ElidedLabel, clinic: Clinic) -> None:
    """Ask ``clinic`` on a worker which database it uses; ``label`` says it (or that it is not reachable)."""
    run_in_background(
        clinic.describe_database,
        lambda words: _on_database_described(label, words),
        lambda exc: _on_database_describe_failed(label, exc),
        owner=label,
        name="describe_database",
    )


def _on_database_described(label: ElidedLabel, words: str) -> None:
    label.setText(f"Database: {words}")
    label.setToolTip(words)


def _on_database_describe_failed(label: ElidedLabel, exc: Exception) -> None:
    label.setText(f"Database: not reachable — {error_words(exc)}")
    label.setToolTip(label.text())
