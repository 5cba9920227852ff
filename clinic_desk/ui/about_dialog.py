"""Help ▸ About…: which Clinic Desk this is, on which database, and what it is made of.

What IT needs when a clinic calls: the version, the database's kind and schema revision
(read on a worker: the GUI thread never waits on the database), the Python and Qt versions,
and the licences of the bundled components (from their own metadata, ``clinic_desk.bundled``).
"""

from __future__ import annotations

import platform
from typing import Any

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from clinic_desk.bundled import components, installed_version
from clinic_desk.ui.help_menu import help_menu
from clinic_desk.ui.tasks import run_in_background

READING = "reading…"
COLUMNS = ("Component", "Version", "Licence", "Used for")


def database_facts(clinic: Any) -> tuple[str, str]:
    """(kind, 'revision R (newest known: H)'): runs on a worker, through the Clinic facade."""
    schema = clinic.schema
    current = schema.current_revision() or "none (empty database)"
    head = schema.head_revision()
    revision = current if current == head else f"{current} (this version knows {head})"
    return schema.database_kind(), revision


class AboutDialog(QDialog):
    """The About box: facts in a form, the components in a table, one Close button."""

    def __init__(self, clinic: Any, parent: QMainWindow | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About Clinic Desk")
        self.setAccessibleName("About Clinic Desk")
        title = QLabel(f"<b>Clinic Desk {installed_version()}</b>", self)
        title.setObjectName("aboutTitle")
        title.setAccessibleName(f"Clinic Desk version {installed_version()}")
        facts = QFormLayout()
        self.version_label = self._fact(facts, "Version:", installed_version(), "aboutVersion")
        self.database_label = self._fact(facts, "Database:", READING, "aboutDatabase")
        self.revision_label = self._fact(facts, "Schema revision:", READING, "aboutSchemaRevision")
        self._fact(facts, "Python:", platform.python_version(), "aboutPython")
        self._fact(facts, "Qt:", f"{qVersion()} (PySide6 {PySide6.__version__})", "aboutQt")
        self.components_table = self._components_table()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(facts)
        layout.addWidget(QLabel("Made with these components, under their own licences:", self))
        layout.addWidget(self.components_table, 1)
        layout.addWidget(buttons)
        self.resize(880, 560)  # every column readable; still fits a 1024x768 screen
        database = getattr(clinic, "describe_database", None)
        where = database() if callable(database) else ""
        self.database_label.setToolTip(where)  # the path or server, never a password
        run_in_background(
            lambda: database_facts(clinic),
            self._on_database_facts,
            self._on_database_failed,
            owner=self,
            name="about_database",
        )

    def _fact(self, form: QFormLayout, words: str, value: str, name: str) -> QLabel:
        label = QLabel(value, self)
        label.setObjectName(name)
        label.setAccessibleName(f"{words.rstrip(':')} {value}")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # copied into a ticket
        form.addRow(words, label)
        return label

    def _components_table(self) -> QTableWidget:
        found = components()
        table = QTableWidget(len(found), len(COLUMNS), self)
        table.setObjectName("aboutComponents")
        table.setAccessibleName("Bundled components and their licences")
        table.setHorizontalHeaderLabels(COLUMNS)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, component in enumerate(found):
            cells = (component.name, component.version, component.licence, component.role)
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _set_database(self, kind: str, revision: str) -> None:
        for label, value, words in (
            (self.database_label, kind, "Database"),
            (self.revision_label, revision, "Schema revision"),
        ):
            label.setText(value)
            label.setAccessibleName(f"{words} {value}")

    def _on_database_facts(self, facts: tuple[str, str]) -> None:
        self._set_database(*facts)

    def _on_database_failed(self, _error: Exception) -> None:
        # Never the error's text (it could quote data); the status bar already says when the server is away.
        self._set_database("cannot be reached just now", "unknown")


def install_help_menu(window: QMainWindow) -> QAction:
    """Add Help ▸ About… at the end of the menu bar; returns the About action."""
    menu = help_menu(window)
    about = QAction("&About Clinic Desk…", window)
    about.setObjectName("aboutAction")
    about.setMenuRole(QAction.MenuRole.AboutRole)  # macOS puts it in the application menu

    def show_about() -> None:
        dialog = AboutDialog(window.clinic, window)  # type: ignore[attr-defined]
        dialog.setModal(False)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    about.triggered.connect(show_about)
    menu.addAction(about)
    return about
