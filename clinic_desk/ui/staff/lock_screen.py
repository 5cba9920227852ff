"""The lock screen (``lockScreen``): what the window shows while nobody may see patient data.

It covers the window's working area with one small card: the sign-in form (nobody
signed in, or "Switch user"), the unlock form (the same person's password), or the forced
password change. It holds no patient data, and the window hides everything that does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.ui.card import Card
from clinic_desk.ui.icons import tinted_icon
from clinic_desk.ui.own_style import follow_theme
from clinic_desk.ui.staff.form_parts import button, say
from clinic_desk.ui.staff.lock_style import lock_stylesheet
from clinic_desk.ui.staff.password_change import PasswordChangeForm
from clinic_desk.ui.staff.sign_in_form import SignInForm
from clinic_desk.ui.staff.unlock_form import UnlockForm
from clinic_desk.ui.theme import current_colors

if TYPE_CHECKING:
    from clinic_desk import Clinic
    from clinic_desk.services.clinic import StaffAccount

CARD_WIDTH = 440


class LockScreen(QWidget):
    """Covers the window; asks who is there. The window decides what each answer means.

    Signals:
        signed_in(object): someone signed in on the sign-in form (a ``StaffAccount``;
            a forced password change still comes first, see ``password_changed``).
        unlocked(object): the locked person's password was right (or None: single-user mode).
        password_changed(object): the forced change is done (the fresh ``StaffAccount``).
        password_change_cancelled: staff chose to sign out instead of changing it.
        retry_requested: staff asked to try reaching the clinic again (after a problem).
        connection_requested: staff asked for the database connection settings.
    """

    signed_in = Signal(object)
    unlocked = Signal(object)
    password_changed = Signal(object)
    password_change_cancelled = Signal()
    retry_requested = Signal()
    connection_requested = Signal()

    def __init__(self, clinic: Clinic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAccessibleName("Clinic Desk is locked")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        follow_theme(self, lock_stylesheet)
        self._locked_member: StaffAccount | None = None

        self.card = Card("lockCard", "", self)
        self.card.setFixedWidth(CARD_WIDTH)
        self.card.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Maximum)
        self.card.body.setContentsMargins(32, 28, 32, 28)
        self.picture = QLabel(self.card)
        self.picture.setObjectName("lockPicture")
        self.picture.setPixmap(tinted_icon("secure-message.svg", current_colors().accent, 40).pixmap(40, 40))
        self.picture.setAccessibleName("Clinic Desk")
        self.card.body.addWidget(self.picture)

        # One page shows at a time; hidden ones take no room, so the card fits the page shown.
        self.sign_in_form = SignInForm(clinic, self.card)
        self.unlock_form = UnlockForm(clinic, self.card)
        self.password_form = PasswordChangeForm(clinic, self.card)
        self.problem_page = QWidget(self.card)
        self.problem_page.setObjectName("lockProblem")
        self.problem_words = QLabel(self.problem_page)
        self.problem_words.setObjectName("lockProblemWords")
        self.problem_words.setWordWrap(True)
        self.retry_button: QPushButton = button(
            self.problem_page, "lockRetryButton", "&Try again", "Ask the clinic database again"
        )
        self.retry_button.setDefault(True)
        problem_layout = QVBoxLayout(self.problem_page)
        problem_layout.setContentsMargins(0, 0, 0, 0)
        problem_layout.addWidget(self.problem_words)
        problem_layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignRight)
        for page in (self.sign_in_form, self.unlock_form, self.password_form, self.problem_page):
            page.hide()
            self.card.body.addWidget(page)
        self._current: QWidget = self.sign_in_form

        self.footer = QLabel(self)
        self.footer.setObjectName("lockFooter")
        self.footer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.footer.setTextFormat(Qt.TextFormat.PlainText)
        # Anyone at the workstation may choose the clinic database before signing in (DESIGN.md 5).
        self.connection_button = button(
            self,
            "lockConnectionButton",
            "&Database connection…",
            "Choose this computer or the clinic's server",
        )
        self.connection_button.setFlat(True)
        self.connection_button.clicked.connect(self.connection_requested)

        # A scroll area, so that a small window still reaches every field.
        inner = QWidget(self)
        inner.setObjectName("lockScreenBody")
        column = QVBoxLayout(inner)
        column.addStretch(2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card)
        row.addStretch(1)
        column.addLayout(row)
        column.addSpacing(12)
        column.addWidget(self.footer)
        column.addWidget(self.connection_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(3)
        scroll = QScrollArea(self)
        scroll.setObjectName("lockScreenScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.sign_in_form.signed_in.connect(self.signed_in)
        self.sign_in_form.back_requested.connect(self._on_sign_in_form_back_requested)
        self.unlock_form.unlocked.connect(self.unlocked)
        self.unlock_form.switch_user_requested.connect(self._on_unlock_form_switch_user_requested)
        self.password_form.changed.connect(self.password_changed)
        self.password_form.cancelled.connect(self.password_change_cancelled)
        self.retry_button.clicked.connect(self.retry_requested)

    def set_footer(self, words: str) -> None:
        """The small line under the card (the workstation's name)."""
        self.footer.setText(words)

    # -- which form shows --------------------------------------------------------------------------
    def ask_sign_in(self) -> None:
        """Nobody is signed in: the sign-in form."""
        self._locked_member = None
        self._show(self.sign_in_form)
        self.sign_in_form.start()

    def ask_unlock(self, member: StaffAccount | None) -> None:
        """The window is locked by ``member`` (None: single-user mode, no password)."""
        self._locked_member = member
        self._show(self.unlock_form)
        self.unlock_form.start(member)

    def ask_password_change(self, member: StaffAccount) -> None:
        """``member`` signed in with a temporary password: the forced change."""
        self._show(self.password_form)
        self.password_form.start(member)

    def show_problem(self, words: str) -> None:
        """The clinic could not be asked who may sign in: say so, with Try again."""
        say(self.problem_words, words)
        self._show(self.problem_page)
        self.retry_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def current_form(self) -> QWidget:
        """The page showing now."""
        return self._current

    def _show(self, page: QWidget) -> None:
        for other in (self.sign_in_form, self.unlock_form, self.password_form, self.problem_page):
            other.setVisible(other is page)
        self._current = page
        self.setAccessibleDescription(page.accessibleName())

    def _on_unlock_form_switch_user_requested(self) -> None:
        self._show(self.sign_in_form)
        self.sign_in_form.start(can_go_back=True, heading="Switch user")

    def _on_sign_in_form_back_requested(self) -> None:
        self.ask_unlock(self._locked_member)
