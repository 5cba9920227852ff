"""Edit contact details: load, save, and no lost updates when two workstations edit one chart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from clinic_desk.ui.patient.contact_editor import CONFLICT_WORDS, ContactEditorDialog
from tests.services.helpers import add_ready_patient

on_postgres = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
on_sqlite_and_postgres = pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


def open_editor(qtbot, window, patient_id: int) -> ContactEditorDialog:
    if window.session.patient_id != patient_id:
        with qtbot.waitSignal(window.patient_opened, timeout=10_000):
            window.open_patient(patient_id)
    with qtbot.waitSignal(window.dash.edit_contact_requested, timeout=2000):
        qtbot.mouseClick(window.dash.contact_card.edit_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ContactEditorDialog, "contactEditor")
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.version is not None and not dialog.busy, timeout=10_000)
    return dialog


def save(qtbot, dialog: ContactEditorDialog, signal) -> list:
    with qtbot.waitSignal(signal, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return blocker.args


@on_sqlite_and_postgres
def test_edit_and_save_updates_the_dash(qtbot, two_clinics, make_window):
    here, _there = two_clinics
    pid = add_ready_patient(here, phone="617-555-0101")
    window = make_window(here, persist=False)
    dialog = open_editor(qtbot, window, pid)
    assert dialog.values()["email"] == "ana.lopez@example.com"
    assert dialog.values()["phone"] == "(617) 555-0101"
    assert dialog.edits["email"].hasFocus() or QApplication.focusWidget() is not None
    dialog.set_value("email", "ana.new@example.com")
    dialog.set_value("city", "Somerville")
    [version] = save(qtbot, dialog, dialog.saved)
    assert version == here.staff.chart(pid).version
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(
        lambda: window.dash.contact_card.values["email"].text() == "ana.new@example.com", timeout=3000
    )
    chart = here.staff.chart(pid)
    assert (chart.email, chart.city, chart.phone) == ("ana.new@example.com", "Somerville", "(617) 555-0101")


@on_postgres
def test_someone_else_saved_first_nothing_is_lost(qtbot, two_clinics, make_window):
    here, there = two_clinics
    pid = add_ready_patient(here, phone="617-555-0101", city="Boston")
    mine = make_window(here, persist=False)
    theirs = make_window(there, persist=False)
    my_form = open_editor(qtbot, mine, pid)
    their_form = open_editor(qtbot, theirs, pid)
    loaded_version = my_form.version

    # I type a new email and ZIP code...
    my_form.set_value("email", "ana.mine@example.com")
    my_form.set_value("zip_code", "02140")
    # ...while the other workstation saves a different email and a new phone number first.
    their_form.set_value("email", "ana.theirs@example.com")
    their_form.set_value("phone", "617-555-0177")
    save(qtbot, their_form, their_form.saved)

    audit_before = len(here.staff.audit_trail(pid))
    args = save(qtbot, my_form, my_form.conflict_detected)
    assert args == []
    # Nothing of mine was written.
    chart = here.staff.chart(pid)
    assert (chart.email, chart.zip_code, chart.phone) == ("ana.theirs@example.com", "02139", "(617) 555-0177")
    assert len(here.staff.audit_trail(pid)) == audit_before
    # The form says so, keeps my typing, and shows theirs where it differs.
    assert my_form.isVisible()
    assert my_form.message.text() == CONFLICT_WORDS
    assert my_form.values()["email"] == "ana.mine@example.com"
    assert my_form.values()["zip_code"] == "02140"
    assert my_form.theirs_text("email") == "Theirs: ana.theirs@example.com"
    assert my_form.theirs_text("zip_code") == ""  # they did not change it
    # A field I did not touch simply shows their new value (saving again must not undo it).
    assert my_form.values()["phone"] == "(617) 555-0177"
    assert my_form.theirs_text("phone") == ""
    assert my_form.version == chart.version != loaded_version

    # I checked: save mine on top of theirs.
    save(qtbot, my_form, my_form.saved)
    chart = here.staff.chart(pid)
    assert (chart.email, chart.zip_code, chart.phone, chart.city) == (
        "ana.mine@example.com",
        "02140",
        "(617) 555-0177",
        "Boston",
    )
    # Both windows show the final chart within a moment (live updates).
    for window in (mine, theirs):
        qtbot.waitUntil(
            lambda w=window: w.dash.contact_card.values["email"].text() == "ana.mine@example.com",
            timeout=3000,
        )


@on_sqlite_and_postgres
def test_bad_input_is_said_and_nothing_is_saved(qtbot, two_clinics, make_window):
    here, _there = two_clinics
    pid = add_ready_patient(here)
    window = make_window(here, persist=False)
    dialog = open_editor(qtbot, window, pid)
    version = dialog.version
    dialog.set_value("email", "not an email")
    [words] = save(qtbot, dialog, dialog.save_failed)
    assert "email" in words.lower()
    assert dialog.isVisible() and dialog.message.isVisible()
    assert dialog.values()["email"] == "not an email"
    assert dialog.edits["email"].hasFocus()
    assert here.staff.chart(pid).version == version


@on_sqlite_and_postgres
def test_menu_action_opens_the_editor_and_cancel_saves_nothing(qtbot, two_clinics, make_window):
    here, _there = two_clinics
    pid = add_ready_patient(here)
    window = make_window(here, persist=False)
    assert window.edit_contact() is None  # no patient open: a hint in the status bar instead
    with qtbot.waitSignal(window.patient_opened, timeout=10_000):
        window.open_patient(pid)
    action = window.findChild(type(window.menuBar().actions()[0]), "editContactAction")
    action.trigger()
    dialog = window.findChild(ContactEditorDialog, "contactEditor")
    qtbot.waitUntil(lambda: dialog.version is not None, timeout=10_000)
    version = dialog.version
    dialog.set_value("phone", "617-555-0123")
    dialog.reject()
    assert here.staff.chart(pid).version == version


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_invisible_character_is_named_and_nothing_is_saved(qtbot, two_clinics, make_window):
    here, _there = two_clinics
    pid = add_ready_patient(here, city="Boston")
    window = make_window(here, persist=False)
    dialog = open_editor(qtbot, window, pid)
    version = dialog.version
    dialog.set_value("city", "Bos\u200bton")  # a zero-width space pasted from a web page
    [words] = save(qtbot, dialog, dialog.save_failed)
    assert words.startswith("City: remove the invisible or control characters")
    assert dialog.message.text() == words and dialog.message.isVisible()
    assert dialog.values()["city"] == "Bos\u200bton"  # the typing is kept to be fixed
    assert here.staff.chart(pid).version == version


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_international_domain_is_shown_readable(qtbot, two_clinics, make_window):
    here, _there = two_clinics
    pid = add_ready_patient(here, email="ana@bücher.example")
    assert here.staff.chart(pid).email == "ana@xn--bcher-kva.example"
    window = make_window(here, persist=False)
    dialog = open_editor(qtbot, window, pid)
    assert dialog.values()["email"] == "ana@bücher.example"
    assert window.dash.contact_card.values["email"].text() == "ana@bücher.example"
    dialog.set_value("city", "Somerville")
    save(qtbot, dialog, dialog.saved)
    chart = here.staff.chart(pid)  # the readable form on screen never replaces the stored one
    assert (chart.email, chart.city) == ("ana@xn--bcher-kva.example", "Somerville")
    assert "email" not in here.staff.audit_trail(pid)[-1].after
