"""Opening a patient paints the secure-message icon's new colour before the rest of the window is built.

The wizard's plan, the portal emails and the History card are filled in later turns of the
event loop; ``patient_opened`` comes once everything is in. What the window shows in the end
is the same as before.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject

from clinic_desk import Clinic
from tests.services.helpers import STAFF, add_ready_patient
from tests.ui.helpers import icon_colour, icon_of, open_in


@pytest.fixture
def window(make_window: Any, clinic: Clinic) -> Any:
    return make_window(clinic, persist=False, send_mail=False)


class _FirstPaint(QObject):
    """Notes what the window held when the icon first painted ``patient_id``'s status."""

    def __init__(self, window: Any, patient_id: int) -> None:
        super().__init__()
        self.window = window
        self.patient_id = patient_id
        self.opened = False
        self.seen: dict[str, Any] | None = None
        window.patient_opened.connect(self._on_window_patient_opened)

    def _on_window_patient_opened(self, _patient_id: int) -> None:
        self.opened = True

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        status = icon_of(self.window).model().status
        ours = status is not None and status.patient_id == self.patient_id
        if event.type() == QEvent.Type.Paint and self.seen is None and ours:
            dash = self.window.dash
            plan = self.window.troubleshooting_dock.widget().plan
            self.seen = {
                "colour": icon_colour(self.window),
                "caption": dash.photo_block.portal.caption.text(),
                "name": dash.photo_block.name_label.text(),
                "opened": self.opened,
                "plan for": plan.patient_id if plan is not None else None,
                "emails shown": dash.emails_card.isVisible(),
            }
        return False


def test_the_icon_paints_the_new_colour_before_the_plan_and_the_lower_cards(qtbot, clinic, window):
    ana = add_ready_patient(clinic)
    eva = add_ready_patient(clinic, first="Eva", email="eva@example.com")
    clinic.staff.set_portal_access(eva, enabled=False, reason="patient_request", actor=STAFF)
    open_in(qtbot, window, ana)
    first_colour = icon_colour(window)
    watch = _FirstPaint(window, eva)
    icon_of(window).installEventFilter(watch)

    open_in(qtbot, window, eva)

    icon_of(window).removeEventFilter(watch)
    assert watch.seen is not None, "the icon never painted Eva's status"
    # At the icon's first paint: its colour, its row and the name are Eva's, and nothing else is yet.
    assert watch.seen["colour"] == "red" != first_colour
    assert watch.seen["caption"] == window.dash.photo_block.portal.caption.text()
    assert watch.seen["name"] == "Eva Lopez"
    assert not watch.seen["opened"]
    assert watch.seen["plan for"] is None  # the wizard builds Eva's plan after the paint
    assert not watch.seen["emails shown"]  # never Ana's emails beside Eva's name
    # Once opened, everything is Eva's, as it always was.
    assert window.troubleshooting_dock.widget().plan.patient_id == eva
    assert window.dash.emails_card.isVisible() and window.dash.history_card.isVisible()
    assert icon_colour(window) == "red"
