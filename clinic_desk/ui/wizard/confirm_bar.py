"""The inline "are you sure?" of an action: the question, Confirm and Cancel (no modal dialog)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from clinic_desk.ui.wizard.text import wrapped_label


class ConfirmBar(QFrame):
    """Asks the step's question; Enter confirms (Confirm has the focus), Escape cancels.

    A ``careful`` question (replacing a password just issued) is the other way round: the
    focus and the default are on "Keep it", so a stray Enter changes nothing; replacing
    takes Tab then Enter, or a click.

    With ``also`` (the words of a combined action, like "Save, then turn access on") a third
    button does the action and the next step in one go; it takes the focus and the default.

    Signals:
        confirmed: staff confirmed the action.
        confirmed_also: staff confirmed the action and the step after it.
        cancelled: staff changed their mind.
    """

    confirmed = Signal()
    confirmed_also = Signal()
    cancelled = Signal()

    def __init__(
        self, question: str, parent: QWidget | None = None, *, careful: bool = False, also: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("wizardConfirmBar")
        self.setAccessibleName("Confirm the action")
        self.setAccessibleDescription(question)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(8)
        self.question = wrapped_label(question, self, object_name="wizardConfirmQuestion")
        layout.addWidget(self.question)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.careful = careful
        # Mnemonics avoid the menu bar's Alt+F, Alt+P, Alt+C and Alt+V.
        self.confirm_button = QPushButton("Replace pass&word" if careful else "Co&nfirm", self)
        self.confirm_button.setObjectName("wizardConfirm")
        self.confirm_button.setProperty("role", "" if careful else "primary")  # the look of the default
        self.confirm_button.setAccessibleName("Replace the password" if careful else "Confirm")
        self.confirm_button.setAccessibleDescription(question)
        self.confirm_button.setAutoDefault(True)
        self.confirm_button.setDefault(not careful)
        self.cancel_button = QPushButton("Keep &it" if careful else "Cancel", self)
        self.cancel_button.setObjectName("wizardCancel")
        self.cancel_button.setAccessibleName("Keep it" if careful else "Cancel")
        self.cancel_button.setAccessibleDescription("Do not do it; nothing is changed")
        self.cancel_button.setAutoDefault(True)
        self.cancel_button.setDefault(careful)
        self.cancel_button.setProperty("role", "primary" if careful else "")
        self.also_button: QPushButton | None = None
        if also and not careful:
            self.also_button = QPushButton(also, self)
            self.also_button.setObjectName("wizardConfirmAlso")
            self.also_button.setProperty("role", "primary")
            self.also_button.setAccessibleName(also.replace("&", ""))
            self.also_button.setAccessibleDescription(f"{question} Then the next step too, in one go")
            self.also_button.setAutoDefault(True)
            self.also_button.setDefault(True)
            self.also_button.clicked.connect(self.confirmed_also)
            self.confirm_button.setDefault(False)
            self.confirm_button.setText("Save o&nly")  # beside the combined answer, "Confirm" says too little
            self.confirm_button.setAccessibleName("Save only")
            self.confirm_button.setProperty("role", "")
            # On a line of its own: three buttons side by side are wider than the dock.
            layout.addWidget(self.also_button, 0, Qt.AlignmentFlag.AlignLeft)
        # Careful: "Keep it" comes first, so Tab from it reaches "Replace password" next.
        order = (
            (self.cancel_button, self.confirm_button)
            if careful
            else (self.confirm_button, self.cancel_button)
        )
        for button in order:
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.cancelled)
        self.confirm_button.clicked.connect(self.confirmed)
        self.cancel_button.clicked.connect(self.cancelled)

    @property
    def safe_button(self) -> QPushButton:
        """The button that gets the focus: Confirm, or "Keep it" for a careful question."""
        if self.careful:
            return self.cancel_button
        return self.also_button or self.confirm_button

    def set_busy(self, busy: bool) -> None:
        """Grey the buttons out while the action runs."""
        for button in (self.confirm_button, self.cancel_button, self.also_button):
            if button is not None:
                button.setEnabled(not busy)
