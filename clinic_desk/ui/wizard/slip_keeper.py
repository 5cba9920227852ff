"""Where the temporary-password slip lives, and when it goes: Done, another patient, the lock, 2 minutes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QBoxLayout, QWidget

from clinic_desk.ui.wizard.password_slip import PasswordSlip
from clinic_desk.ui.wizard.printing import PrintFunction
from clinic_desk.ui.wizard.text import discard

#: How long a temporary password stays on screen when nobody presses Done.
SECRET_LIFETIME_MS: Final = 2 * 60 * 1000

#: Why the slip went, in words for the panel's feedback line ("" says nothing).
CLEARED_WORDS: Final = {
    "done": "The temporary password is hidden for good.",
    "time": (
        "The temporary password was hidden after 2 minutes. If the patient still needs it, set a new one."
    ),
    "lock": "The temporary password was hidden when the window locked.",
    "hidden": "The temporary password was hidden when the panel closed.",
    "patient": "",
}


def single_shot_timer() -> QTimer:
    """The slip's clock: a one-shot timer of :data:`SECRET_LIFETIME_MS` (tests pass their own)."""
    timer = QTimer()
    timer.setSingleShot(True)
    timer.setInterval(SECRET_LIFETIME_MS)
    return timer


class SlipKeeper(QObject):
    """Shows the temporary password once and makes sure it never outlives its moment.

    The slip goes when staff press Done, when another patient opens (or none), when the
    window locks or the panel is hidden, and when its timer runs out. Focus lands on Copy,
    never on a button that would replace the password just issued.

    Signals:
        cleared(str): the slip went; why: "done", "time", "lock", "hidden" or "patient".
    """

    cleared = Signal(str)

    def __init__(self, layout: QBoxLayout, parent: QWidget, *, make_timer: Callable[[], QTimer]) -> None:
        super().__init__(parent)
        self._layout = layout
        self._parent = parent
        #: Makes the slip's timer (tests give one they fire by hand).
        self.make_timer = make_timer
        self.slip: PasswordSlip | None = None
        self._timer: QTimer | None = None

    def show(
        self, patient_name: str, username: str, password: str, print_function: PrintFunction
    ) -> PasswordSlip:
        """Show a new slip (any older one goes first) and put the focus on Copy."""
        self.clear("")
        slip = PasswordSlip(patient_name, username, password, print_function, self._parent)
        slip.dismissed.connect(self._on_slip_dismissed)
        self._layout.addWidget(slip)
        slip.show()
        self.slip = slip
        timer = self.make_timer()
        timer.setParent(self)
        timer.timeout.connect(self._on_timer_timeout)
        timer.start()
        self._timer = timer
        slip.copy_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return slip

    def clear(self, why: str) -> None:
        """Take the slip away now (nothing on show: nothing happens); ``why`` goes to :attr:`cleared`."""
        slip, self.slip = self.slip, None
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        if slip is None:
            return
        slip.forget()
        discard(slip)
        if why:
            self.cleared.emit(why)

    def _on_slip_dismissed(self) -> None:
        self.clear("done")

    def _on_timer_timeout(self) -> None:
        self.clear("time")
