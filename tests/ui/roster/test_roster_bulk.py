"""Bulk invitations from the roster: preview with skips, confirm, progress, cancel, summary, roles."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt

from clinic_desk.domain import codes
from clinic_desk.domain.roles import Permission, refusal
from clinic_desk.ui.roster.bulk_invite import BulkInviteFlow
from clinic_desk.ui.roster.bulk_preview import BulkInvitePreview
from clinic_desk.ui.roster.bulk_progress import BulkInviteProgress
from tests.ui.roster.conftest import wait_rows

PASSWORD = "Riverside-Manager-2026"


def invitations_in_outbox(clinic: Any, patient_ids: list[int]) -> set[int]:
    """The patients with an invitation in their outbox."""
    return {pid for pid in patient_ids if any(m.kind == codes.INVITATION for m in clinic.mail.outbox(pid))}


def select_rows(roster: Any, rows: range) -> None:
    selection = roster.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(roster.model.index(row, 0), flags)


def start_invite(qtbot: Any, roster: Any) -> tuple[BulkInviteFlow, BulkInvitePreview, Any]:
    """Press "Send invitations…" and wait for the dry run's preview."""
    qtbot.mouseClick(roster.bar.invite_button, Qt.MouseButton.LeftButton)
    flow = roster.findChild(BulkInviteFlow)
    preview = roster.findChild(BulkInvitePreview, "bulkInvitePreview")
    assert flow is not None and preview is not None
    qtbot.waitUntil(lambda: preview.preview is not None, timeout=15_000)
    assert preview.isVisible()
    return flow, preview, preview.preview


def wait_sent(qtbot: Any, progress: BulkInviteProgress) -> Any:
    """Wait for the batch to end; its report."""
    qtbot.waitUntil(lambda: progress.finished_report is not None, timeout=30_000)
    return progress.finished_report


def test_selected_rows_preview_lists_who_is_skipped_then_sends(
    qtbot: Any, roster_clinic: Any, open_roster: Any
) -> None:
    roster = open_roster(roster_clinic)
    select_rows(roster, range(12))
    chosen = roster.selected_ids()
    assert len(chosen) == 12
    colors = {row.patient_id: row.color for row in roster.model.rows()}
    _flow, preview, found = start_invite(qtbot, roster)
    assert preview.selected_choice.isChecked()
    assert sorted(found.patient_ids) == sorted(chosen)
    gold = [pid for pid in chosen if colors[pid] == "gold"]
    skipped = [pid for pid in chosen if colors[pid] != "gold"]
    assert sorted(found.report.queued) == sorted(gold) and gold and skipped
    # The preview says how many, and lists each skipped patient by name, MRN and why.
    assert preview.summary.text().startswith(f"{len(gold)} patient")
    assert f"{len(skipped)} patient" in preview.summary.text()
    table = preview.skipped
    assert table.rowCount() == len(skipped)
    rows = {row.patient_id: row for row in roster.model.rows()}
    listed = {
        table.item(r, 1).text(): (table.item(r, 0).text(), table.item(r, 2).text())
        for r in range(table.rowCount())
    }
    for pid, why in found.report.skipped:
        row = rows[pid]
        assert listed[row.mrn] == (f"{row.last_name}, {row.first_name}", why)
        assert why  # in words a receptionist understands
    assert invitations_in_outbox(roster_clinic, chosen) == set()  # the dry run wrote nothing

    qtbot.mouseClick(preview.send_button, Qt.MouseButton.LeftButton)
    progress = roster.findChild(BulkInviteProgress, "bulkInviteProgress")
    assert progress is not None
    report = wait_sent(qtbot, progress)
    assert sorted(report.queued) == sorted(gold) and not report.cancelled
    assert progress.bar.value() == progress.bar.maximum()
    assert progress.label.text().startswith(f"{len(gold)} invitation")
    assert progress.close_button.isVisible() and not progress.cancel_button.isVisible()
    assert invitations_in_outbox(roster_clinic, chosen) == set(gold)
    # The counts follow: fewer never invited.
    never = roster.counts.buttons[codes.NO_INVITATION_SENT]
    expected = roster_clinic.roster_counts("").by_trouble[codes.NO_INVITATION_SENT]
    qtbot.waitUntil(lambda: never.count == expected, timeout=10_000)
    qtbot.mouseClick(progress.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: roster.findChild(BulkInviteFlow) is None, timeout=5000)


