"""The troubleshooting wizard mirrors the signed-in role: steps the role may not do are greyed out."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip

from clinic_desk.domain import troubleshooting as plan
from clinic_desk.domain.roles import Permission, refusal
from clinic_desk.ui.wizard import TroubleshootingWizardPanel
from tests.ui.admin.staff_helpers import add_staff, make_signed_in_window

TIMEOUT = 10_000


@pytest.fixture
def staff(clinic: Any) -> dict[str, Any]:
    return add_staff(clinic)


def _patient(clinic: Any, **changes: Any) -> int:
    pid = clinic.staff.add_patient(
        first_name="Lena",
        last_name="Park",
        date_of_birth=date(1979, 2, 2),
        email="lena@example.com",
        zip_code="02139",
        actor="dkim",
    )
    if changes.get("inactive"):
        clinic.staff.set_patient_status(pid, "inactive", actor="dkim")
    if changes.get("off_for"):
        clinic.staff.set_portal_access(pid, enabled=True, actor="dkim")
        clinic.staff.set_portal_access(
            pid, enabled=False, reason=changes["off_for"], actor="dkim", note="Why"
        )
    return pid


def _open(qtbot: Any, window: Any, patient_id: int) -> TroubleshootingWizardPanel:
    with qtbot.waitSignal(window.patient_opened, timeout=TIMEOUT):
        window.open_patient(patient_id)
    panel = window.troubleshooting_dock.widget()
    assert isinstance(panel, TroubleshootingWizardPanel)
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.patient_id == patient_id, timeout=TIMEOUT)
    return panel


def _tooltip(widget: Any) -> str:
    pos = widget.rect().center()
    widget.event(QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos)))
    text = QToolTip.text()
    QToolTip.hideText()
    return text


def test_front_desk_sees_make_active_greyed_out_with_who_may(qtbot, clinic, staff, make_window):
    pid = _patient(clinic, inactive=True)
    window = make_signed_in_window(make_window, clinic, staff["front_desk"])
    panel = _open(qtbot, window, pid)
    step = panel.step(plan.REACTIVATE_PATIENT)
    assert step is not None and step.action_button is not None
    words = refusal(Permission.SET_PATIENT_STATUS)
    assert not step.action_button.isEnabled()
    assert step.action_button.toolTip() == words
    assert _tooltip(step.action_button) == words
    assert step.refusal_label.isVisible() and step.refusal_label.text() == words
    # Steps any staff member may do stay available.
    others = [s for s in panel.steps() if s.action_button is not None and s is not step]
    assert all(s.refusal is None for s in others)


def test_a_manager_may_make_the_patient_active(qtbot, clinic, staff, make_window):
    pid = _patient(clinic, inactive=True)
    window = make_signed_in_window(make_window, clinic, staff["manager"])
    panel = _open(qtbot, window, pid)
    step = panel.step(plan.REACTIVATE_PATIENT)
    assert step.action_button.isEnabled() and step.refusal is None
    assert not step.refusal_label.isVisible()


@pytest.mark.parametrize(
    ("reason", "refused"), [("security", True), ("preventing_harm", True), ("patient_request", False)]
)
def test_undoing_a_protected_switch_off_needs_a_manager(qtbot, clinic, staff, make_window, reason, refused):
    pid = _patient(clinic, off_for=reason)
    window = make_signed_in_window(make_window, clinic, staff["front_desk"])
    panel = _open(qtbot, window, pid)
    step = panel.step(plan.REENABLE_ACCESS)
    assert step is not None
    assert step.action_button.isEnabled() is not refused
    if refused:
        assert step.action_button.toolTip() == refusal(Permission.UNDO_PROTECTED_SWITCH_OFF)


def test_a_new_member_signing_in_updates_the_open_plan(qtbot, clinic, staff, make_window):
    pid = _patient(clinic, inactive=True)
    window = make_signed_in_window(make_window, clinic, staff["front_desk"])
    panel = _open(qtbot, window, pid)
    assert not panel.step(plan.REACTIVATE_PATIENT).action_button.isEnabled()
    window.set_staff_member(staff["admin"])
    assert panel.step(plan.REACTIVATE_PATIENT).action_button.isEnabled()
    assert panel.step(plan.REACTIVATE_PATIENT).action_button.toolTip() == ""


def test_greyed_out_stays_greyed_out_after_another_steps_action(qtbot, clinic, staff, make_window):
    pid = _patient(clinic, inactive=True)
    window = make_signed_in_window(make_window, clinic, staff["front_desk"])
    panel = _open(qtbot, window, pid)
    step = panel.step(plan.REACTIVATE_PATIENT)
    step.set_actions_enabled(False)
    step.set_actions_enabled(True)
    assert not step.action_button.isEnabled()
    step._on_action_button_clicked()  # a stray Enter cannot open the confirmation
    assert step.confirm_bar is None


def test_without_a_window_the_panel_allows_everything(qtbot, clinic):
    from clinic_desk.ui.patient.status_model import PortalStatusModel

    model = PortalStatusModel()
    panel = TroubleshootingWizardPanel(clinic, model)
    qtbot.addWidget(panel)
    assert panel.may(Permission.STAFF_ACCOUNTS)
