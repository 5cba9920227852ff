"""The troubleshooting wizard panel: the plan for the patient on screen, step by step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFocusEvent, QHideEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from clinic_desk.domain import troubleshooting as plan_ids
from clinic_desk.domain.troubleshooting import PlanStep
from clinic_desk.ui.activation_letter.wizard_offer import LetterOffer
from clinic_desk.ui.colors import STATUS_WORDS
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.own_style import follow_theme
from clinic_desk.ui.patient.status_model import PortalStatusModel
from clinic_desk.ui.tasks import run_in_background
from clinic_desk.ui.wizard import actions
from clinic_desk.ui.wizard.choice import ChoiceView
from clinic_desk.ui.wizard.email_history import EmailHistoryView
from clinic_desk.ui.wizard.feedback import FeedbackBar
from clinic_desk.ui.wizard.field_check import FieldRules
from clinic_desk.ui.wizard.focus import fix_tab_order
from clinic_desk.ui.wizard.loader import WizardData, load_wizard_data
from clinic_desk.ui.wizard.panel_body import PanelBody, scroll_area_for
from clinic_desk.ui.wizard.password_slip import PasswordSlip
from clinic_desk.ui.wizard.printing import PrintFunction, print_with_dialog
from clinic_desk.ui.wizard.slip_keeper import SlipKeeper, single_shot_timer
from clinic_desk.ui.wizard.step_focus import StepFocus
from clinic_desk.ui.wizard.step_runner import StepRunner
from clinic_desk.ui.wizard.step_widget import StepWidget
from clinic_desk.ui.wizard.style import panel_stylesheet
from clinic_desk.ui.wizard.text import discard, discard_left_behind, discard_soon, set_role
from clinic_desk.ui.wizard.tip_widget import TipWidget
from clinic_desk.ui.wizard.whitelist_view import WhitelistStepsView
from clinic_desk.ui.workstation import workstation_user

if TYPE_CHECKING:
    from clinic_desk import Clinic
    from clinic_desk.domain.troubleshooting import TroubleshootingPlan

_HISTORY_STEPS = (plan_ids.INVITATION_HISTORY, plan_ids.REVIEW_CONFIRMATION_EMAIL)


class TroubleshootingWizardPanel(QWidget):
    """Walks staff from "why can't this patient get in?" to "fixed" (``troubleshootingWizardPanel``).

    Follows the status model: the plan comes with the patient snapshot the window reads
    (never read a second time), and the cards are rebuilt only when it changed. Each action
    runs on a worker after an inline confirmation (``runner``); on success ``reload_patient`` reads the
    patient once more (the window points it at its session, so icon, dash and plan follow
    from that one read). A panel used on its own reads the snapshot itself.

    One focus and feedback model: the result of an action is said in the feedback line
    pinned above the steps (``wizardFeedback``, announced to screen readers); the finished
    step folds to a one-line summary; the focus goes to the next step to do and is always
    scrolled into view. The temporary password (``secrets``) goes with the patient, the
    lock, or after 2 minutes.

    Signals:
        plan_loaded(object): a :class:`WizardData` was shown.
        action_started(str): a confirmed step's action began (the step id).
        action_finished(str): a step's action worked (the step id).
        action_failed(str, str): a step's action failed: the step id and the words shown.
        match_checked(object): a match check answered with a :class:`MatchReport`.
        activation_letter_requested: staff chose to print an activation letter (the window does).
    """

    plan_loaded = Signal(object)
    action_started = Signal(str)
    action_finished = Signal(str)
    action_failed = Signal(str, str)
    match_checked = Signal(object)
    activation_letter_requested = Signal()

    def __init__(
        self,
        clinic: Clinic,
        model: PortalStatusModel,
        parent: QWidget | None = None,
        *,
        actor: Callable[[], str] = workstation_user,
        print_function: PrintFunction = print_with_dialog,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("troubleshootingWizardPanel")
        self.setAccessibleName("Troubleshooting wizard")
        self.setAccessibleDescription(
            "Why this patient cannot use the portal, and how to fix it, step by step"
        )
        follow_theme(self, panel_stylesheet)
        self._clinic = clinic
        self._model = model
        self.actor = actor
        self.may: actions.PermissionCheck = actions.everything_allowed  # the window gives its own
        self.print_function = print_function
        self._patient_id: int | None = None
        self._generation = 0
        self._data: WizardData | None = None
        self._reads = 0
        self._steps: dict[str, StepWidget] = {}
        self._tips: dict[str, TipWidget] = {}
        self._choices: dict[str, ChoiceView] = {}
        #: Reads the patient again after a change; the window points it at its session.
        self.reload_patient: Callable[[], None] = self.refresh
        self._build()
        #: The temporary-password slip and its 2-minute timer.
        self.secrets = SlipKeeper(self.body.slip_holder, self.body, make_timer=single_shot_timer)
        self.focus_model = StepFocus(
            self.scroll_area, lambda: self._steps, lambda: self._choices, lambda: self.slip
        )
        #: Runs a confirmed step's action and shows its result (the slip's going too).
        self.runner = StepRunner(self, clinic, model, lambda: self._steps)
        self.secrets.cleared.connect(self.runner.on_secrets_cleared)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self.focus_model.on_app_focus_changed)
        model.status_changed.connect(self._on_model_status_changed)
        self._begin_patient(model.patient_id)
        self._on_model_status_changed()

    # -- building ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.body = PanelBody(self)
        body = self.body  # the panel's names for its parts (tests and the window use them)
        self.color_badge, self.title, self.summary = body.color_badge, body.title, body.summary
        self.retry_button = body.retry_button
        self.retry_button.clicked.connect(self._on_retry_button_clicked)
        self.scroll_area = scroll_area_for(self.body, self)
        # The feedback line stays above the scroll area: on screen whatever is scrolled.
        self.feedback_bar = FeedbackBar(self)
        self.feedback = self.feedback_bar.line
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.feedback_bar)
        layout.addWidget(self.scroll_area)
        self._show_sections(False)

    def _show_sections(self, shown: bool) -> None:
        self.body.steps_title.setVisible(shown and bool(self._steps))
        self.body.tips_title.setVisible(shown and bool(self._tips))

    # -- reading -----------------------------------------------------------------------------------
    @property
    def patient_id(self) -> int | None:
        """The patient the panel is about."""
        return self._patient_id

    @property
    def data(self) -> WizardData | None:
        """What is on show, or None while loading."""
        return self._data

    @property
    def plan(self) -> TroubleshootingPlan | None:
        """The plan on show, or None while loading."""
        return self._data.plan if self._data is not None else None

    @property
    def busy(self) -> bool:
        """True while an action runs."""
        return self.runner.busy

    @property
    def loading(self) -> bool:
        """True while the plan is being read again (by the panel or the window)."""
        return self._reads > 0 or self._model.loading

    def step(self, step_id: str) -> StepWidget | None:
        """The card of a plan step, or None when the plan has no such step."""
        return self._steps.get(step_id)

    def steps(self) -> list[StepWidget]:
        """The step cards, in plan order."""
        return list(self._steps.values())

    def tip(self, tip_id: str) -> TipWidget | None:
        """The card of a tip, or None."""
        return self._tips.get(tip_id)

    def choice(self, step_id: str = plan_ids.CHOOSE_INVITE_METHOD) -> ChoiceView | None:
        """The options of a choice step, or None."""
        return self._choices.get(step_id)

    def status_text(self) -> str:
        """The panel's latest progress, success or problem words (the feedback line)."""
        return self.feedback.text()

    @property
    def slip(self) -> PasswordSlip | None:
        """The temporary-password slip on show, or None."""
        return self.secrets.slip

    # -- loading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the patient snapshot on a worker and show its plan (redrawn only when it changed)."""
        patient_id = self._patient_id
        if patient_id is None or self.busy:
            return
        self.retry_button.hide()
        generation = self._generation
        clinic = self._clinic
        self._reads += 1
        run_in_background(
            lambda: load_wizard_data(clinic, patient_id),
            lambda data: self._on_data_loaded(generation, data),
            lambda exc: self._on_data_failed(generation, exc),
            owner=self,
            name="load_troubleshooting_plan",
        )

    def _on_retry_button_clicked(self) -> None:
        self.retry_button.hide()
        self.reload_patient()

    def _on_model_status_changed(self) -> None:
        model = self._model
        if model.patient_id != self._patient_id:
            self._begin_patient(model.patient_id)
        if model.patient_id is None:
            return
        if isinstance(model.details, WizardData):  # read with the status: nothing to read again
            self._show_data(model.details)
            return
        if model.error and self._data is None:
            self._say(f"The troubleshooting steps could not be read. {model.error}", "error")
            self.retry_button.show()
            return
        if model.status is None:
            return
        if self._data is None:  # the plan is on its way: say who and what at once
            name = model.patient_name
            self.title.setText(f"{name}: {model.status.headline}" if name else model.status.headline)
            self.summary.setText("Reading the troubleshooting steps…")
            self._set_badge(model.status.color)
        self.refresh()  # a status that came without the plan (a panel used on its own)

    def _begin_patient(self, patient_id: int | None) -> None:
        self.secrets.clear("patient")  # another patient's password never shows on this one
        self._patient_id = patient_id
        self._generation += 1
        self._data = None
        self.runner.forget_patient()
        self._clear_plan(soon=True)  # the next plan comes after a read, in a later turn
        self._say("")
        self.title.setText("No patient open" if patient_id is None else "Loading…")
        self.color_badge.setVisible(patient_id is not None)  # no grey "checking" badge with nobody open
        self.summary.setText(
            "Find a patient (Ctrl+F); their portal troubleshooting shows here."
            if patient_id is None
            else "Reading this patient's portal status…"
        )
        self._set_badge("")

    def _on_data_loaded(self, generation: int, data: WizardData) -> None:
        self._reads -= 1
        if generation == self._generation:
            self._show_data(data)

    def _show_data(self, data: WizardData) -> None:
        if self.busy:
            return  # the action's own reload brings the plan after it
        self.retry_button.hide()
        if self._data is not None and data == replace(self._data, chart_version=data.chart_version):
            self._data = data  # only the version moved: the same plan, checked against the newest chart
        else:
            self._render(data)
        if self.runner.focus_pending:
            self.runner.focus_pending = False
            self.focus_model.next_step()

    def _on_data_failed(self, generation: int, exc: Exception) -> None:
        self._reads -= 1
        if generation != self._generation:
            return
        self._say(f"The troubleshooting steps could not be read. {error_words(exc)}", "error")
        self.retry_button.show()

    # -- drawing -----------------------------------------------------------------------------------
    def _set_badge(self, color: str) -> None:
        self.color_badge.setText(STATUS_WORDS.get(color, STATUS_WORDS[""]))
        self.color_badge.setProperty("portalStatus", color)
        self.color_badge.setAccessibleName(STATUS_WORDS.get(color, ""))
        set_role(self.color_badge, "badge")

    def _clear_plan(self, *, soon: bool = False) -> None:
        """Take the plan's cards away (``soon``: deleted next turn, as a new patient opens)."""
        for widget in [*self._steps.values(), *self._tips.values()]:
            (discard_soon if soon else discard)(widget)
        self._steps.clear()
        self._tips.clear()
        self._choices.clear()
        self._show_sections(False)

    def _render(self, data: WizardData) -> None:
        discard_left_behind()  # the last patient's plan, hidden since the open began
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        self.focus_model.hold(self, self.feedback)  # not through the search box while the steps go
        typed = {step_id: widget.typed_values() for step_id, widget in self._steps.items()}
        chosen = {step_id: view.chosen.id for step_id, view in self._choices.items() if view.chosen}
        self._clear_plan()
        self._data = data
        plan = data.plan
        self._set_badge(plan.color)
        name = self._model.patient_name
        self.title.setText(f"{name}: {plan.title}" if name else plan.title)
        self.summary.setText(plan.summary if plan.summary != plan.title else "")
        self.summary.setVisible(bool(self.summary.text()))
        rules = FieldRules.for_settings(self._clinic.settings)  # the service's checks, as staff type
        for step in plan.steps:
            widget = StepWidget(step, self.body.steps_box, self._extra_for(step, data), rules=rules)
            widget.also_words = actions.also_words(step, plan)
            widget.action_requested.connect(self.runner.on_step_action_requested)
            widget.confirm_opened.connect(self.runner.on_step_confirm_opened)
            widget.restore_values(typed.get(step.id, {}))
            self.body.steps_layout.addWidget(widget)
            self._steps[step.id] = widget
            if step.id in self.runner.finished:  # done this visit: a summary, not the action again
                widget.set_finished(self.runner.finished[step.id])
        for step_id in chosen.keys() & self._choices.keys():  # choices made before the redraw
            self._choices[step_id].choose(chosen[step_id])
        for tip in plan.tips:
            advice = data.whitelisting if tip.id == plan_ids.EMAILS_NOT_ARRIVING else None
            extra = WhitelistStepsView(advice) if advice is not None else None
            tip_widget = TipWidget(tip, self.body.tips_box, extra)
            self.body.tips_layout.addWidget(tip_widget)
            tip_widget.show()
            self._tips[tip.id] = tip_widget
        self._show_sections(True)
        self._update_branches()
        self.apply_permissions()
        fix_tab_order(self)
        if had_focus and not self.runner.focus_pending:
            self.focus_model.first_step()
        self.plan_loaded.emit(data)

    def _extra_for(self, step: PlanStep, data: WizardData) -> QWidget | None:
        if step.id in _HISTORY_STEPS:
            return EmailHistoryView(data.emails, data.more_emails)
        if step.kind == "choice" and step.options:
            view = ChoiceView(step.options)
            view.option_chosen.connect(self._on_choice_option_chosen)
            view.option_entered.connect(self._on_choice_option_entered)
            self._choices[step.id] = view
            return view
        if step.id == plan_ids.WHITELIST_ADVICE and data.whitelisting is not None:
            return WhitelistStepsView(data.whitelisting)
        if step.letter_offer:  # the window prints it, as Patient ▸ Print activation letter… does
            offer = LetterOffer(step.letter_offer)
            offer.letter_requested.connect(self.activation_letter_requested)
            return offer
        return None

    def _update_branches(self) -> None:
        number = 0
        for widget in self._steps.values():
            branch_of = widget.step.branch_of
            view = self._choices.get(branch_of) if branch_of else None
            chosen = view.chosen if view is not None else None
            shown = view is None or (chosen is not None and widget.step.id in chosen.steps)
            widget.setVisible(shown)
            if shown:
                number += 1
                widget.set_number(number)

    def apply_permissions(self) -> None:
        """Grey out each step whose action the signed-in role may not do, saying who may."""
        for widget in self._steps.values():
            widget.set_refusal(actions.refusal_for(widget.step, self._model.status, self.may))

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Hand the focus to the first thing to do (the window focuses the panel on Ctrl+T)."""
        super().focusInEvent(event)
        if self.focus_model.holding:
            return
        self.focus_model.first_step()
        if not self.hasFocus():  # Qt names the panel to screen readers after this: name the step again
            QTimer.singleShot(0, self, self.focus_model.retell)

    def hideEvent(self, event: QHideEvent) -> None:
        """The panel goes off screen (the window locks, the dock closes): the password goes too."""
        super().hideEvent(event)
        if not event.spontaneous():  # not a minimised window
            self.secrets.clear("lock" if getattr(self.window(), "locked", False) else "hidden")

    def _say(self, words: str, role: str = "muted") -> None:
        self.feedback_bar.say(words, role)

    # -- choosing ----------------------------------------------------------------------------------
    def _on_choice_option_chosen(self, _option_id: str) -> None:
        self._update_branches()
        fix_tab_order(self)

    def _on_choice_option_entered(self, option_id: str) -> None:
        """Enter on an option: go on to the first thing to do in its steps."""
        self._update_branches()
        fix_tab_order(self)
        self.focus_model.option_entered(option_id)


def wizard_panel_factory(clinic: Any, model: PortalStatusModel, parent: QWidget) -> QWidget:
    """Build the wizard for the ``troubleshootingWizard`` dock (a :data:`PanelFactory`)."""
    return TroubleshootingWizardPanel(clinic, model, parent)
