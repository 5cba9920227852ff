"""Doing a step: its confirmation, its action on a worker, and the result said in the feedback line."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt

from clinic_desk.domain import troubleshooting as plan_ids
from clinic_desk.domain.troubleshooting import PlanStep
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.intentions import Intentions
from clinic_desk.ui.patient.status_model import PortalStatusModel
from clinic_desk.ui.tasks import run_in_background
from clinic_desk.ui.wizard import actions
from clinic_desk.ui.wizard.focus import bring_into_view, fix_tab_order, settle_layouts
from clinic_desk.ui.wizard.slip_keeper import CLEARED_WORDS
from clinic_desk.ui.wizard.step_widget import StepWidget

if TYPE_CHECKING:
    from clinic_desk import Clinic


class StepRunner(QObject):
    """Runs a confirmed step's action on a worker and shows how it went, for the wizard panel.

    One action at a time: while it runs, every step's buttons are greyed out and the progress
    words hold the focus on the panel's feedback line. On success the step folds to what was
    done (kept in :attr:`finished` for this patient), the temporary password shows when one was
    set, and the panel's ``reload_patient`` reads the patient again; the focus goes on to the
    next step once the new plan is in (:attr:`focus_pending`). On failure the step shows the
    problem beside the field it is about. The panel's own signals (``action_started``,
    ``action_finished``, ``action_failed``, ``match_checked``) are emitted from here.
    """

    def __init__(
        self,
        panel: Any,
        clinic: Clinic,
        model: PortalStatusModel,
        steps: Callable[[], Mapping[str, StepWidget]],
    ) -> None:
        super().__init__(panel)
        self._panel = panel
        self._clinic = clinic
        self._model = model
        self._steps = steps
        self._busy_step: str | None = None
        self._intentions = Intentions()
        #: Step id -> what its action did (this patient): the panel redraws it folded.
        self.finished: dict[str, str] = {}
        #: An action ended: the panel focuses the next step once the plan is in.
        self.focus_pending = False

    @property
    def busy(self) -> bool:
        """True while an action runs."""
        return self._busy_step is not None

    def forget_patient(self) -> None:
        """Another patient (or none) opens: nothing done for the last one carries over."""
        self.finished.clear()
        self.focus_pending = False

    def _say(self, words: str, role: str = "muted") -> None:
        self._panel.feedback_bar.say(words, role)

    # -- doing -------------------------------------------------------------------------------------
    def on_step_confirm_opened(self, step_id: str) -> None:
        """One confirmation open at a time, scrolled into view."""
        for other_id, widget in self._steps().items():
            if other_id != step_id:
                widget.close_confirm()
        widget = self._steps()[step_id]
        fix_tab_order(self._panel)
        settle_layouts()
        if widget.confirm_bar is not None:
            self._panel.scroll_area.ensureWidgetVisible(widget.confirm_bar, 10, 40)

    def on_step_action_requested(self, step_id: str, values: dict[str, str]) -> None:
        """Run a confirmed step's action on a worker (one at a time)."""
        panel = self._panel
        widget = self._steps().get(step_id)
        patient_id = panel.patient_id
        if widget is None or patient_id is None or self.busy:
            return
        step = widget.step
        version = panel.data.chart_version if panel.data else None
        call, values = actions.prepared_call(
            self._clinic, self._intentions, patient_id, step, values, panel.actor(), version
        )
        self._busy_step = step_id
        busy_words = "Checking…" if actions.is_read_only(step) else "Working… please wait."
        # Progress in the fixed place, which holds the focus while the step's buttons are greyed out
        # (Qt would hand it to the search box, and screen readers would say so).
        self._say(busy_words)
        panel.focus_model.hold(panel, panel.feedback)
        for other in self._steps().values():
            other.set_actions_enabled(False)
        widget.set_busy(True, busy_words)
        panel.action_started.emit(step_id)
        run_in_background(
            call,
            lambda result: self._on_action_done(patient_id, step, values, result, version),
            lambda exc: self._on_action_error(step, exc),
            owner=self,
            name=f"wizard_{step.action}",
        )

    def _end_busy(self, step: PlanStep) -> StepWidget | None:
        self._busy_step = None
        for other in self._steps().values():
            other.set_actions_enabled(True)
        widget = self._steps().get(step.id)
        if widget is not None and widget.step == step:
            widget.set_busy(False)
            return widget
        return None

    def _on_action_done(
        self, patient_id: int, step: PlanStep, values: dict[str, str], result: Any, version: int | None
    ) -> None:
        panel = self._panel
        self._intentions.settle()
        widget = self._end_busy(step)
        if step.action == plan_ids.CHECK_MATCH:
            if widget is not None:
                widget.show_match_report(result, patient_id)
                if panel.feedback.hasFocus():  # back to the step before "Checking…" goes
                    panel.focus_model.put(widget.first_focus())
            self._say("")
            panel.match_checked.emit(result)
            return
        words = actions.done_words(
            step,
            values,
            result,
            mail_server_set=actions.mail_server_set(self._clinic.settings),
            expected_version=version,
        )
        self.finished[step.id] = words
        self._say(words, actions.done_role(words))
        # The result holds the focus (and is read out) until the plan is read again.
        panel.focus_model.hold(panel, panel.feedback)
        if widget is not None:
            widget.set_finished(words)  # folded to its summary: no repeat by a stray Enter
        if step.action == plan_ids.SET_CREDENTIALS:
            self._show_slip(values.get("username", ""), values.get("password", ""))
        self.focus_pending = True  # the next step once the new plan is in
        panel.action_finished.emit(step.id)
        panel.reload_patient()

    def _on_action_error(self, step: PlanStep, exc: Exception) -> None:
        panel = self._panel
        self._intentions.settle(exc)
        widget = self._end_busy(step)
        message = error_words(exc)
        if widget is not None:
            widget.close_confirm()
            widget.show_error(message, getattr(exc, "field", None))
            settle_layouts()
            panel.scroll_area.ensureWidgetVisible(widget.error_label, 10, 40)
        self._say(*actions.failure_words(exc))
        panel.action_failed.emit(step.id, message)
        if actions.reload_after(exc):  # show what is really saved now (a colleague's change, or ours)
            panel.reload_patient()

    # -- the temporary password --------------------------------------------------------------------
    def _show_slip(self, username: str, password: str) -> None:
        panel = self._panel
        name = self._model.patient_name or "the patient"
        slip = panel.secrets.show(name, username, password, panel.print_function)
        fix_tab_order(panel)
        bring_into_view(panel.scroll_area, slip)
        slip.copy_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def on_secrets_cleared(self, why: str) -> None:
        """The slip went: say why in the feedback line (after Done, on to the next step)."""
        words = CLEARED_WORDS.get(why, "")
        if words:
            self._say(words, "muted")
        if why == "done":
            self._panel.focus_model.next_step()
