"""A "Caps Lock may be on" hint under a password field.

Qt has no portable way to ask for the Caps Lock state, so it is guessed from what is
typed: an uppercase letter typed without Shift, or a lowercase one with Shift, means
Caps Lock is probably on; a letter of the expected case means it is probably off.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from clinic_desk.ui.own_style import follow_theme, message_sheet

CAPS_LOCK_WORDS = "Caps Lock may be on"


def caps_lock_guess(text: str, shift: bool) -> bool | None:
    """True when ``text`` typed with (or without) Shift says Caps Lock is on; None: cannot tell."""
    if len(text) != 1 or not text.isalpha() or text.lower() == text.upper():
        return None  # digits, punctuation and letters without case say nothing
    return text.isupper() != shift


class CapsLockWatch(QObject):
    """Watches key presses in some fields and says whether Caps Lock seems on.

    Signals:
        caps_lock_changed(bool): the guess changed.
    """

    caps_lock_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("capsLockWatch")
        self._on = False

    @property
    def caps_lock_on(self) -> bool:
        """The latest guess."""
        return self._on

    def watch(self, field: QLineEdit) -> None:
        """Guess from what is typed in ``field``."""
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            guess = caps_lock_guess(event.text(), shift)
            if guess is not None and guess != self._on:
                self._on = guess
                self.caps_lock_changed.emit(guess)
        return False


class CapsLockHint(QLabel):
    """The hint label: shown while the watch guesses Caps Lock is on."""

    def __init__(self, fields: list[QLineEdit], parent: QWidget | None = None) -> None:
        super().__init__(CAPS_LOCK_WORDS, parent)
        self.setObjectName("capsLockHint")
        self.setAccessibleName(CAPS_LOCK_WORDS)
        follow_theme(self, message_sheet("warning"))
        self.watch = CapsLockWatch(self)
        for field in fields:
            self.watch.watch(field)
        self.watch.caps_lock_changed.connect(self.setVisible)
        self.hide()
