"""The settings dialog's staff sign-in fields: lockout threshold and time, and the idle lock."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from clinic_desk import Clinic
from clinic_desk.domain.settings_rules import NUMBER_RANGES
from clinic_desk.ui.settings import ClinicSettingsDialog
from clinic_desk.ui.settings.fields import LINKS_TAB

NAMES = ("staff_lockout_threshold", "staff_lockout_minutes", "idle_lock_minutes")


def _dialog(qtbot: Any, clinic: Clinic) -> ClinicSettingsDialog:
    dialog = ClinicSettingsDialog(clinic)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.facts_loaded, timeout=10_000):
        dialog.show()
    return dialog


def test_the_staff_sign_in_settings_show_their_values_and_ranges(qtbot, clinic):
    clinic.update_settings(actor="admin", staff_lockout_threshold=7, idle_lock_minutes=20)
    dialog = _dialog(qtbot, clinic)
    values = dialog.values()
    assert (
        values["staff_lockout_threshold"],
        values["staff_lockout_minutes"],
        values["idle_lock_minutes"],
    ) == (
        7,
        15,
        20,
    )
    for name in NAMES:
        spin = dialog.spins[name]
        allowed = NUMBER_RANGES[name]
        assert (spin.minimum(), spin.maximum()) == (allowed.minimum, allowed.maximum)
        assert dialog._field_tab[name] == LINKS_TAB
        assert spin.accessibleName() and spin.objectName() == f"{name}Field"
    dialog.close()


def test_the_staff_sign_in_settings_are_saved_and_used(qtbot, clinic, sqlite_url):
    dialog = _dialog(qtbot, clinic)
    dialog.set_value("staff_lockout_threshold", 3)
    dialog.set_value("staff_lockout_minutes", 45)
    dialog.set_value("idle_lock_minutes", 5)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with Clinic.open(sqlite_url) as reopened:
        stored = reopened.settings
    assert (stored.staff_lockout_threshold, stored.staff_lockout_minutes, stored.idle_lock_minutes) == (
        3,
        45,
        5,
    )
    entry = clinic.audit(action="update_settings", limit=1)[0]
    assert entry.after["idle_lock_minutes"] == 5
