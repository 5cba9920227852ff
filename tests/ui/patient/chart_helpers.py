"""Helpers the chart-action window tests share: staff of each role, opening a dialog, pressing its button."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

PASSWORDS = {"admin": "Harbor-light-77", "manager": "Quiet-stone-88", "front_desk": "Green-river-55"}
USERNAMES = {"admin": "alex.admin", "manager": "sam.manager", "front_desk": "maria.front"}


def add_staff(clinic: Any) -> dict[str, Any]:
    """An administrator, a manager and a front-desk member, signed in: ``{role: StaffAccount}``."""
    admin = USERNAMES["admin"]
    clinic.admin.add_staff(
        username=admin, full_name="Alex Admin", role="admin", password=PASSWORDS["admin"], actor="setup"
    )
    for role, full_name in (("manager", "Sam Manager"), ("front_desk", "Maria Front")):
        clinic.admin.add_staff(
            username=USERNAMES[role],
            full_name=full_name,
            role=role,
            password=PASSWORDS[role],
            actor=admin,
            must_change_password=False,
        )
    return {role: clinic.admin.sign_in(USERNAMES[role], PASSWORDS[role]) for role in USERNAMES}


def open_dialog(qtbot: Any, window: Any, action_name: str) -> Any:
    """Trigger the Patient menu action ``action_name`` and return the dialog it opened."""
    action = window.chart_actions.actions[action_name]
    assert action.isEnabled(), action.toolTip()
    with qtbot.waitSignal(window.chart_actions.dialog_opened, timeout=3000) as blocker:
        action.trigger()
    dialog = blocker.args[0]
    assert dialog.isVisible()
    return dialog


def press(qtbot: Any, dialog: Any, signal_name: str = "action_done", timeout: int = 10_000) -> list[Any]:
    """Click the dialog's action button and wait for ``signal_name``; returns the signal's arguments."""
    with qtbot.waitSignal(getattr(dialog, signal_name), timeout=timeout) as blocker:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    return list(blocker.args)


def history_has(window: Any, who: str, what: str, details: str = "") -> bool:
    """True when the History card lists a row by ``who`` saying ``what`` (details containing ``details``)."""
    return any(
        row[1] == who and row[2] == what and details in row[3] for row in window.dash.history_card.rows_text()
    )
