"""run_gui styles the application, shows the main window and returns the loop's exit code."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from clinic_desk.ui import MainWindow
from clinic_desk.ui.app import run_gui
from clinic_desk.ui.theme import reset_theme


def test_run_gui_shows_the_window_and_returns_the_exit_code(qtbot, seeded, qapp, monkeypatch):
    clinic, _ids = seeded
    seen = []

    def fake_exec():
        # Stands in for the event loop: what a user would see when it starts.
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend(windows)
        assert qapp.styleSheet()
        for window in windows:
            window.close()
        return 0

    monkeypatch.setattr(qapp, "exec", fake_exec)
    try:
        assert run_gui(clinic) == 0
    finally:
        reset_theme(qapp)  # the stylesheet and the palette go with the test
    assert len(seen) == 1
    assert seen[0].clinic is clinic
    assert not seen[0].session.polling
