"""Set patient status and New patient (walk-in) from the Patient menu, end to end through the window."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from clinic_desk.domain.roles import Permission, refusal
from tests.services.helpers import add_ready_patient
from tests.ui.helpers import open_in, wait_for_colour
from tests.ui.patient.chart_helpers import USERNAMES, add_staff, history_has, open_dialog, press


def test_marking_a_patient_deceased_says_what_happens_and_turns_the_icon_red(qtbot, clinic, make_window):
    members = add_staff(clinic)
    pid = add_ready_patient(clinic, actor=USERNAMES["manager"])
    window = make_window(clinic, persist=False, send_mail=False, staff=members["manager"])
    open_in(qtbot, window, pid)
    wait_for_colour(qtbot, window, "gold")

    dialog = open_dialog(qtbot, window, "set_status")
    assert dialog.objectName() == "patientStatusDialog"
    assert dialog.chosen == "active" and not dialog.confirm_button.isEnabled()
    dialog.choose("deceased", "Family called")
    words = dialog.summary.text()
    assert "marked Deceased" in words and "Portal access is turned off" in words
    assert dialog.confirm_button.isEnabled()
    press(qtbot, dialog)

    wait_for_colour(qtbot, window, "red")
    qtbot.waitUntil(
        lambda: history_has(
            window, "sam.manager", "Changed the patient's status", "Status: Active \u2192 Deceased"
        ),
        timeout=5000,
    )
    assert clinic.staff.chart(pid).status == "deceased"


def test_leaving_deceased_needs_a_note(qtbot, clinic, make_window):
    pid = add_ready_patient(clinic)
    clinic.staff.set_patient_status(pid, "deceased", actor="frontdesk")
    window = make_window(clinic, persist=False, send_mail=False)
    open_in(qtbot, window, pid)
    dialog = open_dialog(qtbot, window, "set_status")
    dialog.choose("active")
    assert "add a note" in dialog.summary.text()
    assert "Portal access stays off until staff turn it on" in dialog.summary.text()
    [words] = press(qtbot, dialog, "action_failed")
    assert dialog.error_text("note") == words
    assert clinic.staff.chart(pid).status == "deceased"

    dialog.note.setText("Marked deceased by mistake")
    press(qtbot, dialog)
    qtbot.waitUntil(lambda: window.dash.photo_block.status_pill.text() == "Active", timeout=5000)
    wait_for_colour(qtbot, window, "red")  # access stays off until turned on


def test_front_desk_sees_set_status_disabled_with_who_may(qtbot, clinic, make_window):
    members = add_staff(clinic)
    pid = add_ready_patient(clinic, actor=USERNAMES["front_desk"])
    window = make_window(clinic, persist=False, send_mail=False, staff=members["front_desk"])
    open_in(qtbot, window, pid)
    actions = window.chart_actions.actions
    assert not actions["set_status"].isEnabled()
    assert actions["set_status"].toolTip() == refusal(Permission.SET_PATIENT_STATUS)
    assert window.chart_actions.set_status() is None
    assert all(actions[name].isEnabled() for name in ("new_patient", "turn_access_off", "turn_access_on"))

    window.set_staff_member(members["admin"])
    assert actions["set_status"].isEnabled()


def test_new_patient_checks_like_the_api_and_opens_the_new_chart(qtbot, clinic, make_window):
    members = add_staff(clinic)
    window = make_window(clinic, persist=False, send_mail=False, staff=members["front_desk"])
    dialog = open_dialog(qtbot, window, "new_patient")
    assert dialog.objectName() == "newPatientDialog"
    dialog.fill(
        first_name="Rosa", last_name="Diaz", date_of_birth="07/04/1990", email="rosa@", zip_code="02139"
    )
    assert "Portal access starts on" in dialog.summary.text()
    [words] = press(qtbot, dialog, "action_failed")
    assert dialog.error_text("email") == words and words.startswith("Email")
    assert dialog.edits["email"].hasFocus()
    assert clinic.staff.find_patients("Diaz") == []

    dialog.fill(email="rosa.diaz@example.com")
    with qtbot.waitSignal(window.patient_opened, timeout=10_000) as opened:
        [pid] = press(qtbot, dialog)
    assert opened.args == [pid]
    wait_for_colour(qtbot, window, "gold")
    chart = clinic.staff.chart(pid)
    assert (chart.full_name, chart.date_of_birth, chart.status) == ("Rosa Diaz", date(1990, 7, 4), "active")
    qtbot.waitUntil(lambda: history_has(window, "maria.front", "Added the chart"), timeout=5000)


def test_a_chart_with_the_same_name_and_birthday_is_offered_first(qtbot, clinic, make_window):
    existing = add_ready_patient(clinic, "Ana", "Lopez", date_of_birth="1984-06-02")
    mrn = clinic.staff.chart(existing).mrn
    window = make_window(clinic, persist=False, send_mail=False)
    dialog = open_dialog(qtbot, window, "new_patient")
    dialog.fill(first_name="ana", last_name="LOPEZ", date_of_birth="6/2/1984", status="prospective")
    with qtbot.waitSignal(dialog.duplicates_found, timeout=10_000):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    assert dialog.duplicates.isVisible() and not dialog.confirm_button.isEnabled()
    assert dialog.duplicate_list.item(0).text() == f"Ana Lopez \u2014 MRN {mrn} \u2014 born 06/02/1984"
    assert len(clinic.staff.find_patients("Lopez")) == 1
    with qtbot.waitSignal(window.patient_opened, timeout=10_000) as opened:
        qtbot.mouseClick(dialog.open_existing_button, Qt.MouseButton.LeftButton)
    assert opened.args == [existing]
    assert len(clinic.staff.find_patients("Lopez")) == 1


def test_add_anyway_makes_a_second_chart(qtbot, clinic, make_window):
    existing = add_ready_patient(clinic, "Ana", "Lopez", date_of_birth="1984-06-02")
    window = make_window(clinic, persist=False, send_mail=False)
    dialog = open_dialog(qtbot, window, "new_patient")
    dialog.fill(first_name="Ana", last_name="Lopez", date_of_birth="1984-06-02")
    with qtbot.waitSignal(dialog.duplicates_found, timeout=10_000):
        dialog.confirm()
    # Changing what was typed hides the warning: the next press checks again.
    dialog.fill(phone="617-555-0123")
    assert not dialog.duplicates.isVisible() and dialog.confirm_button.isEnabled()
    with qtbot.waitSignal(dialog.duplicates_found, timeout=10_000):
        dialog.confirm()
    with (
        qtbot.waitSignal(dialog.patient_added, timeout=10_000) as added,
        qtbot.waitSignal(window.patient_opened, timeout=10_000),
    ):
        qtbot.mouseClick(dialog.add_anyway_button, Qt.MouseButton.LeftButton)
    [pid] = added.args
    assert pid != existing
    assert clinic.staff.chart(pid).phone == "(617) 555-0123"
    assert clinic.status(pid).color == "red"  # no email, no ZIP code: access starts off
