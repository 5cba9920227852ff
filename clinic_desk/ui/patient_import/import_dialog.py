"""File ▸ Import patients… (``importDialog``): choose a file, preview, dry run, import, save the report.

Every call to the services runs on a worker; the window only shows answers. The steps:
a file → the first rows as they will be stored (for CSV, a field per column, re-previewed on
each change) → Check: the dry run's report → Import, with a progress bar and Cancel → the
final report, which can be saved as CSV (owner-only).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFileDialog, QWidget

from clinic_desk.domain.patient_import import IMPORT_FIELDS, ImportPreview, ImportReport
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.patient_import.choosers import import_file_chooser, report_file_chooser
from clinic_desk.ui.patient_import.dialog_parts import ImportDialogParts
from clinic_desk.ui.patient_import.import_run import ImportRun
from clinic_desk.ui.patient_import.import_words import report_file_name
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

PREVIEW_ROWS = 20


class ImportDialog(ImportDialogParts):
    """Bring patients in from a CSV or FHIR file, safely: look first, then import.

    Signals:
        preview_shown(object): an ``ImportPreview`` is on show.
        report_shown(object): a dry run's or an import's ``ImportReport`` is on show.
        import_finished(object): a real import ended (its report; cancelled ones too).
        mapping_saved(dict): the mapping was kept for next time.
        report_saved(str): the report was written to this file.
        failed(str): a call failed; the words shown.
    """

    preview_shown = Signal(object)
    report_shown = Signal(object)
    import_finished = Signal(object)
    mapping_saved = Signal(dict)
    report_saved = Signal(str)
    failed = Signal(str)

    def __init__(self, clinic: Clinic, parent: QWidget | None = None, *, actor: Callable[[], str]) -> None:
        super().__init__(list(IMPORT_FIELDS), parent)
        self._clinic = clinic
        self.actor = actor
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        self.run: ImportRun | None = None
        self._generation = 0
        self._checked_mapping: dict[str, str] | None = None  # the mapping the dry run on show used
        self._checked_clear = False  # and its choice for empty cells
        self._close_when_done = False
        self.path_field.returnPressed.connect(self._on_path_field_return_pressed)
        self.choose_button.clicked.connect(self.choose_file)
        self.mapping_panel.mapping_changed.connect(self._on_mapping_panel_mapping_changed)
        self.mapping_panel.save_requested.connect(self._on_mapping_panel_save_requested)
        self.check_button.clicked.connect(self.check)
        self.clear_empty_box.toggled.connect(self._update_buttons)  # a changed choice needs a new check
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_report_button.clicked.connect(self.choose_report_file)
        self._update_buttons()

    # -- the file and its preview -------------------------------------------------------------------
    def choose_file(self) -> QFileDialog:
        """Ask which file to import (CSV, NDJSON, JSON); returns the file dialog."""
        chooser = import_file_chooser(self)
        chooser.fileSelected.connect(self.open_file)
        chooser.open()
        return chooser

    def open_file(self, path: str | Path) -> None:
        """Preview ``path`` with the saved mapping (or the services' own reading of the columns)."""
        self.path_field.setText(str(path))
        self.mapping_panel.set_columns([], {})  # another file: its columns come from its preview
        self._preview(None)

    @property
    def path(self) -> str:
        """The file chosen ('' before)."""
        return self.path_field.text().strip()

    def _preview(self, mapping: dict[str, str] | None) -> None:
        if not self.path or self.busy:
            return
        self._generation += 1
        generation, path, staff = self._generation, self.path, self._clinic.staff
        self._forget_report()
        self.show_status("Reading the first rows…")
        run_in_background(
            lambda: staff.preview_import(path, mapping=mapping, rows=PREVIEW_ROWS),
            lambda preview: self._on_preview_read(generation, preview),
            lambda exc: self._on_preview_failed(generation, exc),
            owner=self,
            name="import_preview",
        )

    def _on_preview_read(self, generation: int, preview: ImportPreview) -> None:
        if generation != self._generation:
            return  # another file or mapping was asked for meanwhile
        self.preview = preview
        csv_file = preview.format == "csv"
        if csv_file and self.mapping_panel.columns() != list(preview.columns):
            self.mapping_panel.set_columns(preview.columns, dict(preview.mapping))
            self.order_tabs()
        self.mapping_panel.setVisible(csv_file)
        self.show_preview(preview)
        self.hide_message()
        self._update_buttons()
        self.preview_shown.emit(preview)

    def _on_preview_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self.preview = None
        self.preview_model.set_preview([], [])
        self.file_info.clear()
        if isinstance(exc, OSError):
            words = f"The file could not be read ({exc.strerror or type(exc).__name__})."
        else:  # the services' own words say what is wrong with the file or the mapping
            words = error_words(exc, "The file could not be read ({kind}).")
        self.show_message(words, error=True)
        self._update_buttons()
        self.failed.emit(words)

    def _on_path_field_return_pressed(self) -> None:
        self.open_file(self.path)

    def _on_mapping_panel_mapping_changed(self, mapping: dict[str, str]) -> None:
        self._preview(mapping)

    def _mapping(self) -> dict[str, str] | None:
        """The mapping to import with: the combos' for CSV, None for FHIR."""
        if self.preview is None or self.preview.format != "csv":
            return None
        return self.mapping_panel.mapping()

    # -- saving the mapping -------------------------------------------------------------------------
    def _on_mapping_panel_save_requested(self, mapping: dict[str, str]) -> None:
        staff, actor = self._clinic.staff, self.actor()
        self.mapping_panel.save_button.setEnabled(False)
        run_in_background(
            lambda: staff.save_import_mapping(mapping, actor=actor),
            lambda _none: self._on_mapping_saved(mapping),
            self._on_mapping_save_failed,
            owner=self,
            name="save_import_mapping",
        )

    def _on_mapping_saved(self, mapping: dict[str, str]) -> None:
        self.mapping_panel.save_button.setEnabled(True)
        self.show_message("Mapping saved: the next CSV file with these columns is read the same way.")
        self.mapping_saved.emit(mapping)

    def _on_mapping_save_failed(self, exc: Exception) -> None:
        self.mapping_panel.save_button.setEnabled(True)
        self._fail(exc, "The mapping was not saved")

    # -- dry run and import -------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while a dry run or an import runs."""
        return self.run is not None and self.run.running

    def check(self) -> None:
        """The dry run: what an import would do, writing nothing."""
        self._start(dry_run=True)

    def start_import(self) -> None:
        """Import for real, batch by batch, with progress and Cancel."""
        self._start(dry_run=False)

    def cancel(self) -> None:
        """Stop at the services' next progress call; what was committed stays, a re-run carries on."""
        if self.busy and self.run is not None:
            self.run.cancel()
            self.cancel_button.setEnabled(False)
            self.show_status("Stopping after the current batch…")

    def _start(self, *, dry_run: bool) -> None:
        if self.busy or self.preview is None:
            return
        staff, path, actor, mapping = self._clinic.staff, self.path, self.actor(), self._mapping()
        clear_empty = self.clear_empty_box.isChecked()
        request_id = None if dry_run else uuid.uuid4().hex  # one intention, even if the call is retried

        def work(progress: Callable[[int, int | None], bool]) -> ImportReport:
            return staff.import_patients(
                path, actor=actor, dry_run=dry_run, mapping=mapping, progress=progress,
                request_id=request_id, clear_empty=clear_empty,
            )  # fmt: skip

        if self.run is not None:
            self.run.deleteLater()  # the previous run has answered
        self.run = ImportRun(work, self, name="import_dry_run" if dry_run else "import_patients")
        self.run.progressed.connect(self._on_run_progressed)
        self.run.finished.connect(lambda report: self._on_run_finished(report, mapping, clear_empty))
        self.run.failed.connect(lambda exc: self._on_run_failed(exc, dry_run))
        self._forget_report()
        self.progress_bar.setRange(0, 0)  # busy until the first count arrives
        self.progress_bar.show()
        self.show_status("Checking the whole file…" if dry_run else "Importing…")
        self.run.start()
        self._update_buttons()

    def _on_run_progressed(self, done: int, total: object) -> None:
        if isinstance(total, int) and total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
            self.show_status(f"{done} of {total} rows…")
        else:
            self.show_status(f"{done} rows…")
        self.progress_bar.setAccessibleDescription(self.status_label.text())

    def _on_run_finished(
        self, report: ImportReport, mapping: dict[str, str] | None, clear_empty: bool
    ) -> None:
        self.progress_bar.hide()
        self.show_status("")
        self.report = report
        self._checked_mapping = mapping if report.dry_run and not report.cancelled else None
        self._checked_clear = clear_empty
        self.report_view.show_report(report)
        self.hide_message()
        self._update_buttons()
        self.report_shown.emit(report)
        if not report.dry_run:
            self.import_finished.emit(report)
        self._close_if_asked()

    def _on_run_failed(self, exc: Exception, dry_run: bool) -> None:
        self.progress_bar.hide()
        self.show_status("")
        # An import that failed mid-way kept its committed batches: running it again carries on.
        self._fail(exc, "The check stopped" if dry_run else "The import stopped")
        self._close_if_asked()

    def _forget_report(self) -> None:
        self.report = None
        self._checked_mapping = None
        self.report_view.clear_report()
        self._update_buttons()

    # -- saving the report --------------------------------------------------------------------------
    def choose_report_file(self) -> QFileDialog | None:
        """Ask where to save the report (the name says what it holds); returns the file dialog."""
        if self.report is None:
            return None
        chooser = report_file_chooser(self, report_file_name(self.report, date.today()))
        chooser.fileSelected.connect(self.save_report)
        chooser.open()
        return chooser

    def save_report(self, path: str | Path) -> None:
        """Write the report on show to ``path`` (0600), on a worker."""
        report, target, staff = self.report, str(path), self._clinic.staff
        if report is None:
            return
        self.save_report_button.setEnabled(False)
        run_in_background(
            lambda: staff.save_import_report(report, target),
            lambda _rows: self._on_report_saved(target),
            self._on_report_save_failed,
            owner=self,
            name="save_import_report",
        )

    def _on_report_saved(self, path: str) -> None:
        self._update_buttons()
        self.show_message(f"Report saved to {path} (readable by you only).")
        self.report_saved.emit(path)

    def _on_report_save_failed(self, exc: Exception) -> None:
        self._update_buttons()
        if isinstance(exc, OSError):
            self.show_message(
                f"The report could not be written ({exc.strerror or type(exc).__name__}).", error=True
            )
            self.failed.emit(self.message.text())
        else:
            self._fail(exc, "The report was not saved")

    # -- state --------------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        busy, preview, report = self.busy, self.preview, self.report
        checked = (
            report is not None
            and report.dry_run
            and self._checked_mapping == self._mapping()
            and self._checked_clear == self.clear_empty_box.isChecked()
        )
        resumable = report is not None and not report.dry_run and report.cancelled
        self.choose_button.setEnabled(not busy)
        self.path_field.setReadOnly(busy)
        self.mapping_panel.setEnabled(not busy)
        self.clear_empty_box.setEnabled(not busy)
        self.check_button.setEnabled(not busy and preview is not None)
        self.import_button.setEnabled(not busy and preview is not None and (checked or resumable))
        self.cancel_button.setEnabled(busy and not (self.run is not None and self.run.cancel_requested))
        self.save_report_button.setEnabled(not busy and report is not None)
        self.import_button.setToolTip(
            "" if checked or resumable else "Check the file first: the dry run says what the import will do."
        )

    def _fail(self, exc: Exception, what: str) -> None:
        words = f"{what}: {error_words(exc)}"
        self.show_message(words, error=True)
        self._update_buttons()
        self.failed.emit(words)

    def _close_if_asked(self) -> None:
        if self._close_when_done:
            self.close()

    def reject(self) -> None:
        """Esc and Close: while a run is going, stop it first and close when it has stopped."""
        if self.busy:
            self._close_when_done = True
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
