"""The wizard's contact save is checked against the chart it showed, like the contact editor's:
a colleague's change made in between is never silently reverted."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy import event

from clinic_desk import Clinic
from tests.conftest import FakeClock
from tests.e2e.test_wizard_flows import TIMEOUT, confirm, open_wizard, press_action, wait_for_step
from tests.services.helpers import register_online
from tests.ui.conftest import make_window

__all__ = ["make_window"]  # a fixture used here


def _colleague_saves_first(clinic: Clinic, colleague: Clinic, patient_id: int) -> None:
    """Just before this desk's next write takes the lock, another desk changes the chart's email."""

    done: list[bool] = []

    def before_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement == "BEGIN IMMEDIATE" and not done:  # the desk's next write, before its lock
            done.append(True)
            colleague.staff.update_contact(patient_id, email="maria.g@example.org", actor="colleague")

    event.listen(clinic.engine, "before_cursor_execute", before_write)


def test_a_colleagues_email_change_is_not_reverted_by_the_wizards_save(
    qtbot, sqlite_url: str, clock: FakeClock, make_window
) -> None:
    with Clinic.open(sqlite_url, clock=clock) as clinic, Clinic.open(sqlite_url, clock=clock) as colleague:
        pid = register_online(clinic, email="maria.garcia@gmial.com")
        window = make_window(clinic)
        panel = open_wizard(qtbot, window, pid)
        wait_for_step(qtbot, panel, "fix_email")
        audit_before = len(clinic.staff.audit_trail(pid))

        _colleague_saves_first(clinic, colleague, pid)
        press_action(qtbot, panel, "fix_email")
        with qtbot.waitSignal(panel.action_failed, timeout=TIMEOUT) as failed:
            confirm_button = panel.step("fix_email").findChild(object, "wizardConfirm")
            assert confirm_button is not None
            confirm_button.click()
        step_id, words = failed.args
        assert step_id == "fix_email"
        assert "changed by someone else" in words

        # The colleague's address stands; the wizard wrote nothing of its own.
        assert clinic.staff.chart(pid).email == "maria.g@example.org"
        trail = clinic.staff.audit_trail(pid)
        assert len(trail) == audit_before + 1 and trail[-1].actor == "colleague"
        # The panel reloads the chart, so the next save is made on top of the colleague's.
        qtbot.waitUntil(lambda: "maria.g@example.org" in _on_file(panel), timeout=TIMEOUT)


def _on_file(panel: Any) -> str:
    """The fix-email step's detail rows ("Email on file: …")."""
    details = panel.step("fix_email").findChild(QWidget, "wizardDetails")
    return details.text() if details is not None else ""


def test_the_wizards_contact_save_still_works_on_an_unchanged_chart(
    qtbot, sqlite_url: str, clock: FakeClock, make_window
) -> None:
    with Clinic.open(sqlite_url, clock=clock) as clinic:
        pid = register_online(clinic, email="maria.garcia@gmial.com")
        window = make_window(clinic)
        panel = open_wizard(qtbot, window, pid)
        wait_for_step(qtbot, panel, "fix_email")
        press_action(qtbot, panel, "fix_email")
        confirm(qtbot, panel, "fix_email")
        assert clinic.staff.chart(pid).email == "maria.garcia@gmail.com"
