"""What the administration windows (staff accounts, audit log) share: set-up, message, table, buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

if TYPE_CHECKING:
    from clinic_desk import Clinic


class AdminDialog(QDialog):
    """A window over one table, whose calls run as whoever is signed in (``actor()``).

    Subclasses show their words with ``message`` (made by ``_message_line``).
    """

    message: QLabel

    def __init__(
        self,
        clinic: Clinic,
        parent: QWidget | None,
        *,
        actor: Callable[[], str],
        object_name: str,
        title: str,
        description: str,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setAccessibleDescription(description)
        self._clinic = clinic
        self.actor = actor

    def message_text(self) -> str:
        """The words shown above the table ('' when none)."""
        return self.message.text() if not self.message.isHidden() else ""

    def _message_line(self, object_name: str) -> QLabel:
        """The hidden line above the table for problems and results (plain text: it holds names)."""
        label = QLabel(self)
        label.setObjectName(object_name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.hide()
        return label

    def _row_table(self, model: QAbstractItemModel, object_name: str, accessible_name: str) -> QTableView:
        """A read-only table over ``model``: one whole row chosen at a time; Tab leaves it."""
        table = QTableView(self)
        table.setObjectName(object_name)
        table.setAccessibleName(accessible_name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        return table

    def _button(self, text: str, name: str, description: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setAccessibleDescription(description)
        button.setAutoDefault(False)
        return button

    def _close_buttons(self, object_name: str, accessible_name: str) -> QDialogButtonBox:
        """The Close button (Esc too) that closes the window."""
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName(object_name)
        close.setAccessibleName(accessible_name)
        buttons.rejected.connect(self.reject)
        return buttons
