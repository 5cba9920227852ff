"""Patient ▸ Print activation letter…: a real code issued on a worker, a real PDF, a real activation.

The printer is the flow's seam (a QPrinter set to a PDF file, no dialog shown); the clinic is
a real SQLite file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMenu

from clinic_desk import NotAllowed
from clinic_desk.domain.activation_letter import expiry_day, long_date
from tests.services.helpers import add_ready_patient
from tests.ui.helpers import open_in, wait_for_colour
from tests.ui.patient.chart_helpers import history_has, open_dialog

PASSWORD = "Blue-harbor-42"


class PdfPrinter:
    """Stands in for the print dialog: each print goes to the next PDF file in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[Path] = []

    def __call__(self, _parent: Any, printer: QPrinter) -> bool:
        path = self.folder / f"letter-{len(self.files) + 1}.pdf"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        self.files.append(path)
        return True


def letter_window(qtbot: Any, clinic: Any, make_window: Any, pid: int, folder: Path) -> tuple[Any, Any]:
    window = make_window(clinic, persist=False, send_mail=False)
    printer = PdfPrinter(folder)
    window.chart_actions.letter_printer = printer
    open_in(qtbot, window, pid)
    return window, printer


def issue(qtbot: Any, dialog: Any) -> Any:
    """Press the dialog's button; returns the ActivationCode once the letter is printed."""
    codes: list[Any] = []
    dialog.letter_ready.connect(codes.append)
    with qtbot.waitSignal(dialog.printed, timeout=10_000) as printed:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert printed.args == [True] and len(codes) == 1
    return codes[0]


def test_the_letter_is_printed_and_its_code_sets_up_the_account(qtbot, clinic, make_window, tmp_path):
    pid = add_ready_patient(clinic, "Ana", "Diaz")
    window, printer = letter_window(qtbot, clinic, make_window, pid, tmp_path)
    wait_for_colour(qtbot, window, "gold")

    dialog = open_dialog(qtbot, window, "activation_letter")
    assert dialog.objectName() == "activationLetter"
    assert "earlier code or invitation link stops working" in dialog.summary.text()
    assert not dialog.save_button.isVisible() and not dialog.access_button.isVisible()  # nothing to save yet
    first = issue(qtbot, dialog)
    assert printer.files[0].read_bytes().startswith(b"%PDF")
    assert first.patient_id == pid and first.language == "en" and len(first.code) == 8
    assert f"(in English); the code works once, until {long_date(expiry_day(first.expires_at), 'en')}" in (
        dialog.summary.text()
    )
    assert dialog.isVisible() and dialog.save_button.isVisible()  # another print, or a PDF, is one press away
    texts = [button.text() for button in dialog.buttons.buttons() if button.isVisible()]
    keys = [text[text.index("&") + 1].lower() for text in texts]
    assert len(set(keys)) == len(texts) == 3, texts  # Print, Save as PDF, Done
    qtbot.waitUntil(lambda: history_has(window, window.actor(), "Issued an activation code"), timeout=5000)

    # A second letter: a new code, and the first one is refused from now on.
    dialog.reject()
    second = issue(qtbot, open_dialog(qtbot, window, "activation_letter"))
    assert second.code != first.code and len(printer.files) == 2
    with pytest.raises(NotAllowed):
        clinic.portal.activate(first.code, date_of_birth="1984-06-02", username="ana.diaz", password=PASSWORD)

    # The patient types the letter's code as printed (two groups) and gets in: the icon turns blue.
    shown = f"{second.code[:4]}-{second.code[4:]}".lower()
    dob = "1984-06-02"
    assert clinic.portal.activate(shown, date_of_birth=dob, username="ana.diaz", password=PASSWORD) == pid
    assert clinic.portal.login("ana.diaz", PASSWORD)
    wait_for_colour(qtbot, window, "blue", timeout=10_000)


