"""File ▸ Import patients…: the menu entry (managers and administrators) and the one dialog it opens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from clinic_desk.domain.roles import Permission, refusal

if TYPE_CHECKING:
    from clinic_desk.ui.patient_import.import_dialog import ImportDialog


class ImportTools(QObject):
    """Owns the "Import patients…" action and the import dialog (one at a time)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.setObjectName("importTools")
        self._window = window
        self.dialog: ImportDialog | None = None
        self.action = QAction("&Import patients…", window)
        self.action.setObjectName("importPatientsAction")
        self.action.setToolTip("Bring patients in from a CSV or FHIR file exported by another system")
        self.action.setStatusTip(self.action.toolTip())
        self.action.triggered.connect(self.open_dialog)
        menu = window.menuBar().findChild(QMenu, "fileMenu")
        if menu is not None:
            # After "Database connection…": the clinic-wide file actions come first.
            actions = menu.actions()
            menu.insertAction(actions[1] if len(actions) > 1 else None, self.action)
        window.addAction(self.action)
        window.guard_action(self.action, Permission.IMPORT_PATIENTS)

    def open_dialog(self) -> ImportDialog | None:
        """Show the import dialog (raise it when already open); None when the member may not."""
        window = self._window
        if not window.may(Permission.IMPORT_PATIENTS) or window.locked:
            window.statusBar().showMessage(refusal(Permission.IMPORT_PATIENTS), 5000)
            return None
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        from clinic_desk.ui.patient_import.import_dialog import ImportDialog  # built on first use

        dialog = ImportDialog(window.clinic, window, actor=window.actor)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._on_dialog_destroyed)
        dialog.import_finished.connect(self._on_dialog_import_finished)
        self.dialog = dialog
        dialog.show()
        dialog.path_field.setFocus(Qt.FocusReason.OtherFocusReason)
        return dialog

    def _on_dialog_destroyed(self, _object: object = None) -> None:
        self.dialog = None

    def _on_dialog_import_finished(self, _report: object) -> None:
        # The open chart may have been updated by the file: look again (search queries live).
        self._window.session.check_now()


def install_patient_import(window: Any) -> ImportTools:
    """Add File ▸ Import patients… to ``window`` (a ``MainWindow``)."""
    return ImportTools(window)
