"""The clinic-wide audit log through the window: who may open it, each filter, paging, CSV export."""

from __future__ import annotations

import csv
import os
import stat
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

from clinic_desk.domain.roles import Permission, refusal
from tests.ui.admin.staff_helpers import PASSWORD, add_staff, make_signed_in_window


@pytest.fixture
def staff(clinic: Any) -> dict[str, Any]:
    return add_staff(clinic)


@pytest.fixture
def patients(clinic: Any, staff: dict[str, Any], clock: Any) -> dict[str, int]:
    """Two patients added by different people on different days, with a few changes each."""
    first = clinic.staff.add_patient(
        first_name="Rosa",
        last_name="Diaz",
        date_of_birth=date(1970, 5, 1),
        email="rosa@example.com",
        zip_code="02139",
        actor="mlopez",
    )
    clinic.staff.update_contact(first, email="rosa.diaz@example.com", actor="mlopez", note="New address")
    clock.advance(days=3)
    second = clinic.staff.add_patient(
        first_name="Omar",
        last_name="Said",
        date_of_birth=date(1988, 9, 9),
        email="omar@example.com",
        zip_code="02140",
        actor="dkim",
    )
    clinic.staff.set_portal_access(
        second, enabled=False, reason="security", actor="dkim", note="Shared phone"
    )
    return {"first": first, "second": second}


def _open_log(qtbot: Any, window: Any, page_size: int | None = None) -> Any:
    window.admin_tools.audit_action.trigger()
    dialog = window.admin_tools.audit_log
    assert dialog is not None and dialog.objectName() == "auditLog"
    if page_size is not None:
        dialog.page_size = page_size
    qtbot.waitUntil(lambda: not dialog.loading and dialog.model.rowCount() > 0, timeout=10_000)
    return dialog


def _apply(qtbot: Any, dialog: Any) -> list[Any]:
    with qtbot.waitSignal(dialog.page_loaded, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.filters.apply_button, Qt.MouseButton.LeftButton)
    return list(blocker.args[0])


def _cells(dialog: Any, row: int) -> list[str]:
    return [dialog.model.index(row, column).data() for column in range(dialog.model.columnCount())]


def test_managers_and_administrators_may_open_it_front_desk_may_not(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["front_desk"])
    assert not window.admin_tools.audit_action.isEnabled()
    assert window.admin_tools.audit_action.toolTip() == refusal(Permission.CLINIC_AUDIT_LOG)
    assert window.admin_tools.open_audit_log() is None
    window.set_staff_member(staff["manager"])
    assert window.admin_tools.audit_action.isEnabled()
    assert not window.admin_tools.staff_action.isEnabled()
    dialog = _open_log(qtbot, window)
    assert dialog.isVisible()


def test_entries_show_who_when_where_what_and_the_change(qtbot, clinic, staff, patients, make_window):
    window = make_signed_in_window(make_window, clinic, staff["manager"])
    dialog = _open_log(qtbot, window)
    records = dialog.model.records
    assert [r.id for r in records] == sorted((r.id for r in records), reverse=True)  # newest first
    off = next(row for row, r in enumerate(records) if r.action == "portal_access_off")
    when, who, workstation, what, patient, change, note = _cells(dialog, off)
    assert (who, what, patient, note) == (
        "dkim",
        "Turned portal access off",
        str(patients["second"]),
        "Shared phone",
    )
    assert workstation == clinic.workstation
    assert "Portal access: on → off" in change
    assert when.startswith("2026-03-0")
    edited = next(row for row, r in enumerate(records) if r.action == "update_contact")
    assert "Email: rosa@example.com → rosa.diaz@example.com" in _cells(dialog, edited)[5]