def test_save_as_pdf_writes_an_owner_only_file_named_for_the_letter(qtbot, clinic, make_window, tmp_path):
    pid = add_ready_patient(clinic, "Ana", "Diaz")
    window, _printer = letter_window(qtbot, clinic, make_window, pid, tmp_path)
    asked: list[str] = []

    def choose_file(_parent: Any, name: str) -> str:
        asked.append(name)
        return str(tmp_path / name)

    window.chart_actions.letter_file = choose_file
    dialog = open_dialog(qtbot, window, "activation_letter")
    issue(qtbot, dialog)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    path = Path(saved.args[0])
    assert asked == [path.name] and path.name.startswith("Activation letter - Ana Diaz - ")
    assert path.read_bytes().startswith(b"%PDF") and (path.stat().st_mode & 0o777) == 0o600


def test_a_spanish_chart_gets_a_spanish_letter(qtbot, clinic, make_window, tmp_path):
    sheet = tmp_path / "patients.csv"
    sheet.write_text(
        "mrn,first_name,last_name,date_of_birth,email,zip_code,preferred_language\n"
        "ES-1,Lucía,Fernández,1979-03-14,lucia@example.com,02139,es-MX\n",
        encoding="utf-8",
    )
    report = clinic.staff.import_patients(sheet, actor="desk")
    [pid] = report.created
    clinic.staff.set_portal_access(pid, enabled=True, actor="desk")
    window, printer = letter_window(qtbot, clinic, make_window, pid, tmp_path)
    dialog = open_dialog(qtbot, window, "activation_letter")
    code = issue(qtbot, dialog)
    assert code.language == "es"
    assert "Spanish" in dialog.summary.text()
    assert printer.files[0].stat().st_size > 1000


def test_access_off_says_so_plainly_offers_to_turn_it_on_and_issues_nothing(
    qtbot, clinic, make_window, tmp_path
):
    pid = clinic.staff.add_patient(
        first_name="Ana", last_name="Diaz", date_of_birth="1984-06-02", actor="desk"
    )  # no email or ZIP code: access off
    window, printer = letter_window(qtbot, clinic, make_window, pid, tmp_path)
    wait_for_colour(qtbot, window, "red")
    entries = len(clinic.audit(patient_id=pid))

    dialog = open_dialog(qtbot, window, "activation_letter")
    with qtbot.waitSignal(dialog.action_failed, timeout=10_000) as failed:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert failed.args[0].startswith("Turn portal access on first")
    assert dialog.message_text() == failed.args[0]
    assert dialog.access_button.isVisible() and dialog.access_button.hasFocus()
    assert printer.files == [] and dialog.code is None
    assert len(clinic.audit(patient_id=pid)) == entries  # nothing written

    # The offer opens the existing "Turn portal access on…" dialog.
    with qtbot.waitSignal(window.chart_actions.dialog_opened, timeout=3000) as opened:
        qtbot.mouseClick(dialog.access_button, Qt.MouseButton.LeftButton)
    assert opened.args[0].objectName() == "accessOnDialog"


def test_the_action_is_reached_by_its_mnemonic_in_the_patient_menu(qtbot, clinic, make_window, tmp_path):
    pid = add_ready_patient(clinic, "Ana", "Diaz")
    window, _printer = letter_window(qtbot, clinic, make_window, pid, tmp_path)
    action = window.chart_actions.actions["activation_letter"]
    assert action.text() == "Print activation &letter…"
    menu = window.findChild(QMenu, "patientMenu")
    qtbot.waitUntil(action.isEnabled, timeout=3000)
    menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitExposed(menu)
    with qtbot.waitSignal(window.chart_actions.dialog_opened, timeout=3000) as opened:
        qtbot.keyClick(menu, Qt.Key.Key_L)
    dialog = opened.args[0]
    assert dialog.objectName() == "activationLetter" and dialog.confirm_button.isDefault()
    dialog.reject()
