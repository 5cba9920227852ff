"""'Print activation letter…': issue a one-use code on a worker, then print the letter or save a PDF.

The dialog (``activationLetter``) says what will happen; its button issues the code through
``clinic.staff.issue_activation_code`` on a worker (the GUI thread never waits on the
database), then opens the print dialog (paper, or the dialog's own "Print to PDF"). The
letter stays ready for another try or "Save as PDF…" until the dialog closes; the code is
never shown on screen and is forgotten with the dialog (only its hash is stored).

Printing goes through two seams a test replaces: ``choose_printer(parent, printer)`` and
``choose_file(parent, suggested_name)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QPushButton, QWidget

from clinic_desk.domain.activation_codes import ActivationCode
from clinic_desk.domain.activation_letter import (
    LANGUAGE_NAMES,
    LetterWords,
    expiry_day,
    letter_file_name,
    letter_language,
    long_date,
)
from clinic_desk.domain.errors import ValidationError
from clinic_desk.ui.activation_letter.letter_output import letter_of, print_letter, save_pdf
from clinic_desk.ui.activation_letter.qr_code import QrSymbol
from clinic_desk.ui.patient.chart_action_dialog import ChartActionDialog
from clinic_desk.ui.roster.roster_paper import PrinterRefused

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)

#: ``choose_printer(parent, printer) -> bool``: True when the printer (or PDF) was chosen.
PrinterChoice = Callable[[QWidget, QPrinter], bool]
#: ``choose_file(parent, suggested_name) -> path or None``: where to save the PDF.
FileChoice = Callable[[QWidget, str], "str | None"]

WHAT_HAPPENS = (
    "A new one-use activation code is made and printed on a letter in {language}. The patient "
    "enters it with their date of birth on the portal and chooses their own username and "
    "password. Any earlier code or invitation link stops working."
)
READY_WORDS = (
    "The letter is ready (in {language}); the code works once, until {expiry}. Print it now, or save "
    "it as a PDF: once this window closes the code cannot be shown again (a new letter makes a new code)."
)


def ask_printer(parent: QWidget, printer: QPrinter) -> bool:
    """The system's print dialog (paper, or "Print to PDF"); True when staff pressed Print."""
    dialog = QPrintDialog(printer, parent)
    dialog.setObjectName("activationLetterPrintDialog")
    dialog.setWindowTitle("Print the activation letter")
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_pdf_file(parent: QWidget, suggested_name: str) -> str | None:
    """A save-file chooser for the PDF, in the Documents folder, named for what it holds."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path, _filter = QFileDialog.getSaveFileName(
        parent, "Save the activation letter as PDF", str(Path(folder) / suggested_name), "PDF files (*.pdf)"
    )
    if not path:
        return None
    return path if path.lower().endswith(".pdf") else path + ".pdf"


class ActivationLetterDialog(ChartActionDialog):
    """Issue an activation code for one patient and print its letter (``activationLetter``).

    Signals:
        letter_ready(object): the code was issued; the ``ActivationCode`` (tests read it).
        printed(bool): a print was tried; True when the letter went to the printer.
        saved(str): the letter was saved as a PDF at this path.
    """

    letter_ready = Signal(object)
    printed = Signal(bool)
    saved = Signal(str)

    def __init__(
        self,
        clinic: Clinic,
        patient_id: int,
        patient_words: str,
        actor: Callable[[], str],
        *,
        language: str | None = None,
        access_off: bool = False,
        turn_access_on: QAction | None = None,
        choose_printer: PrinterChoice = ask_printer,
        choose_file: FileChoice = ask_pdf_file,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("activationLetter", "Print activation letter", "&Make the letter", parent)
        self.setAccessibleDescription("Issue a one-use activation code and print it for the patient")
        self._clinic, self._patient_id, self._actor = clinic, patient_id, actor
        self._turn_access_on = turn_access_on
        self._access_off = access_off  # what the dash shows: a refusal then offers to turn it on
        self.choose_printer = choose_printer
        self.choose_file = choose_file
        self.code: ActivationCode | None = None  # once issued; forgotten when the dialog closes
        self._file_name = ""  # what a saved letter is called (its PDF's name)
        self._letter: tuple[LetterWords, QrSymbol] | None = None
        self.heading.setText(patient_words)
        named = f"{LANGUAGE_NAMES[letter_language(language)]} (the chart's language)" if language else ""
        self.summary.setText(WHAT_HAPPENS.format(language=named or "the patient's preferred language"))
        self.save_button = QPushButton("&Save as PDF…", self)
        self.save_button.setObjectName("activationLetterSave")
        self.save_button.setAccessibleName("Save as PDF")
        self.save_button.clicked.connect(self.save_letter)
        self.access_button = QPushButton("Turn portal &access on…", self)
        self.access_button.setObjectName("activationLetterAccessOn")
        self.access_button.setAccessibleName("Turn portal access on")
        self.access_button.clicked.connect(self._on_access_button_clicked)
        for button in (self.save_button, self.access_button):
            button.setAutoDefault(True)
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.hide()  # after addButton, which shows it: each comes when it is of use
        self.finished.connect(self._on_finished)

    # -- issuing -----------------------------------------------------------------------------------
    def start(self) -> None:
        """The button: issue the code (first press), then print (every press after)."""
        if self.code is not None:
            self.print_letter()
            return
        clinic, patient_id, actor = self._clinic, self._patient_id, self._actor()
        self.access_button.hide()
        self.run(
            ("issue", patient_id),
            {},
            lambda request_id, _values: clinic.staff.issue_activation_code(
                patient_id, actor=actor, request_id=request_id
            ),
        )

    def finish(self, result: ActivationCode) -> None:
        """The code is issued: the letter is ready; the print dialog opens straight away."""
        self.code = result
        self._letter = letter_of(result, date.today())
        self._file_name = letter_file_name(result.patient_name, date.today())
        expiry = long_date(expiry_day(result.expires_at), "en")  # staff read English
        language = LANGUAGE_NAMES[self._letter[0].language]
        self.summary.setText(READY_WORDS.format(language=language, expiry=expiry))
        self.confirm_button.setText("&Print…")
        self.confirm_button.setAccessibleName("Print")
        self.save_button.show()
        self.adjustSize()
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText("&Done")
        self.confirm_button.setFocus()
        self.letter_ready.emit(result)
        QTimer.singleShot(0, self, self.print_letter)

    def _on_failed(self, exc: Exception) -> None:
        super()._on_failed(exc)
        if isinstance(exc, ValidationError) and (self._access_off or _about_access(exc)):
            self._offer_access_on()
        self.adjustSize()  # the problem's lines push the buttons down, never over the words

    def show_message(self, words: str, role: str) -> None:
        """The line above the buttons; the dialog grows to fit it."""
        super().show_message(words, role)
        self.adjustSize()

    def _offer_access_on(self) -> None:
        action = self._turn_access_on
        if action is None:
            return
        if action.isEnabled():
            self.access_button.show()
            self.access_button.setFocus()
        else:  # the role may not: say who may
            self.show_message(f"{self.message.text()} {action.toolTip()}", "error")

    def _on_access_button_clicked(self) -> None:
        action = self._turn_access_on
        self.reject()
        if action is not None:
            action.trigger()

    # -- printing ----------------------------------------------------------------------------------
    def print_letter(self) -> bool:
        """Ask for a printer (or the print dialog's PDF) and print the letter; True when printed."""
        if self._letter is None:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._file_name.removesuffix(".pdf"))
        if not self.choose_printer(self, printer):
            self.show_message("Not printed. Press Print again, or save the letter as a PDF.", "info")
            self.printed.emit(False)
            return False
        try:
            print_letter(printer, *self._letter)
        except PrinterRefused as exc:
            self.show_message(f"{exc} Nothing was printed; check the printer and try again.", "error")
            self.printed.emit(False)
            return False
        self.show_message("Sent to the printer. Give the letter to the patient.", "info")
        self.printed.emit(True)
        return True

    def save_letter(self) -> str | None:
        """Ask where, then save the letter as a PDF only you can read; the path, or None."""
        if self._letter is None:
            return None
        path = self.choose_file(self, self._file_name)
        if not path:
            return None
        try:
            saved = save_pdf(path, *self._letter)
        except (OSError, PrinterRefused) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.show_message(f"The PDF could not be written ({why}). Nothing was saved.", "error")
            return None
        self.show_message(f"Saved to {saved} (readable by you only).", "info")
        self.saved.emit(str(saved))
        return str(saved)

    def _on_finished(self, _result: int) -> None:
        self.code = None  # the code leaves memory with the dialog
        self._letter = None


def _about_access(exc: ValidationError) -> bool:
    """The refusal says portal access is off (the services' words: "Turn portal access on first.")."""
    return "access on" in str(exc).lower()
