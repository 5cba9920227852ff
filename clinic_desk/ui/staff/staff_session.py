"""Who works at this window: single-user mode, signed out, signed in, locked.

The start-up order of DESIGN.md section 5: the window appears at once; a worker asks
whether the clinic has staff accounts. With none, the window runs in single-user mode and
offers to create the first administrator; with some, it shows the sign-in. Ctrl+L and the
idle time lock it; the same person's password unlocks it, and "Switch user" signs someone
else in, which throws away what the first person had open.

Single-user mode locks too (Ctrl+L and after the idle time), without a password: it still
takes patient data off an unattended screen, and the lock screen says that creating the
first administrator makes unlocking ask for a password.
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from clinic_desk.ui.errors import error_words
from clinic_desk.ui.staff.curtain import Curtain
from clinic_desk.ui.staff.first_administrator import FirstAdministratorCard
from clinic_desk.ui.staff.idle_watch import IdleWatch, MonotonicClock
from clinic_desk.ui.staff.lock_keys import DialogLockKeys
from clinic_desk.ui.staff.lock_screen import LockScreen
from clinic_desk.ui.tasks import run_in_background
from clinic_desk.ui.workstation import workstation_user

if TYPE_CHECKING:
    from clinic_desk.services.clinic import StaffAccount

LOCK_TIP = "Hide patient data and ask for your password to come back (Ctrl+L)"
LOCK_TIP_SINGLE_USER = (
    "Hide patient data now. Without staff accounts anyone can unlock: "
    "create the first administrator to lock with a password."
)
LOCK_TIP_SIGNED_OUT = "Nobody is signed in."


class Mode(StrEnum):
    """Who may work at the window."""

    CHECKING = "checking"  # asking the clinic whether it has staff accounts
    SINGLE_USER = "single_user"  # no staff accounts: anyone, as the computer's user
    SIGNED_OUT = "signed_out"  # staff accounts exist and nobody is signed in
    SIGNED_IN = "signed_in"


def same_person(a: StaffAccount | None, b: StaffAccount | None) -> bool:
    """True when both are the same staff account (usernames ignore case)."""
    return a is not None and b is not None and a.username.casefold() == b.username.casefold()


def _who(member: StaffAccount | None) -> tuple[str, str, str] | None:
    """What the window shows of a member (a fresh sign-in differs only in its time)."""
    return None if member is None else (member.username, member.full_name, member.role)


class StaffSession(QObject):
    """Runs sign-in, the first administrator, lock, idle lock and switch user for one window.

    Signals:
        state_changed: the mode, the lock or the signed-in member changed.
    """

    state_changed = Signal()

    def __init__(
        self,
        window: Any,
        *,
        staff: StaffAccount | None = None,
        idle_clock: MonotonicClock | None = None,
    ) -> None:
        super().__init__(window)
        self.setObjectName("staffSession")
        self._window = window
        self._clinic = window.clinic
        self._mode = Mode.SIGNED_IN if staff is not None else Mode.CHECKING
        self._locked = False
        self._pending_same_person = False
        self._asking_again = False
        self.curtain = Curtain(window)

        self.lock_screen = LockScreen(self._clinic, window.pages)
        self.lock_screen.set_footer(f"Clinic Desk at {self._clinic.workstation}")
        window.pages.addWidget(self.lock_screen)
        self.lock_screen.signed_in.connect(self._on_lock_screen_signed_in)
        self.lock_screen.unlocked.connect(self._on_lock_screen_unlocked)
        self.lock_screen.password_changed.connect(self._on_lock_screen_password_changed)
        self.lock_screen.password_change_cancelled.connect(self.sign_out)
        self.lock_screen.retry_requested.connect(self._check_for_staff)
        self.lock_screen.connection_requested.connect(window.show_connection_dialog)

        self.first_administrator = FirstAdministratorCard(self._clinic, window.actor, window.work_area)
        self.first_administrator.hide()
        window.top_cards.addWidget(self.first_administrator)
        self.first_administrator.created.connect(self._on_first_administrator_created)

        self.idle_watch = IdleWatch(self._idle_limit_seconds, self, clock=idle_clock or time.monotonic)
        self.idle_watch.went_idle.connect(self._on_idle_watch_went_idle)
        self.dialog_keys = DialogLockKeys(window, window.lock_action.shortcut(), self.lock)

    # -- state -------------------------------------------------------------------------------------
    @property
    def mode(self) -> Mode:
        """Single-user, signed out, signed in (or still checking)."""
        return self._mode

    @property
    def locked(self) -> bool:
        """True while the lock screen covers the window (signed out included)."""
        return self._locked

    @property
    def single_user(self) -> bool:
        """True while nobody needs to sign in (no staff accounts, or not known yet)."""
        return self._mode in (Mode.CHECKING, Mode.SINGLE_USER)

    def who_words(self) -> str:
        """The status bar's words: who is signed in, and this computer's name."""
        member = self._window.staff_member
        where = self._clinic.workstation
        if member is not None:
            return f"Signed in as {member.full_name} ({member.role_label}) · {where}"
        if self._mode is Mode.SIGNED_OUT:
            return f"Nobody signed in · {where}"
        return f"Single-user mode, working as {workstation_user()} · {where}"

    def lock_tip(self) -> str:
        """The Lock action's tooltip for the current mode."""
        if self._mode is Mode.SIGNED_IN:
            return LOCK_TIP
        if self._mode is Mode.SIGNED_OUT:
            return LOCK_TIP_SIGNED_OUT
        return LOCK_TIP_SINGLE_USER

    def can_lock(self) -> bool:
        """True when Ctrl+L would lock now."""
        return not self._locked and self._mode is not Mode.SIGNED_OUT

    # -- start -------------------------------------------------------------------------------------
    def start(self) -> None:
        """Begin: signed in already (``staff=``), or ask the clinic whether it has staff."""
        if self._mode is Mode.SIGNED_IN:
            self.idle_watch.start()
            self._changed()
        else:
            self._check_for_staff()

    def _check_for_staff(self) -> None:
        has_staff = self._clinic.admin.has_staff
        run_in_background(
            has_staff, self._on_has_staff_done, self._on_has_staff_failed, owner=self, name="has_staff"
        )

    def _on_has_staff_done(self, has_staff: bool) -> None:
        if self._mode is Mode.SIGNED_IN:
            return  # someone signed in meanwhile (the first administrator was created)
        if has_staff:
            self._asking_again = False
            self.sign_out()
            return
        self._mode = Mode.SINGLE_USER
        if self._asking_again:  # covered because the clinic could not be asked: uncover
            self._asking_again = False
            self._uncover()
        # Shown, not focused: the search field keeps the cursor at start-up.
        self.first_administrator.show()
        if not self._locked:
            self.idle_watch.start()
        self._changed()

    def _on_has_staff_failed(self, exc: Exception) -> None:
        # Unknown whether anyone must sign in: cover, say why, and offer to ask again.
        self._mode = Mode.SIGNED_OUT
        self._asking_again = True
        self._cover(discard=True)
        self.lock_screen.show_problem(error_words(exc))
        self._changed()

    # -- locking -----------------------------------------------------------------------------------
    def lock(self) -> None:
        """Ctrl+L or the idle time: hide patient data and ask for the password (nothing is closed)."""
        if not self.can_lock():
            return
        self._cover(discard=False)
        self.lock_screen.ask_unlock(self._window.staff_member)
        self._changed()

    def sign_out(self) -> None:
        """Nobody is signed in any more: close what was open and show the sign-in."""
        self._mode = Mode.SIGNED_OUT
        self._cover(discard=True)
        self.first_administrator.hide()
        if self._window.staff_member is not None:
            self._window.set_staff_member(None)
        self.lock_screen.ask_sign_in()
        self._changed()

    def _cover(self, *, discard: bool) -> None:
        window = self._window
        self.idle_watch.stop()
        self._locked = True
        self.curtain.draw()
        # The search field holds patient names as typed; results may still be on their way.
        window.clear_search()
        if discard:
            self.curtain.discard()
            window.close_patient()
        window.pages.setCurrentWidget(self.lock_screen)

    def _uncover(self) -> None:
        window = self._window
        self._locked = False
        window.pages.setCurrentWidget(window.work_area)
        self.curtain.lift()
        window.focus_search()
        self.idle_watch.start()

    # -- answers from the lock screen --------------------------------------------------------------
    def _on_lock_screen_unlocked(self, fresh: StaffAccount | None) -> None:
        self._arrived(fresh, same=True)

    def _on_lock_screen_signed_in(self, member: StaffAccount) -> None:
        same = self._mode is Mode.SIGNED_IN and same_person(member, self._window.staff_member)
        self._arrived(member, same=same)

    def _arrived(self, member: StaffAccount | None, *, same: bool) -> None:
        if member is not None and member.must_change_password:
            self._pending_same_person = same
            self.lock_screen.ask_password_change(member)
            return
        self._finish(member, same=same)

    def _on_lock_screen_password_changed(self, fresh: StaffAccount) -> None:
        self._finish(fresh, same=self._pending_same_person)

    def _finish(self, member: StaffAccount | None, *, same: bool) -> None:
        window = self._window
        if same:
            if member is not None and _who(member) != _who(window.staff_member):
                window.set_staff_member(member)  # the role may have changed while locked
        else:
            # Another person: what the first had open is thrown away, not shown to them.
            self.curtain.discard()
            window.close_patient()
            window.set_staff_member(member)
        if member is not None:
            self._mode = Mode.SIGNED_IN
            self.first_administrator.hide()
        self._uncover()
        self._changed()

    def _on_first_administrator_created(self, member: StaffAccount) -> None:
        self._mode = Mode.SIGNED_IN
        self._window.set_staff_member(member)
        self.idle_watch.start()
        self._window.statusBar().showMessage(
            f"{member.full_name} is the clinic's first administrator and is signed in.", 6000
        )
        self._changed()

    def offer_first_administrator(self) -> None:
        """File ▸ Create the first administrator…: show the card again."""
        if self._mode is Mode.SINGLE_USER and not self._locked:
            self.first_administrator.open_form()

    # -- idle --------------------------------------------------------------------------------------
    def _idle_limit_seconds(self) -> float:
        return float(self._clinic.settings.idle_lock_minutes) * 60.0

    def _on_idle_watch_went_idle(self) -> None:
        self.lock()

    def _changed(self) -> None:
        self.state_changed.emit()

    def stop(self) -> None:
        """The window is closing: stop watching for idleness."""
        self.idle_watch.uninstall()
        self.dialog_keys.uninstall()