def test_filter_by_staff_member(qtbot, clinic, staff, patients, make_window):
    window = make_signed_in_window(make_window, clinic, staff["manager"])
    dialog = _open_log(qtbot, window)
    qtbot.waitUntil(lambda: dialog.filters.staff_combo.count() == 4)  # Everyone + three members
    combo = dialog.filters.staff_combo
    combo.setCurrentIndex(combo.findData("mlopez"))
    shown = _apply(qtbot, dialog)
    assert shown and {r.actor for r in shown} == {"mlopez"}
    combo.setEditText("dkim")  # typed, not chosen
    shown = _apply(qtbot, dialog)
    assert shown and {r.actor for r in shown} == {"dkim"}


def test_filter_by_action(qtbot, clinic, staff, patients, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_log(qtbot, window)
    dialog.filters.choose_action("add_patient")
    shown = _apply(qtbot, dialog)
    assert len(shown) == 2 and {r.action for r in shown} == {"add_patient"}


def test_filter_by_patient_mrn_or_id(qtbot, clinic, staff, patients, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_log(qtbot, window)
    mrn = clinic.patient_snapshot(patients["first"]).chart.mrn
    dialog.filters.patient_edit.setText(mrn)
    shown = _apply(qtbot, dialog)
    assert shown and {r.patient_id for r in shown} == {patients["first"]}
    dialog.filters.patient_edit.setText(str(patients["second"]))
    shown = _apply(qtbot, dialog)
    assert shown and {r.patient_id for r in shown} == {patients["second"]}
    dialog.filters.patient_edit.setText("NO-SUCH-MRN")
    with qtbot.waitSignal(dialog.load_failed, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.filters.apply_button, Qt.MouseButton.LeftButton)
    assert "No patient with id or MRN" in blocker.args[0]
    assert "No patient with id or MRN" in dialog.message_text()


def test_filter_by_date_range(qtbot, clinic, staff, patients, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_log(qtbot, window)
    later = clinic.audit(action="portal_access_off", limit=1)[0].at.astimezone().date()
    dialog.filters.set_dates(later, later)
    shown = _apply(qtbot, dialog)
    assert shown and {r.at.astimezone().date() for r in shown} == {later}
    assert "portal_access_off" in {r.action for r in shown}
    assert "update_contact" not in {r.action for r in shown}
    dialog.filters.set_dates(None, later - timedelta(days=1))
    shown = _apply(qtbot, dialog)
    assert "update_contact" in {r.action for r in shown}
    assert "portal_access_off" not in {r.action for r in shown}
    dialog.filters.set_dates(later, later - timedelta(days=1))
    dialog.filters.apply_button.click()
    assert "before the 'From' date" in dialog.message_text()


def test_paging_older_and_newer_without_duplicates(qtbot, clinic, staff, patients, make_window):
    for _ in range(450):
        clinic.access.note(patients["first"], actor="mlopez")
    assert clinic.access.flush() == 450
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_log(qtbot, window)
    dialog.filters.choose_action("chart_opened")
    pages = [_apply(qtbot, dialog)]
    assert dialog.page_number == 1 and not dialog.newer_button.isEnabled()
    while dialog.older_button.isEnabled():
        with qtbot.waitSignal(dialog.page_loaded, timeout=10_000) as blocker:
            qtbot.mouseClick(dialog.older_button, Qt.MouseButton.LeftButton)
        pages.append(list(blocker.args[0]))
    assert [len(page) for page in pages] == [200, 200, 50]
    ids = [record.id for page in pages for record in page]
    assert len(ids) == len(set(ids)) == 450
    assert ids == sorted(ids, reverse=True)
    assert "Page 3" in dialog.page_label.text()
    with qtbot.waitSignal(dialog.page_loaded, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.newer_button, Qt.MouseButton.LeftButton)
    assert [r.id for r in blocker.args[0]] == [r.id for r in pages[1]]
    assert dialog.page_number == 2


def test_csv_export_holds_every_filtered_entry_private_and_without_secrets(
    qtbot, clinic, staff, patients, make_window, tmp_path
):
    clinic.admin.reset_staff_password("mlopez", actor="alee")
    clinic.staff.set_credentials(
        patients["first"], username="rosad", password="Rosa-portal-2026!", actor="mlopez"
    )
    for _ in range(1200):  # more than one export page
        clinic.access.note(patients["second"], actor="dkim")
    while clinic.access.flush():
        pass
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_log(qtbot, window)
    name = dialog.choose_export_file()
    try:
        assert name.selectedFiles()[0].endswith(f"audit-log-{date.today().isoformat()}.csv")
    finally:
        name.reject()
    target = tmp_path / "export" / "audit-log.csv"
    target.parent.mkdir()
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000) as blocker:
        dialog.export_to(target)
    count = blocker.args[1]
    expected = []
    before = None
    while page := clinic.audit(before_id=before, limit=1000):
        expected.extend(page)
        before = page[-1].id
    assert count == len(expected) > 1200
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert not list(target.parent.glob("*.part"))
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [
        "id",
        "when",
        "who",
        "workstation",
        "action",
        "what",
        "patient id",
        "before → after",
        "note",
    ]
    assert [int(row[0]) for row in rows[1:]] == [record.id for record in expected]
    assert {row[4] for row in rows[1:]} >= {"staff_password_reset", "set_credentials", "chart_opened"}
    text = target.read_text(encoding="utf-8")
    for secret in (PASSWORD, "Rosa-portal-2026!", "argon2", "$argon2"):
        assert secret not in text
    assert "Saved" in dialog.message_text() and "readable by you only" in dialog.message_text()


def test_csv_export_follows_the_filters_and_names_them(qtbot, clinic, staff, patients, make_window, tmp_path):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_log(qtbot, window)
    dialog.filters.choose_action("add_patient")
    _apply(qtbot, dialog)
    chooser = dialog.choose_export_file()
    try:
        assert (
            Path(chooser.selectedFiles()[0]).name == f"audit-log-add_patient-{date.today().isoformat()}.csv"
        )
    finally:
        chooser.reject()
    target = tmp_path / "added.csv"
    with qtbot.waitSignal(dialog.export_finished, timeout=10_000) as blocker:
        dialog.export_to(target)
    assert blocker.args[1] == 2
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    assert [row[4] for row in rows[1:]] == ["add_patient", "add_patient"]


def test_an_export_that_cannot_be_written_says_so(qtbot, clinic, staff, make_window, tmp_path):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_log(qtbot, window)
    with qtbot.waitSignal(dialog.export_failed, timeout=10_000) as blocker:
        dialog.export_to(tmp_path / "no-such-folder" / "log.csv")
    assert "could not be written" in blocker.args[0]
    assert dialog.export_button.isEnabled()


def test_switching_to_a_member_who_may_not_closes_the_log(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["manager"])
    _open_log(qtbot, window)
    window.set_staff_member(staff["front_desk"])
    qtbot.waitUntil(lambda: window.admin_tools.audit_log is None)
    assert not window.admin_tools.audit_action.isEnabled()


def test_the_same_member_signing_in_again_keeps_the_log_open(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["manager"])
    dialog = _open_log(qtbot, window)
    window.set_staff_member(staff["manager"])  # unlocked by the same person
    assert window.admin_tools.audit_log is dialog and dialog.isVisible()


def test_every_filter_and_button_is_named_and_has_its_own_key(qtbot, clinic, staff, make_window):
    window = make_signed_in_window(make_window, clinic, staff["admin"])
    dialog = _open_log(qtbot, window)
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    texts += [button.text() for button in dialog.findChildren(QAbstractButton) if "&" in button.text()]
    keys = [text[text.index("&") + 1].lower() for text in texts if "&" in text]
    assert len(keys) == len(set(keys)) >= 10
    for widget in (dialog.filters.staff_combo, dialog.filters.action_combo, dialog.filters.patient_edit):
        assert widget.objectName() and widget.accessibleName()
    assert dialog.table.objectName() == "auditTable" and dialog.table.accessibleName()
