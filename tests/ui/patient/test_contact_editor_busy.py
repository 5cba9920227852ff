"""The contact editor while another workstation is saving to the same SQLite file: a sentence
to act on (not the outage banner), and Save again finishes the same intention once."""

from __future__ import annotations

from PySide6.QtCore import Qt

from clinic_desk import Clinic
from tests.conftest import FakeClock
from tests.services.helpers import add_ready_patient
from tests.services.test_busy_database import _holding_the_write_lock
from tests.ui.patient.test_contact_editor import open_editor


def test_busy_file_says_so_and_save_again_saves_once(qtbot, sqlite_url: str, clock: FakeClock, make_window):
    with Clinic.open(sqlite_url, clock=clock, busy_seconds=0.3) as clinic:
        pid = add_ready_patient(clinic)
        window = make_window(clinic, persist=False)
        dialog = open_editor(qtbot, window, pid)
        dialog.set_value("city", "Somerville")

        other = _holding_the_write_lock(sqlite_url)
        with qtbot.waitSignal(dialog.save_failed, timeout=10_000) as failed:
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert failed.args[0] == "Another workstation is saving — try again. Nothing was saved."
        assert dialog.isVisible() and dialog.values()["city"] == "Somerville"  # the typing stays
        assert not window.dash.outage_banner.isVisible()  # the server is there: no outage
        assert not window.session.outage.in_outage

        other.execute("COMMIT")
        other.close()
        qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=5000)
        with qtbot.waitSignal(dialog.saved, timeout=10_000):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert clinic.staff.chart(pid).city == "Somerville"
        assert [e.action for e in clinic.staff.audit_trail(pid)].count("update_contact") == 1
