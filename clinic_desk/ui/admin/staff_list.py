"""Staff accounts (``staffList``): who may sign in, with which role; add, change, reset, turn off.

Administrators only (the window disables the menu entry for the others, and the services
refuse anyway). Every button asks first, in words that say exactly what will happen; the
call runs on a worker as whoever is signed in at the window; a refusal (the clinic's last
administrator, say) is said plainly above the table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.roles import ROLES
from clinic_desk.ui.admin import staff_actions
from clinic_desk.ui.admin.admin_dialog import AdminDialog
from clinic_desk.ui.admin.staff_actions import StaffChange
from clinic_desk.ui.admin.staff_form import AddStaffDialog
from clinic_desk.ui.admin.staff_model import StaffTableModel
from clinic_desk.ui.admin.staff_panels import ConfirmStrip, TemporaryPasswordNote
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.intentions import Intentions
from clinic_desk.ui.own_style import follow_theme, message_sheet
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)


class StaffListDialog(AdminDialog):
    """The clinic's staff accounts, disabled ones too (never deleted: the audit log keeps names).

    Signals:
        staff_loaded(object): the list of ``StaffAccount`` values on show.
        change_done(str): a change was saved; the words shown.
        change_failed(str): a change was refused or failed; the words shown.
        account_changed(str): the username whose account a saved change was about.
    """

    staff_loaded = Signal(object)
    change_done = Signal(str)
    change_failed = Signal(str)
    account_changed = Signal(str)

    def __init__(self, clinic: Clinic, parent: QWidget | None = None, *, actor: Callable[[], str]) -> None:
        super().__init__(
            clinic,
            parent,
            actor=actor,
            object_name="staffList",
            title="Staff accounts",
            description="Who may sign in to Clinic Desk, with which role",
        )
        self._intentions = Intentions()
        self._pending: StaffChange | None = None
        self._busy = False
        self._keep: str | None = None  # the username to select after the next load
        self.add_form: AddStaffDialog | None = None
        self._now: Any = None  # the clinic clock at the last read: which lockouts still run

        self.message = self._message_line("staffMessage")
        self.model = StaffTableModel(self)
        self.table = self._row_table(self.model, "staffTable", "Staff members")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

        self.add_button = self._button("&Add…", "staffAddButton", "Add a staff member")
        self.add_button.clicked.connect(self.open_add_form)
        self.role_button = self._button("Change &role…", "staffRoleButton", "Change the chosen member's role")
        self.reset_button = self._button(
            "Reset &password…", "staffResetButton", "Give the chosen member a temporary password"
        )
        self.active_button = self._button(
            "&Disable…", "staffActiveButton", "Turn the chosen member's sign-in off"
        )
        self.unlock_button = self._button("&Unlock…", "staffUnlockButton", "End the chosen member's lockout")
        self.role_button.clicked.connect(lambda: self.ask(staff_actions.CHANGE_ROLE))
        self.reset_button.clicked.connect(lambda: self.ask(staff_actions.RESET_PASSWORD))
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.unlock_button.clicked.connect(lambda: self.ask(staff_actions.UNLOCK))
        row = QHBoxLayout()
        for button in (
            self.add_button,
            self.role_button,
            self.reset_button,
            self.active_button,
            self.unlock_button,
        ):
            row.addWidget(button)
        row.addStretch(1)

        self.confirm = ConfirmStrip(self)
        self.confirm.confirmed.connect(self._on_confirm_confirmed)
        self.confirm.cancelled.connect(self._on_confirm_cancelled)
        self.confirm.role_chosen.connect(self._on_confirm_role_chosen)
        self.slip = TemporaryPasswordNote(self)
        self.slip.dismissed.connect(lambda: self.table.setFocus(Qt.FocusReason.OtherFocusReason))

        buttons = self._close_buttons("staffCloseButton", "Close staff accounts")
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.confirm)
        layout.addWidget(self.slip)
        layout.addWidget(buttons)
        self.resize(860, 420)
        self._update_buttons()
        self.reload()

    # -- reading -----------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while a change is being saved."""
        return self._busy

    def selected(self) -> Any:
        """The chosen ``StaffAccount``, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.member(rows[0].row()) if rows else None

    def select(self, username: str) -> None:
        """Choose the row of ``username`` (keyboard users do it with the arrows)."""
        row = self.model.row_of(username)
        if row >= 0:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))

    def reload(self) -> None:
        """Read the staff list again on a worker."""
        admin = self._clinic.admin
        clinic = self._clinic
        run_in_background(
            lambda: (admin.list_staff(), clinic.now()),
            self._on_staff_read,
            self._on_staff_failed,
            owner=self,
            name="list_staff",
        )

    def _on_staff_read(self, answer: tuple[list[Any], Any]) -> None:
        members, now = answer
        keep = self._keep or (self.selected().username if self.selected() is not None else None)
        self._keep = None
        self.model.set_members(members, now)
        self._now = now
        if keep:
            self.select(keep)
        elif members:
            self.table.selectRow(0)
        self._update_buttons()
        self.staff_loaded.emit(members)

    def _on_staff_failed(self, exc: Exception) -> None:
        self._say(f"The staff list could not be read. {error_words(exc)}", error=True)

    # -- asking ------------------------------------------------------------------------------------
    def open_add_form(self) -> AddStaffDialog:
        """Add…: the form for a new staff member; returns it."""
        form = AddStaffDialog(self._clinic, self, actor=self.actor)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.added.connect(self._on_add_form_added)
        form.destroyed.connect(self._on_add_form_destroyed)
        self.add_form = form
        form.open()
        return form

    def _on_add_form_added(self, member: Any) -> None:
        words = (
            f"{member.full_name} ({member.username}) was added as {member.role_label}. They must choose "
            "their own password at the first sign-in."
        )
        self._keep = member.username
        self._say(words, error=False)
        self.change_done.emit(words)
        self.reload()

    def _on_add_form_destroyed(self, _obj: object = None) -> None:
        self.add_form = None

    def _on_active_button_clicked(self) -> None:
        member = self.selected()
        if member is not None:
            self.ask(staff_actions.DISABLE if member.active else staff_actions.ENABLE)

    def ask(self, kind: str, role: str | None = None) -> None:
        """Show the question for ``kind`` about the chosen member (``role``: a role change's target)."""
        member = self.selected()
        if member is None or self._busy:
            return
        if self.slip.isVisible():
            self.slip.forget()
        target = role or (_next_role(member.role) if kind == staff_actions.CHANGE_ROLE else None)
        self._pending = StaffChange(kind, member.username, member.full_name, target)
        self.confirm.ask(
            self._question(kind, member, target),
            staff_actions.CONFIRM_WORDS[kind],
            role=target if kind == staff_actions.CHANGE_ROLE else None,
        )
        self._update_buttons()

    def _question(self, kind: str, member: Any, role: str | None) -> str:
        words = staff_actions.question(kind, member, role)
        if member.username.casefold() == self.actor().casefold():
            words += staff_actions.own_account_warning(kind)
        return words

    def _on_confirm_role_chosen(self, role: str) -> None:
        member = self.selected()
        if self._pending is None or member is None:
            return
        self._pending = StaffChange(self._pending.kind, member.username, member.full_name, role)
        self.confirm.set_question(self._question(staff_actions.CHANGE_ROLE, member, role))
        self.confirm.confirm_button.setEnabled(role != member.role)

    def _on_confirm_cancelled(self) -> None:
        if self._busy:
            return
        self._pending = None
        self.confirm.hide()
        self._update_buttons()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- doing -------------------------------------------------------------------------------------
    def _on_confirm_confirmed(self) -> None:
        change = self._pending
        if change is None or self._busy:
            return
        request_id, _ = self._intentions.begin(change, {})
        call = staff_actions.staff_call(self._clinic, change, self.actor(), request_id)
        self._busy = True
        self.confirm.set_busy(True)
        self._say("Saving…", error=False)
        self._update_buttons()
        run_in_background(
            call,
            lambda result: self._on_change_done(change, result),
            lambda exc: self._on_change_failed(change, exc),
            owner=self,
            name=f"staff_{change.kind}",
        )

    def _on_change_done(self, change: StaffChange, result: Any) -> None:
        self._intentions.settle()
        self._busy = False
        self._pending = None
        self.confirm.hide()
        words = staff_actions.done_words(change)
        self._say(words, error=False)
        if change.kind == staff_actions.RESET_PASSWORD and isinstance(result, str):
            self.slip.show_password(f"{change.full_name} ({change.username})", result)
        self._keep = change.username
        self.reload()
        self.change_done.emit(words)
        self.account_changed.emit(change.username)

    def _on_change_failed(self, change: StaffChange, exc: Exception) -> None:
        self._intentions.settle(exc)
        self._busy = False
        words = f"Not done: {error_words(exc)}"
        if self._intentions.pending:
            words += " Press the button again: it will not be done twice."
            self.confirm.set_busy(False)
        else:
            self._pending = None
            self.confirm.hide()
        self._say(words, error=True)
        self._update_buttons()
        self.change_failed.emit(words)
        self.reload()

    # -- states ------------------------------------------------------------------------------------
    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._pending is not None and not self._busy:
            member = self.selected()
            if member is None or member.username != self._pending.username:
                self._on_confirm_cancelled()
        self._update_buttons()

    def _update_buttons(self) -> None:
        member = self.selected()
        free = not self._busy and self._pending is None
        self.add_button.setEnabled(free)
        for button in (self.role_button, self.reset_button, self.active_button):
            button.setEnabled(free and member is not None)
        self.active_button.setText("&Enable…" if member is not None and not member.active else "&Disable…")
        self.active_button.setAccessibleName(
            "Enable" if member is not None and not member.active else "Disable"
        )
        now = self._now
        locked = (
            member is not None
            and member.locked_until is not None
            and (now is None or member.locked_until > now)
        )
        self.unlock_button.setEnabled(free and locked)

    def _say(self, words: str, *, error: bool) -> None:
        self.message.setText(words)
        self.message.setAccessibleDescription(words)
        follow_theme(self.message, message_sheet("error" if error else "ok"))
        self.message.setVisible(bool(words))


def _next_role(role: str) -> str:
    """The role a role change starts on: one step up (an administrator: one step down)."""
    index = ROLES.index(role) if role in ROLES else 0
    return ROLES[index + 1] if index + 1 < len(ROLES) else ROLES[index - 1]


def open_staff_list(clinic: Clinic, parent: QWidget | None, *, actor: Callable[[], str]) -> StaffListDialog:
    """Show the staff accounts (deleted on close); returns the dialog."""
    dialog = StaffListDialog(clinic, parent, actor=actor)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
