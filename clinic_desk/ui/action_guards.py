"""Actions kept to the roles that may use them: disabled, with a tooltip that says who may."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtGui import QAction

from clinic_desk.domain.roles import Permission, refusal

#: A guarded action's own further condition: None when it may run now, else the words saying why not.
Blocker = Callable[[], "str | None"]


@dataclass
class _Guard:
    """An action kept enabled only for roles with ``permission`` (see ``MainWindow.guard_action``)."""

    action: QAction
    permission: Permission
    tip: str
    status_tip: str
    blocked: Blocker | None = None


class ActionGuards:
    """The window's guarded actions, checked again on sign-in, switch user, the lock and on request.

    The window's ``may`` says what the signed-in role allows (the services check again and
    refuse); its staff session says whether the lock screen is up.
    """

    def __init__(self, window: Any) -> None:
        self._window = window
        self._guards: list[_Guard] = []

    def add(self, action: QAction, permission: Permission, blocked: Blocker | None = None) -> None:
        """Guard ``action`` from now on (its own tooltip and status tip show while it may run)."""
        self._guards.append(_Guard(action, permission, action.toolTip(), action.statusTip(), blocked))
        self.apply()

    def apply(self) -> None:
        """Enable each guarded action that may run now; a disabled one's tips say why not."""
        window = self._window
        session = getattr(window, "staff_session", None)
        if session is None:  # still being built: the staff session's first state applies them
            return
        locked = session.locked
        # An action deleted meanwhile (mail tools installed again, say) needs no guard.
        self._guards = [guard for guard in self._guards if shiboken6.isValid(guard.action)]
        for guard in self._guards:
            why = None if window.may(guard.permission) else refusal(guard.permission)
            if why is None and guard.blocked is not None:
                why = guard.blocked()
            guard.action.setEnabled(why is None and not locked)
            guard.action.setToolTip(guard.tip if why is None else why)
            guard.action.setStatusTip(guard.status_tip if why is None else why)