def test_all_that_match_with_cancel_mid_way(qtbot: Any, roster_clinic: Any, open_roster: Any) -> None:
    roster = open_roster(roster_clinic)
    roster.counts.choose("gold")
    wait_rows(qtbot, roster)
    flow, preview, found = start_invite(qtbot, roster)
    assert preview.all_choice.isChecked() and not preview.selected_choice.isEnabled()  # nothing selected
    gold = roster_clinic.roster_ids(roster.current_filter())
    assert sorted(found.patient_ids) == sorted(gold) and len(gold) > 20
    assert sorted(found.report.queued) == sorted(gold)
    assert not preview.skipped.isVisible()

    clicked = threading.Event()
    dialogs: list[BulkInviteProgress] = []

    def hold_the_worker(done: int, _total: int) -> None:  # on the worker: wait for Cancel at the third
        if done == 3:
            clicked.wait(10)

    def press_cancel(done: int, _total: int) -> None:  # on the GUI thread
        if done == 3:
            qtbot.mouseClick(dialogs[0].cancel_button, Qt.MouseButton.LeftButton)
            clicked.set()

    def on_sending(progress: BulkInviteProgress) -> None:
        # Hold the batch at the third patient until staff press Cancel (the bar's own slot comes first).
        dialogs.append(progress)
        progress.relay.advanced.connect(press_cancel, Qt.ConnectionType.QueuedConnection)
        progress.relay.advanced.connect(hold_the_worker, Qt.ConnectionType.DirectConnection)

    flow.sending.connect(on_sending)
    preview.send_button.click()
    progress = dialogs[0]
    report = wait_sent(qtbot, progress)
    assert report.cancelled
    assert 3 <= len(report.queued) < len(gold)
    assert "Cancelled" in progress.label.text()
    assert progress.bar.value() == len(report.queued)
    # The database agrees with the report: nobody beyond it was invited.
    assert invitations_in_outbox(roster_clinic, gold) == set(report.queued)


def test_front_desk_sees_the_roster_but_may_not_send(
    qtbot: Any, roster_clinic: Any, open_roster: Any
) -> None:
    admin = roster_clinic.admin
    admin.add_staff(
        username="marcus", full_name="Marcus Reed", role="admin", password=PASSWORD, actor="setup"
    )
    admin.add_staff(
        username="fran", full_name="Fran Diaz", role="front_desk", password=PASSWORD, actor="marcus"
    )
    member = admin.sign_in("fran", PASSWORD)
    roster = open_roster(roster_clinic, staff=member)
    assert roster.model.rowCount() > 0  # everybody may look
    action = roster.bar.invite_action
    assert not action.isEnabled() and not roster.bar.invite_button.isEnabled()
    assert roster.bar.invite_button.toolTip() == refusal(Permission.BULK_INVITATIONS)
    assert roster.invite() is None
    assert roster.staff is member and roster.actor() == "fran"


def test_a_manager_may_send(qtbot: Any, roster_clinic: Any, open_roster: Any) -> None:
    admin = roster_clinic.admin
    admin.add_staff(username="ada", full_name="Ada King", role="admin", password=PASSWORD, actor="setup")
    admin.add_staff(
        username="marcus", full_name="Marcus Reed", role="manager", password=PASSWORD, actor="ada"
    )
    roster = open_roster(roster_clinic, staff=admin.sign_in("marcus", PASSWORD))
    assert roster.bar.invite_button.isEnabled()
    _flow, preview, found = start_invite(qtbot, roster)
    assert found.report.dry_run and len(found.patient_ids) == roster_clinic.roster_counts("").total
    preview.reject()


