"""Clinic settings saved at another workstation show in this window without a restart.

Two ``Clinic`` objects on one database (two engines, as on two computers): the other desk
saves the settings; this window's change feed hears it, ``clinic.refresh_settings()`` runs on
a worker, and the header, the open patient's status and the idle lock follow.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from tests.services.helpers import add_ready_patient
from tests.ui.helpers import open_in

ARRIVES_WITHIN_MS = 6000  # about a second in practice; generous for a busy machine
ADMIN = "office.admin"


class Clock:
    """Monotonic seconds the test moves by hand (the idle lock's clock)."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def _codes(window: Any) -> set[str]:
    status = window.session.view.status
    return {spot.code for spot in status.trouble_spots} | {reason.code for reason in status.reasons}


def test_settings_from_another_desk_show_without_a_restart(
    qtbot: Any, two_clinics: Any, make_window: Any
) -> None:
    here, there = two_clinics
    clock = Clock()
    window = make_window(here, persist=False, send_mail=False, daily_backup=False, idle_clock=clock)
    qtbot.waitUntil(lambda: window.staff_session.mode == "single_user")
    name = window.findChild(QLabel, "clinicNameLabel")
    assert name.text() == here.settings.clinic_name == "Riverside Family Clinic"
    assert name.isVisible()

    # No patient open: the window listens from its first show.
    there.update_settings(actor=ADMIN, clinic_name="Harbor Street Clinic", idle_lock_minutes=2)
    qtbot.waitUntil(lambda: name.text() == "Harbor Street Clinic", timeout=ARRIVES_WITHIN_MS)
    assert here.settings.idle_lock_minutes == 2
    assert "another workstation" in window.statusBar().currentMessage()
    clock.seconds += 3 * 60  # the idle lock follows the new minutes (it was 10)
    assert window.staff_session.idle_watch.check()
    qtbot.waitUntil(lambda: window.locked)


def test_a_new_placeholder_domain_reloads_the_open_patient(
    qtbot: Any, two_clinics: Any, make_window: Any
) -> None:
    here, there = two_clinics
    pid = add_ready_patient(here, email="ana@no-mail.harbor.example")
    window = make_window(here, persist=False, send_mail=False, daily_backup=False)
    open_in(qtbot, window, pid)
    assert "placeholder_email" not in _codes(window)
    checks = window.live_settings.checks

    # A change to the patient alone: the settings stay as they are (at most a one-row look).
    there.staff.update_contact(pid, phone="617-555-0199", actor="maria")
    qtbot.waitUntil(
        lambda: window.dash.contact_card.values["phone"].text() == "(617) 555-0199", timeout=ARRIVES_WITHIN_MS
    )
    assert here.settings.placeholder_domain != "no-mail.harbor.example"

    there.update_settings(actor=ADMIN, placeholder_domain="no-mail.harbor.example")
    qtbot.waitUntil(lambda: "placeholder_email" in _codes(window), timeout=ARRIVES_WITHIN_MS)
    assert here.settings.placeholder_domain == "no-mail.harbor.example"
    assert window.live_settings.checks > checks
