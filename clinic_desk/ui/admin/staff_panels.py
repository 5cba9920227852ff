"""The staff list's inline pieces: the "are you sure?" strip and the temporary password note."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_desk.ui.admin.staff_form import role_combo
from clinic_desk.ui.colors import ThemeColors
from clinic_desk.ui.own_style import follow_theme, muted_sheet


def _confirm_sheet(c: ThemeColors) -> str:
    return (
        f"#staffConfirm {{ background: {c.warning_bg}; border: 1px solid {c.warning_border}; "
        "border-radius: 6px; }"
    )


def _password_sheet(c: ThemeColors) -> str:
    return (
        f"#staffTemporaryPassword {{ background: {c.success_bg}; border: 1px solid {c.success_border}; "
        "border-radius: 6px; }"
    )


def _wrapped(text: str, parent: QWidget, name: str) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class ConfirmStrip(QFrame):
    """Says exactly what will happen; Confirm does it, Cancel or Escape does not (``staffConfirm``).

    A role change shows the role chooser in the strip; the question follows the choice.

    Signals:
        confirmed: do it.
        cancelled: nothing is changed.
        role_chosen(str): another role was chosen in the strip.
    """

    confirmed = Signal()
    cancelled = Signal()
    role_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffConfirm")
        self.setAccessibleName("Confirm the change")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        follow_theme(self, _confirm_sheet)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        self.question = _wrapped("", self, "staffConfirmQuestion")
        layout.addWidget(self.question)
        row = QHBoxLayout()
        self.role_caption = QLabel("New &role:", self)
        self.role_combo = role_combo(self, "staffRoleChoice")
        self.role_caption.setBuddy(self.role_combo)
        self.role_combo.currentIndexChanged.connect(self._on_role_combo_changed)
        self.confirm_button = QPushButton("&Confirm", self)
        self.confirm_button.setObjectName("staffConfirmButton")
        self.confirm_button.setAutoDefault(True)
        self.confirm_button.clicked.connect(self.confirmed)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("staffCancelButton")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setAccessibleDescription("Do not do it; nothing is changed")
        self.cancel_button.setAutoDefault(True)
        self.cancel_button.clicked.connect(self.cancelled)
        for widget in (self.role_caption, self.role_combo, self.confirm_button, self.cancel_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.cancelled)
        self.hide()

    def ask(self, words: str, confirm: str, *, role: str | None = None) -> None:
        """Show ``words`` with a ``confirm`` button; ``role`` shows the chooser set to it."""
        self.set_question(words)
        self.confirm_button.setText(confirm)
        self.confirm_button.setAccessibleName(confirm.replace("&", ""))
        choosing = role is not None
        self.role_caption.setVisible(choosing)
        self.role_combo.setVisible(choosing)
        if choosing:
            self.role_combo.blockSignals(True)
            self.role_combo.setCurrentIndex(self.role_combo.findData(role))
            self.role_combo.blockSignals(False)
        self.set_busy(False)
        self.show()
        (self.role_combo if choosing else self.confirm_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def set_question(self, words: str) -> None:
        """Say ``words`` (the role chooser changes them)."""
        self.question.setText(words)
        self.setAccessibleDescription(words)
        self.confirm_button.setAccessibleDescription(words)

    def chosen_role(self) -> str:
        """The role in the chooser."""
        return str(self.role_combo.currentData())

    def set_busy(self, busy: bool) -> None:
        """Grey the buttons out while the change is saved."""
        for widget in (self.confirm_button, self.cancel_button, self.role_combo):
            widget.setEnabled(not busy)

    def _on_role_combo_changed(self, _index: int) -> None:
        self.role_chosen.emit(self.chosen_role())


class TemporaryPasswordNote(QFrame):
    """The temporary password, shown once, selectable; Hide forgets it (``staffTemporaryPassword``).

    Signals:
        dismissed: the note was hidden for good.
    """

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffTemporaryPassword")
        self.setAccessibleName("Temporary password")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        follow_theme(self, _password_sheet)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        self.title = _wrapped("", self, "staffTemporaryTitle")
        layout.addWidget(self.title)
        row = QHBoxLayout()
        self.password_label = QLabel(self)
        self.password_label.setObjectName("staffTemporaryPasswordValue")
        self.password_label.setTextFormat(Qt.TextFormat.PlainText)
        self.password_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.password_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.password_label.setAccessibleName("Temporary password")
        self.password_label.setStyleSheet("font-family: monospace; font-size: 16pt; font-weight: 600;")
        row.addWidget(self.password_label)
        row.addStretch(1)
        self.hide_button = QPushButton("&Hide it", self)
        self.hide_button.setObjectName("staffTemporaryHide")
        self.hide_button.setAccessibleName("Hide the temporary password for good")
        self.hide_button.setAutoDefault(True)
        self.hide_button.clicked.connect(self.forget)
        row.addWidget(self.hide_button)
        layout.addLayout(row)
        hint = _wrapped(
            "Give it to them in person. They must change it at sign-in; it is not shown again.",
            self,
            "staffTemporaryHint",
        )
        follow_theme(hint, muted_sheet)
        layout.addWidget(hint)
        self.hide()

    def show_password(self, who: str, password: str) -> None:
        """Show ``password`` for ``who`` and put the keyboard on it."""
        self.title.setText(f"Temporary password for {who}:")
        self.password_label.setText(password)
        self.show()
        self.password_label.setFocus(Qt.FocusReason.OtherFocusReason)

    def password(self) -> str:
        """The password on show ('' once hidden)."""
        return self.password_label.text()

    def forget(self) -> None:
        """Hide the password for good."""
        self.password_label.clear()
        self.hide()
        self.dismissed.emit()
