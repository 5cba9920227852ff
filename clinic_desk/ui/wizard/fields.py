"""One form field of a plan step: its label, the box, help text, an optional suggestion button and
the box's problem, checked as staff type."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from clinic_desk.domain.email_checks import is_placeholder
from clinic_desk.domain.troubleshooting import StepField
from clinic_desk.ui.wizard.field_check import NOTE_MAX_LENGTH, FieldRule
from clinic_desk.ui.wizard.text import wrapped_label

#: How long typing pauses before a bad value is pointed out (a good one is accepted at once).
CHECK_DELAY_MS = 300
_PLACEHOLDERS = {
    "email": "name@example.com",
    "zip_code": "5 digits",
    "date": "MM/DD/YYYY",
    "username": "letters, digits, dots",
    "note": "Say why, for the audit log",
}
_TEMPORARY_PASSWORD_HELP = (
    "A temporary password is made for you when you confirm. It is shown once, with Copy and Print "
    "buttons, and the patient must change it at first login."
)


def editor_name(field: StepField) -> str:
    """The objectName of the field's box: ``wizardNote`` or ``wizardField_<name>``."""
    return "wizardNote" if field.kind == "note" else f"wizardField_{field.name}"


class FieldEditor(QWidget):
    """Edits one :class:`StepField` (a temporary password field only explains itself).

    With a ``rule`` the box is checked as staff type (after a short pause, and when the
    focus leaves it): what is wrong shows under the box (``wizardFieldError_<name>``) at
    once. An empty box nobody typed in says nothing.

    Signals:
        submitted: Enter was pressed in the box.
        edited: staff changed the text (typed, pasted or used the suggestion).
        problem_changed: the problem under the box appeared, changed or went away.
    """

    submitted = Signal()
    edited = Signal()
    problem_changed = Signal()

    def __init__(
        self,
        field: StepField,
        parent: QWidget | None = None,
        *,
        placeholder_check: Callable[[str], bool] = is_placeholder,
        placeholder_warning: str = "",
        rule: FieldRule | None = None,
    ) -> None:
        super().__init__(parent)
        self.field = field
        self._rule = rule
        self._touched = False  # staff typed in the box (an untouched empty box is not nagged)
        self._shown_problem: str | None = None
        self.message: QLabel | None = None
        self._placeholder_check = placeholder_check
        self._placeholder_warning = placeholder_warning
        self.warning: QLabel | None = None
        self.setObjectName(f"wizardFieldRow_{field.name}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.editor: QLineEdit | None = None
        self.suggestion_button: QPushButton | None = None
        optional = not (field.required or field.read_only or "optional" in field.label.lower())
        label_text = field.label + (" (optional)" if optional else "")
        self.label = QLabel(label_text, self)
        self.label.setObjectName(f"wizardFieldLabel_{field.name}")
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        if field.kind == "temporary_password":
            self.help = wrapped_label(field.help or "", self, role="fieldHelp")
            self.help.setText(_TEMPORARY_PASSWORD_HELP)
            layout.addWidget(self.help)
            return
        editor = QLineEdit(field.prefill or "", self)
        editor.setObjectName(editor_name(field))
        editor.setAccessibleName(field.label)
        editor.setAccessibleDescription(field.help or field.label)
        editor.setPlaceholderText(_PLACEHOLDERS.get(field.kind, ""))
        editor.setReadOnly(field.read_only)
        if field.kind == "note":
            editor.setMaxLength(NOTE_MAX_LENGTH)
        editor.setProperty("invalid", False)
        editor.returnPressed.connect(self.submitted)
        self.label.setBuddy(editor)
        self.editor = editor
        layout.addWidget(editor)  # the whole width: an email needs room (the button goes below)
        self._build_check(layout, editor)  # the problem line right under the box
        if field.suggestion and field.suggestion != field.prefill and not field.read_only:
            placeholder = placeholder_check(field.suggestion)
            button = QPushButton("Use placeholder" if placeholder else "Use suggestion", self)
            button.setObjectName(f"wizardSuggest_{field.name}")
            button.setAccessibleName(f"Use {field.suggestion}")
            button.setAccessibleDescription(f"Fill the {field.label} box with {field.suggestion}")
            button.setToolTip(f"Fill in {field.suggestion}")
            button.setAutoDefault(True)
            button.clicked.connect(self._on_suggestion_button_clicked)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.suggestion_button = button
        self.help = wrapped_label(field.help or "", self, role="fieldHelp")
        self.help.setVisible(bool(field.help))
        layout.addWidget(self.help)
        if field.kind == "email" and placeholder_warning:
            self.warning = wrapped_label(
                placeholder_warning, self, role="warning", object_name=f"wizardFieldWarning_{field.name}"
            )
            self.warning.setAccessibleName("Placeholder address")
            self.warning.hide()
            layout.addWidget(self.warning)
            editor.textChanged.connect(self._on_editor_text_changed)

    def _build_check(self, layout: QVBoxLayout, editor: QLineEdit) -> None:
        """The problem line under the box, the pause timer, and the focus-out check."""
        editor.textEdited.connect(self._on_editor_text_edited)
        if self._rule is None:
            return
        message = wrapped_label(
            "", self, role="fieldError", object_name=f"wizardFieldError_{self.field.name}"
        )
        message.setAccessibleName(f"Problem with the {self.field.label}")
        message.hide()
        layout.addWidget(message)
        self.message = message
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        editor.installEventFilter(self)
        if editor.text().strip():
            self.check_now()  # a value filled in for staff is checked as it stands

    @property
    def takes_input(self) -> bool:
        """False for the temporary password, which the panel makes itself."""
        return self.editor is not None

    def value(self) -> str:
        """What the box holds, trimmed."""
        return self.editor.text().strip() if self.editor is not None else ""

    def set_value(self, text: str) -> None:
        """Put ``text`` in the box, as if typed."""
        if self.editor is not None and not self.field.read_only:
            self.editor.setText(text)
            self.editor.setModified(True)
            self._touched = True
            self.check_now()
            self.edited.emit()

    def is_modified(self) -> bool:
        """True when staff typed in the box."""
        return self.editor is not None and self.editor.isModified()

    @property
    def shown_problem(self) -> str | None:
        """The problem shown under the box, or None."""
        return self._shown_problem

    def check_now(self, *, touched: bool = False) -> str | None:
        """Check the box now and show what is wrong under it; returns the problem or None.

        ``touched``: treat the box as typed in (the action button was pressed), so an empty
        required box says so.
        """
        self._touched = self._touched or touched
        if self._rule is None or self.editor is None:
            return None
        if self._timer.isActive():
            self._timer.stop()
        value = self.value()
        problem = (self.problem() if self._touched else None) if not value else self._rule(value)
        self._show_problem(problem)
        return problem

    def _show_problem(self, problem: str | None) -> None:
        if problem == self._shown_problem or self.message is None:
            return
        self._shown_problem = problem
        self.message.setText(problem or "")
        self.message.setVisible(problem is not None)
        self.set_invalid(problem is not None, problem or "")
        self.problem_changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override: camelCase
        """Check the box when the focus leaves it (a typed value is not left unchecked)."""
        if watched is self.editor and event.type() == QEvent.Type.FocusOut and self._touched:
            self.check_now()
        return super().eventFilter(watched, event)

    def problem(self) -> str | None:
        """Why the value cannot be sent as it is, or None."""
        if self.editor is None or self.field.read_only or not self.field.required:
            return None
        if self.value():
            return None
        if self.field.kind == "note":
            return "Write a note saying why: it goes into the audit log with your name."
        label = self.field.label
        # "Enter the email." but "Enter the ZIP code.": an acronym keeps its capitals.
        words = label if label[:2].isupper() else label[:1].lower() + label[1:]
        return f"Enter the {words}."

    def set_invalid(self, invalid: bool, message: str = "") -> None:
        """Mark the box as the one at fault (red border, the message in its description)."""
        if self.editor is None:
            return
        self.editor.setProperty("invalid", invalid)
        self.editor.setAccessibleDescription(message if invalid else (self.field.help or self.field.label))
        style = self.editor.style()
        style.unpolish(self.editor)
        style.polish(self.editor)

    @property
    def holds_placeholder(self) -> bool:
        """True when an email box holds a placeholder address (its warning shows)."""
        return self.field.kind == "email" and self._placeholder_check(self.value())

    def _on_editor_text_changed(self, _text: str) -> None:
        if self.warning is not None:
            self.warning.setVisible(self.holds_placeholder)

    def _on_editor_text_edited(self, _text: str) -> None:
        """Typed: a good value is accepted at once, a bad one is said after a short pause."""
        self._touched = True
        self.edited.emit()
        if self._rule is None:
            return
        value = self.value()
        if value and self._rule(value) is None:
            self.check_now()
        else:
            self._timer.start()

    def _on_suggestion_button_clicked(self) -> None:
        if self.field.suggestion and self.editor is not None:
            self.set_value(self.field.suggestion)  # a placeholder shows its warning (textChanged)
            self.editor.setFocus()