def test_export_button_saves_the_filtered_list_and_front_desk_may_not(
    qtbot: Any, roster_clinic: Any, open_roster: Any, tmp_path: Any
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from clinic_desk.ui.roster.export_print import handout_of

    roster = open_roster(roster_clinic)
    roster.counts.choose("red")
    wait_rows(qtbot, roster)
    qtbot.mouseClick(roster.bar.export_button, Qt.MouseButton.LeftButton)
    chooser = roster.findChild(QFileDialog, "rosterExportChooser")
    assert chooser is not None and chooser.isVisible()
    target = tmp_path / "roster.csv"
    with qtbot.waitSignal(handout_of(roster).export_finished, timeout=15_000) as done:
        chooser.fileSelected.emit(str(target))
    chooser.close()
    red = roster_clinic.roster_counts("").by_color["red"]
    assert done.args == [str(target), red]
    assert len(target.read_text(encoding="utf-8").splitlines()) == red + 1  # the header and each chart
    assert roster.bar.print_button.isEnabled()


def test_front_desk_may_not_export_or_print(qtbot: Any, roster_clinic: Any, open_roster: Any) -> None:
    admin = roster_clinic.admin
    admin.add_staff(username="ada", full_name="Ada King", role="admin", password=PASSWORD, actor="setup")
    admin.add_staff(username="fran", full_name="Fran Diaz", role="front_desk", password=PASSWORD, actor="ada")
    roster = open_roster(roster_clinic, staff=admin.sign_in("fran", PASSWORD))
    for button in (roster.bar.export_button, roster.bar.print_button):
        assert not button.isEnabled()
        assert button.toolTip() == refusal(Permission.BULK_INVITATIONS)
    assert roster.export() is None and roster.print_list() is None


def test_closing_the_preview_stops_a_long_check(
    qtbot: Any, roster_clinic: Any, open_roster: Any, monkeypatch: Any
) -> None:
    import clinic_desk.ui.roster.bulk_invite as bulk_invite

    monkeypatch.setattr(bulk_invite, "CHECK_STEP", 1)  # every patient checked is told
    roster = open_roster(roster_clinic)
    closed = threading.Event()
    heard: list[int] = []

    def hold_the_worker(done: int, _total: int) -> None:  # on the worker: wait for the close at the fifth
        heard.append(done)
        if done == 5:
            closed.wait(10)

    def close_preview(done: int, _total: int) -> None:  # on the GUI thread
        if done == 5:
            preview = roster.findChild(BulkInvitePreview, "bulkInvitePreview")
            assert "5 of 260" in preview.summary.text()  # a long check says how far it is
            preview.reject()
            closed.set()

    def on_checking(relay: Any) -> None:
        relay.advanced.connect(close_preview, Qt.ConnectionType.QueuedConnection)
        relay.advanced.connect(hold_the_worker, Qt.ConnectionType.DirectConnection)

    select_rows(roster, range(2))  # the preview starts on these two
    roster.bar.invite_action.trigger()
    flow = roster.findChild(BulkInviteFlow)
    assert flow is not None
    flow.checking.connect(on_checking)
    flow.preview.all_choice.setChecked(True)  # a new check of all that match (the first is stopped)
    qtbot.waitUntil(lambda: roster.findChild(BulkInviteFlow) is None, timeout=10_000)
    from clinic_desk.ui.tasks import wait_for_tasks

    assert wait_for_tasks(10_000)
    assert heard and max(heard) < 10  # the check stopped soon after the preview closed
    assert roster.findChild(BulkInvitePreview) is None


def test_the_roster_closes_when_someone_else_signs_in(
    qtbot: Any, roster_clinic: Any, open_roster: Any
) -> None:
    admin = roster_clinic.admin
    admin.add_staff(username="ada", full_name="Ada King", role="admin", password=PASSWORD, actor="setup")
    admin.add_staff(username="fran", full_name="Fran Diaz", role="front_desk", password=PASSWORD, actor="ada")
    roster = open_roster(roster_clinic, staff=admin.sign_in("ada", PASSWORD))
    window = roster.host
    with qtbot.waitSignal(roster.destroyed, timeout=5000):
        window.set_staff_member(admin.sign_in("fran", PASSWORD))
    assert window.roster_tools.roster is None
    reopened = window.roster_tools.open_roster()
    assert reopened is not None and reopened.staff.username == "fran"
    assert not reopened.bar.invite_button.isEnabled()
    reopened.close()
