"""The real window for the screen-reader test: run as its own process, on a demo clinic file.

``python desk_app.py CLINIC_FILE PATIENT_ID`` opens Clinic Desk's main window on the file,
opens the patient and runs until its standard input closes (the AT-SPI reader that started
it holds the other end).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSocketNotifier

from clinic_desk import Clinic
from clinic_desk.ui import MainWindow
from clinic_desk.ui.app import ensure_app
from clinic_desk.ui.tasks import wait_for_tasks


def main(path: str, patient_id: int) -> int:
    """Show the window on ``path`` with ``patient_id`` open until stdin closes."""
    app = ensure_app()
    clinic = Clinic.open(f"sqlite:///{path}")
    window = MainWindow(clinic, persist=False, send_mail=False, daily_backup=False)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    window.open_patient(patient_id)
    # The reader closes our stdin when it is done: quit then (and when it dies).
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(app.quit)
    try:
        return app.exec()
    finally:
        window.session.stop()
        window.close()
        wait_for_tasks(5_000)
        clinic.close()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], int(sys.argv[2])))
