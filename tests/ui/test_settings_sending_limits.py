"""The settings dialog's bulk-invitation window and hourly sending limit: shown, ranged, saved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from clinic_desk import Clinic
from clinic_desk.domain.settings_rules import NUMBER_RANGES
from clinic_desk.ui.settings import ClinicSettingsDialog
from clinic_desk.ui.settings.fields import LINKS_TAB

NAMES = ("bulk_invite_skip_days", "mail_per_hour")


def _dialog(qtbot: Any, clinic: Clinic) -> ClinicSettingsDialog:
    dialog = ClinicSettingsDialog(clinic)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.facts_loaded, timeout=10_000):
        dialog.show()
    return dialog


def test_the_sending_limits_show_their_values_and_are_saved(qtbot, sqlite_url, clock):
    with Clinic.open(sqlite_url, clock=clock) as clinic:
        clinic.update_settings(actor="admin", mail_per_hour=250)
        dialog = _dialog(qtbot, clinic)
        assert (dialog.values()["bulk_invite_skip_days"], dialog.values()["mail_per_hour"]) == (7, 250)
        for name in NAMES:
            spin = dialog.spins[name]
            allowed = NUMBER_RANGES[name]
            assert (
                (spin.minimum(), spin.maximum()) == (allowed.minimum, allowed.maximum) == (0, allowed.maximum)
            )
            assert dialog._field_tab[name] == LINKS_TAB
            assert spin.accessibleName() and spin.accessibleDescription()
            assert spin.objectName() == f"{name}Field"
        dialog.set_value("bulk_invite_skip_days", 14)
        dialog.set_value("mail_per_hour", 0)
        with qtbot.waitSignal(dialog.saved, timeout=10_000):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        dialog.close()
        entry = clinic.audit(action="update_settings", limit=1)[0]
    assert entry.after == {"bulk_invite_skip_days": 14, "mail_per_hour": 0}
    with Clinic.open(sqlite_url) as reopened:
        assert (reopened.settings.bulk_invite_skip_days, reopened.settings.mail_per_hour) == (14, 0)
