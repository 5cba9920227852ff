"""What the sign-in, unlock and password-change forms share: the layout and the busy machinery.

Each form asks ``clinic.admin`` one thing on a worker. While it waits the form is busy (its
buttons off, its fields read-only); an answer that comes back after the form was started
again (a newer generation) is for a form nobody looks at now and is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from clinic_desk.ui.errors import error_words
from clinic_desk.ui.staff.caps_lock import CapsLockHint
from clinic_desk.ui.staff.form_parts import message_line, say
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic


class StaffForm(QWidget):
    """A staff form: heading, fields, Caps Lock hint, message line, and a row of two buttons.

    Subclasses make their widgets, set ``_busy_buttons`` and ``_fields`` (what is turned off
    while busy), call ``_lay_out`` and ask ``clinic.admin`` through ``_ask``.
    """

    def __init__(
        self, clinic: Clinic, parent: QWidget | None, *, object_name: str, accessible_name: str
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(accessible_name)
        self._clinic = clinic
        self._busy = False
        self._generation = 0
        self._busy_buttons: tuple[QPushButton, ...] = ()
        self._fields: tuple[QLineEdit, ...] = ()

    def message_text(self) -> str:
        """What the message line says ('' when hidden)."""
        return self.message.text() if not self.message.isHidden() else ""

    def _heading(self, text: str, object_name: str) -> QLabel:
        heading = QLabel(text, self)
        heading.setObjectName(object_name)
        heading.setProperty("role", "formHeading")
        return heading

    def _plain_note(self, object_name: str) -> QLabel:
        """A wrapped line of words about whose form this is (plain text: it holds names)."""
        note = QLabel(self)
        note.setObjectName(object_name)
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        return note

    def _finish_fields(self, message_name: str) -> None:
        """The Caps Lock hint over ``_fields`` and the message line (``caps_hint``, ``message``)."""
        self.caps_hint = CapsLockHint(list(self._fields), self)
        self.message = message_line(self, message_name)

    def _lay_out(
        self, top: Sequence[QWidget], body: Sequence[QWidget | int], left: QPushButton, right: QPushButton
    ) -> None:
        """Stack ``top``, then ``body`` (a number is a gap), the hint and message, then the buttons."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for widget in top:
            layout.addWidget(widget)
        layout.addSpacing(8)
        for part in body:
            if isinstance(part, int):
                layout.addSpacing(part)
            else:
                layout.addWidget(part)
        layout.addWidget(self.caps_hint)
        layout.addWidget(self.message)
        layout.addSpacing(8)
        row = QHBoxLayout()
        row.addWidget(left)
        row.addStretch(1)
        row.addWidget(right)
        layout.addLayout(row)

    def _ask(
        self, work: Callable[[], Any], on_done: Callable[[Any], None], *, waiting: str, name: str
    ) -> None:
        """Run ``work`` on a worker, saying ``waiting`` meanwhile; ``on_done`` gets its answer."""
        self._set_busy(True)
        say(self.message, waiting, "info")
        generation = self._generation
        run_in_background(
            work,
            lambda answer: self._answered(generation, on_done, answer),
            lambda exc: self._answered(generation, self._on_failed, exc),
            owner=self,
            name=name,
        )

    def _answered(self, generation: int, handler: Callable[[Any], None], answer: Any) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        handler(answer)

    def _on_failed(self, exc: Exception) -> None:
        """Say why, empty the password and put the cursor back in it."""
        say(self.message, error_words(exc))
        self._fields[-1].clear()
        self._fields[-1].setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for push in self._busy_buttons:
            push.setEnabled(not busy)
        for field in self._fields:
            field.setReadOnly(busy)
