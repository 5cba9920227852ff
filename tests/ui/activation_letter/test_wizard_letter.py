"""The wizard's "no email" path: the activation letter beside the username and password set by hand."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.ui.activation_letter.test_letter_flow import PdfPrinter, issue
from tests.ui.wizard.keyboard import open_panel


def test_a_placeholder_patients_plan_offers_the_letter_and_its_button_prints_it(
    qtbot, demo, make_window, tmp_path
):
    clinic, ids = demo
    window = make_window(clinic, send_mail=False)
    printer = PdfPrinter(tmp_path)
    window.chart_actions.letter_printer = printer
    panel = open_panel(qtbot, window, ids["placeholder"])
    card = panel.step("set_credentials")
    assert card is not None and card.isVisible()
    button = card.findChild(QPushButton, "wizardActivationLetter")
    assert button is not None and button.isVisible() and button.text() == "Print activation &letter…"
    assert card.fields["username"].editor is not None  # the by-hand path stays beside it

    with qtbot.waitSignal(window.chart_actions.dialog_opened, timeout=3000) as opened:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    assert dialog.objectName() == "activationLetter"
    code = issue(qtbot, dialog)
    assert code.patient_id == ids["placeholder"]
    assert printer.files[0].read_bytes().startswith(b"%PDF")
