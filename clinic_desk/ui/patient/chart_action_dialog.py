"""The frame every chart action dialog shares: what will happen, the form, one button that does it.

The dialog says in plain words what pressing its button will do (kept up to date as the
form changes), runs the service call on a worker with one request id per intention (the
same one again when the receptionist presses after a fault), and shows the service's
answer: a problem with one field under that field, anything else above the buttons. The
dialog stays open until the action is done.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import ClinicDeskError, OutcomeUnknown
from clinic_desk.ui.connection.outage import is_unreachable
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.intentions import Intentions
from clinic_desk.ui.own_style import follow_theme, message_sheet, muted_sheet
from clinic_desk.ui.tasks import run_in_background

UNREACHABLE_WORDS = (
    "The clinic database cannot be reached, so nothing was changed. Press the button again when it is back."
)
FAILED_WORDS = "Not done ({kind}); nothing was changed."


def muted_label(parent: QWidget, text: str = "", object_name: str = "") -> QLabel:
    """A wrapping, plain-text line in the muted colour (a hint under a field)."""
    label = QLabel(text, parent)
    if object_name:
        label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    follow_theme(label, muted_sheet)
    return label


class ChartActionDialog(QDialog):
    """A confirmation dialog for one staff action on a chart; subclasses add the form.

    Signals:
        action_done(object): the service call answered; its result.
        action_failed(str): the call was refused or failed; the words shown.
    """

    action_done = Signal(object)
    action_failed = Signal(str)

    def __init__(self, object_name: str, title: str, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(520)
        self._intentions = Intentions()
        self._busy = False
        self.field_errors: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}
        self._rows: dict[str, QVBoxLayout] = {}

        self.heading = QLabel(self)
        self.heading.setObjectName(f"{object_name}Heading")
        self.heading.setProperty("role", "cardTitle")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.summary = QLabel(self)
        self.summary.setObjectName(f"{object_name}Summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("What will happen")
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing() * 3)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setVerticalSpacing(10)
        self.message = QLabel(self)
        self.message.setObjectName(f"{object_name}Message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.confirm_button = QPushButton(button_text, self)
        self.confirm_button.setObjectName(f"{object_name}Confirm")
        self.confirm_button.setAccessibleName(button_text.replace("&", "").rstrip("…"))
        self.confirm_button.setDefault(True)
        self.confirm_button.setAutoDefault(True)
        self.buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)

        self.column = QVBoxLayout(self)
        self.column.setSpacing(12)
        self.column.addWidget(self.heading)
        self.column.addLayout(self.form)
        self.column.addWidget(self.summary)
        self.column.addWidget(self.message)
        self.column.addWidget(self.buttons)

    # -- building (subclasses) ---------------------------------------------------------------------
    def add_field(self, name: str, caption: str, widget: QWidget, hint: str = "") -> QLabel:
        """A captioned field with its (hidden) problem line; returns the caption."""
        widget.setAccessibleName(caption.replace("&", ""))
        if not widget.objectName():
            widget.setObjectName(f"{name}Field")
        error = QLabel(self)
        error.setObjectName(f"{name}Error")
        error.setWordWrap(True)
        error.setTextFormat(Qt.TextFormat.PlainText)
        follow_theme(error, message_sheet("error"))
        error.hide()
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(widget)
        if hint:
            box.addWidget(muted_label(self, hint, f"{name}Hint"))
        box.addWidget(error)
        label = QLabel(caption, self)
        label.setObjectName(f"{name}Caption")
        label.setBuddy(widget)
        self.form.addRow(label, box)
        self.field_errors[name] = error
        self.fields[name] = widget
        self._rows[name] = box
        return label

    def set_field_visible(self, name: str, visible: bool) -> None:
        """Show or hide field ``name`` with its caption (a note only some choices need)."""
        self.form.setRowVisible(self._rows[name], visible)

    def field_visible(self, name: str) -> bool:
        """True when field ``name`` is shown."""
        return not self.fields[name].isHidden()

    # -- what tests and the window read ------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while the action runs."""
        return self._busy

    def error_text(self, name: str) -> str:
        """The problem shown under field ``name`` ('' when none)."""
        label = self.field_errors.get(name)
        return label.text() if label is not None and not label.isHidden() else ""

    def message_text(self) -> str:
        """The line above the buttons ('' when hidden)."""
        return self.message.text() if not self.message.isHidden() else ""

    # -- doing it ----------------------------------------------------------------------------------
    def confirm(self) -> None:
        """Do the action (the button, or Enter)."""
        if not self._busy and self.confirm_button.isEnabled():
            self.start()

    def start(self) -> None:
        """Subclasses call :meth:`run` with their service call."""
        raise NotImplementedError

    def run(self, key: Hashable, values: dict[str, str], call: Callable[[str, dict[str, str]], Any]) -> None:
        """Run ``call(request_id, values)`` on a worker; a retry of the same ``key`` reuses both."""
        request_id, sent = self._intentions.begin(key, values)
        self._set_busy(True)
        self._clear_problems()
        self.show_message("Working…", "info")
        run_in_background(
            lambda: call(request_id, sent), self._on_done, self._on_failed, owner=self, name=self.objectName()
        )

    def _on_done(self, result: Any) -> None:
        self._intentions.settle()
        self._set_busy(False)
        self.message.hide()
        self.action_done.emit(result)
        self.finish(result)

    def finish(self, _result: Any) -> None:
        """The action worked: close (a dialog with more to do after it, such as printing, stays)."""
        self.accept()

    def _on_failed(self, exc: Exception) -> None:
        self._intentions.settle(exc)
        self._set_busy(False)
        words = UNREACHABLE_WORDS if is_unreachable(exc) else error_words(exc, FAILED_WORDS)
        field = exc.field if isinstance(exc, ClinicDeskError) else None
        if field is not None and field in self.field_errors:
            self.show_field_problem(field, words)
            self.message.hide()
        else:
            self.show_message(words, "warning" if isinstance(exc, OutcomeUnknown) else "error")
        self.action_failed.emit(words)

    def show_field_problem(self, name: str, words: str) -> None:
        """Show ``words`` under field ``name`` and put the cursor there."""
        label = self.field_errors[name]
        label.setText(words)
        label.show()
        widget = self.fields[name]
        self.set_field_visible(name, True)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.adjustSize()

    def show_message(self, words: str, role: str) -> None:
        """The line above the buttons, coloured by ``role`` ("info", "warning", "error")."""
        self.message.setText(words)
        self.message.setAccessibleDescription(words)
        follow_theme(self.message, message_sheet(role))
        self.message.show()

    def _clear_problems(self) -> None:
        for label in self.field_errors.values():
            label.hide()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.confirm_button.setEnabled(not busy and self.may_confirm())

    def may_confirm(self) -> bool:
        """False when the form says the action cannot be done (the button stays off)."""
        return True

    def refresh(self) -> None:
        """Say again what will happen and whether the button may be pressed (after a change)."""
        self.summary.setText(self.summary_words())
        self.confirm_button.setEnabled(not self._busy and self.may_confirm())

    def summary_words(self) -> str:
        """What pressing the button will do, in plain words."""
        return ""
