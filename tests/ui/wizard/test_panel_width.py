"""At 1024 px the panel is DOCK_WIDTH_NARROW wide: every demo patient's steps fit it, nothing cut."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from clinic_desk.ui.window_fit import DOCK_WIDTH_NARROW
from tests.ui.wizard.keyboard import open_panel


@pytest.fixture
def desk(desk_of_size: Any) -> Any:
    """The demo clinic in a 1024×768 window: ``(clinic, ids, window)``."""
    return desk_of_size(1024, 768)


def test_every_demo_plan_fits_the_narrow_panel(qtbot, desk):
    _clinic, ids, window = desk
    window.show_troubleshooting()
    dock = window.troubleshooting_dock
    too_wide = {}
    for key, patient_id in ids.items():
        panel = open_panel(qtbot, window, patient_id)
        window.resizeDocks([dock], [DOCK_WIDTH_NARROW], Qt.Orientation.Horizontal)
        qtbot.waitUntil(lambda: dock.width() <= DOCK_WIDTH_NARROW + 1)
        content = panel.scroll_area.widget()
        room = panel.scroll_area.viewport().width()
        if content.minimumSizeHint().width() > room:
            too_wide[key] = content.minimumSizeHint().width() - room
    assert not too_wide, f"pixels cut off on the right, per patient: {too_wide}"
