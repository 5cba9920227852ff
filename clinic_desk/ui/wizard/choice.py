"""The options of a choice step as radio buttons: the steps of the chosen one follow."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QButtonGroup, QGridLayout, QLabel, QRadioButton, QWidget

from clinic_desk.domain.troubleshooting import ChoiceOption
from clinic_desk.ui.wizard.text import make_wrapping, wrapped_label


class _OptionLabel(QLabel):
    """An option's wrapped heading: clicking it picks the option, like a radio button's own text.

    Signals:
        clicked: the label was clicked.
    """

    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Pick the option on a left click."""
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
            event.accept()
            return
        super().mousePressEvent(event)


class ChoiceView(QWidget):
    """One radio button per option, with a wrapped heading and description (arrow keys move).

    Radio buttons cannot wrap their text, so each heading is a label beside its button:
    long option names never widen the panel. Enter on an option picks it and goes on to
    its steps.

    Signals:
        option_chosen(str): the id of the option staff picked.
        option_entered(str): Enter was pressed on an option (now picked): go to its steps.
    """

    option_chosen = Signal(str)
    option_entered = Signal(str)

    def __init__(self, options: Sequence[ChoiceOption], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wizardChoice")
        self.setAccessibleName("Ways forward")
        self.options = tuple(options)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QRadioButton] = {}
        for number, option in enumerate(self.options, start=1):
            button = QRadioButton(self)
            button.setObjectName(f"wizardOption_{option.id}")
            button.setAccessibleName(option.label)
            button.setAccessibleDescription(option.description)
            button.setProperty("optionId", option.id)
            self.group.addButton(button, number)
            heading = _OptionLabel(f"&{number}. {option.label}", self)
            make_wrapping(heading)
            heading.setTextFormat(Qt.TextFormat.AutoText)
            heading.setObjectName(f"wizardOptionLabel_{option.id}")
            heading.setProperty("role", "optionLabel")
            heading.setBuddy(button)
            heading.clicked.connect(button.click)
            description = wrapped_label(option.description, self, role="muted")
            description.setContentsMargins(0, 0, 0, 8)
            row = 2 * (number - 1)
            grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(heading, row, 1)
            grid.addWidget(description, row + 1, 1)
            self.buttons[option.id] = button
        self.group.idToggled.connect(self._on_group_id_toggled)

    @property
    def chosen(self) -> ChoiceOption | None:
        """The picked option, or None."""
        return next((option for option in self.options if self.buttons[option.id].isChecked()), None)

    def choose(self, option_id: str) -> None:
        """Pick an option as if clicked."""
        button = self.buttons.get(option_id)
        if button is not None:
            button.setChecked(True)

    def first_focus(self) -> QRadioButton | None:
        """The picked option's button, else the first one."""
        chosen = self.chosen
        if chosen is not None:
            return self.buttons[chosen.id]
        return self.buttons[self.options[0].id] if self.options else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on an option: pick it and go on to its steps."""
        focused = QApplication.focusWidget()
        option_id = focused.property("optionId") if isinstance(focused, QRadioButton) else None
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and option_id in self.buttons:
            self.choose(option_id)
            self.option_entered.emit(option_id)
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_group_id_toggled(self, button_id: int, checked: bool) -> None:
        if checked:
            self.option_chosen.emit(self.options[button_id - 1].id)
