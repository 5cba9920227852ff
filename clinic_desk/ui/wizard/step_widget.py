"""One plan step as a card: what to read, the form, and the action with its inline confirmation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_desk.domain.match_check import MatchReport
from clinic_desk.domain.troubleshooting import PlanStep
from clinic_desk.ui.wizard import actions
from clinic_desk.ui.wizard.confirm_bar import ConfirmBar
from clinic_desk.ui.wizard.details import DetailsView
from clinic_desk.ui.wizard.field_check import FieldRules
from clinic_desk.ui.wizard.fields import FieldEditor
from clinic_desk.ui.wizard.match_result import MatchResultView, differing_fields
from clinic_desk.ui.wizard.text import discard, wrapped_label

KIND_CAPTIONS = {"info": "Read", "action": "Do", "form": "Fill in", "choice": "Choose"}


class StepWidget(QFrame):
    """Shows one :class:`PlanStep` (``wizardStep_<id>``) and asks for its action.

    The action button (``wizardAction_<id>``) checks the form, then opens an inline
    confirmation (``wizardConfirm``); only a confirmed action is requested. Read-only
    actions (the match check) run straight away. The boxes are checked as staff type, by
    the rules the service uses (``rules``); while one is wrong the action button is greyed
    out, its tooltip saying why (the match check takes whatever the patient typed).

    Signals:
        action_requested(str, object): the step id and the form values (a dict), confirmed.
        confirm_opened(str): this step's confirmation opened (the panel closes the others).
    """

    action_requested = Signal(str, object)
    confirm_opened = Signal(str)

    def __init__(
        self,
        step: PlanStep,
        parent: QWidget | None = None,
        extra: QWidget | None = None,
        *,
        rules: FieldRules | None = None,
    ) -> None:
        super().__init__(parent)
        self.step = step
        rules = rules or FieldRules()
        self._placeholder_check: Callable[[str], bool] = rules.placeholder_check
        self.setObjectName(f"wizardStep_{step.id}")
        self.setProperty("card", True)
        self.setProperty("stepKind", step.kind)
        self.setAccessibleName(step.title)
        self.setAccessibleDescription(step.body)
        self.confirm_bar: ConfirmBar | None = None
        self.action_button: QPushButton | None = None
        self.skip_button: QPushButton | None = None
        self.match_result: MatchResultView | None = None
        self._busy = False
        self._actions_enabled = True
        self._refusal: str | None = None  # why the signed-in role may not do the action
        self._error_field: str | None = None  # the box the service's last answer was about
        self._finished = False
        #: Words of a combined "do this, then the next step" answer (the panel sets them), or None.
        self.also_words: str | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(7)
        self._layout = layout
        self.caption = QLabel(self)
        self.caption.setObjectName("wizardStepCaption")
        self.caption.setProperty("role", "stepCaption")
        layout.addWidget(self.caption)
        self.title = wrapped_label(step.title, self, role="stepTitle", object_name="wizardStepTitle")
        layout.addWidget(self.title)
        self.content = QWidget(self)
        self.content.setObjectName("wizardStepContent")
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(7)
        layout.addWidget(self.content)
        self.body = wrapped_label(step.body, self.content, object_name="wizardStepBody", selectable=True)
        content.addWidget(self.body)
        if step.warning:
            content.addWidget(
                wrapped_label(step.warning, self.content, role="warning", object_name="wizardWarning")
            )
        if step.details:
            content.addWidget(DetailsView(step.details, "wizardDetails", self.content))
        if extra is not None:
            extra.setParent(self.content)
            content.addWidget(extra)
        self.fields: dict[str, FieldEditor] = {}
        for field in step.fields:
            editor = FieldEditor(
                field,
                self.content,
                placeholder_check=rules.placeholder_check,
                placeholder_warning=actions.PLACEHOLDER_WARNING if step.action == "update_contact" else "",
                rule=None if actions.is_read_only(step) else rules.rule_for(field),
            )
            editor.submitted.connect(self._on_editor_submitted)
            editor.edited.connect(self._on_editor_edited)
            editor.problem_changed.connect(self._update_enabled)
            content.addWidget(editor)
            self.fields[field.name] = editor
        if step.action == "check_match":
            self.match_result = MatchResultView(self.content)
            content.addWidget(self.match_result)
        self.error_label = wrapped_label("", self, role="error", object_name="wizardError")
        self.error_label.setAccessibleName("Problem")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.busy_label = wrapped_label("", self, role="busy", object_name="wizardBusy")
        self.busy_label.hide()
        layout.addWidget(self.busy_label)
        self.refusal_label = wrapped_label("", self, role="muted", object_name="wizardNotAllowed")
        self.refusal_label.setAccessibleName("Not allowed")
        self.refusal_label.hide()
        layout.addWidget(self.refusal_label)
        self.done_label = wrapped_label("", self, role="success", object_name="wizardStepDone")
        self.done_label.setAccessibleName("Done")
        self.done_label.hide()
        layout.addWidget(self.done_label)
        self._confirm_slot = QVBoxLayout()
        self._confirm_slot.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._confirm_slot)
        self._build_buttons(layout)
        self.set_number(None)
        self._update_enabled()  # a value filled in for staff may already be wrong

    def _build_buttons(self, layout: QVBoxLayout) -> None:
        step = self.step
        if not step.action and not step.optional:
            return
        row = QHBoxLayout()
        row.setSpacing(8)
        if step.action:
            button = QPushButton(actions.button_words(step), self)
            button.setObjectName(f"wizardAction_{step.id}")
            button.setProperty("role", "primary")
            button.setAccessibleName(actions.button_words(step).replace("&", "").rstrip("…"))
            button.setAccessibleDescription(step.confirm_text or step.title)
            button.setAutoDefault(True)
            button.clicked.connect(self._on_action_button_clicked)
            row.addWidget(button)
            self.action_button = button
        if step.optional:
            skip = QPushButton("S&kip", self)
            skip.setObjectName(f"wizardSkip_{step.id}")
            skip.setAccessibleName("Skip this step")
            skip.setAccessibleDescription("Not needed for this patient: fold the step away")
            skip.setCheckable(True)
            skip.setAutoDefault(True)
            skip.toggled.connect(self._on_skip_button_toggled)
            row.addWidget(skip)
            self.skip_button = skip
        row.addStretch(1)
        layout.addLayout(row)

    # -- reading -----------------------------------------------------------------------------------
    @property
    def step_id(self) -> str:
        """The plan step's id."""
        return self.step.id

    def values(self) -> dict[str, str]:
        """The form's values by field name (the temporary password is made by the panel)."""
        return {name: editor.value() for name, editor in self.fields.items() if editor.takes_input}

    def typed_values(self) -> dict[str, str]:
        """Only the boxes staff typed in (kept when the plan is rebuilt)."""
        return {name: editor.value() for name, editor in self.fields.items() if editor.is_modified()}

    def restore_values(self, typed: dict[str, str]) -> None:
        """Put back what staff had typed before the plan was rebuilt."""
        for name, text in typed.items():
            if name in self.fields:
                self.fields[name].set_value(text)

    def first_focus(self) -> QWidget | None:
        """Where the keyboard should land in this step (None: nothing to do here)."""
        if self._finished or self.is_skipped:
            return None
        for editor in self.fields.values():
            if editor.editor is not None and not editor.field.read_only:
                return editor.editor
        return self.action_button or self.skip_button

    @property
    def is_skipped(self) -> bool:
        """True while staff folded the step away with Skip."""
        return self.skip_button is not None and self.skip_button.isChecked()

    @property
    def finished(self) -> bool:
        """True while the step is folded to its one-line summary after its action worked."""
        return self._finished

    def set_finished(self, summary: str | None) -> None:
        """Fold the step to ``summary`` once its action worked (None: open it again).

        The action is not offered in place any more (no repeat by a stray Enter); "Show
        again" (the Skip button, or a click on the summary's step) opens it.
        """
        self._finished = summary is not None
        self.close_confirm()
        self.done_label.setText(f"✓ {summary}" if summary else "")
        self.done_label.setAccessibleDescription(summary or "")
        self.done_label.setVisible(self._finished)
        self.content.setVisible(not self._finished and not self.is_skipped)
        if self.action_button is not None:
            self.action_button.setVisible(not self._finished and not self.is_skipped)
        if self._finished and self.skip_button is None:
            self._add_reopen_button()
        if self.skip_button is not None:
            self.skip_button.setText("S&how again" if self._finished or self.is_skipped else "S&kip")
            self.skip_button.setVisible(self._finished or self.step.optional)

    def _add_reopen_button(self) -> None:
        """A step that cannot be skipped gets "Show again" only once it is finished."""
        button = QPushButton("S&how again", self)
        button.setObjectName(f"wizardSkip_{self.step.id}")
        button.setAccessibleName("Show the step again")
        button.setAccessibleDescription("Open the finished step to do it again")
        button.setCheckable(True)
        button.setAutoDefault(True)
        button.toggled.connect(self._on_skip_button_toggled)
        self._layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        self.skip_button = button

    # -- states ------------------------------------------------------------------------------------
    def set_number(self, number: int | None) -> None:
        """Show 'Step 2 · Do' (or just 'Do' for unnumbered steps)."""
        words = KIND_CAPTIONS.get(self.step.kind, "")
        if self.step.optional:
            words += " (if needed)"
        self.caption.setText(f"STEP {number} · {words.upper()}" if number else words.upper())

    def set_actions_enabled(self, enabled: bool) -> None:
        """Let the buttons work or not (another step's action is running)."""
        self._actions_enabled = enabled
        self._update_enabled()

    def set_refusal(self, words: str | None) -> None:
        """Grey out the action the signed-in role may not do, saying who may (None: allowed)."""
        self._refusal = words
        if words:
            self.close_confirm()
        self.refusal_label.setText(words or "")
        self.refusal_label.setVisible(bool(words) and self.step.action is not None)
        self._update_enabled()

    @property
    def refusal(self) -> str | None:
        """Why the action is greyed out for the signed-in role, or None."""
        return self._refusal

    def set_busy(self, busy: bool, words: str = "Working… please wait.") -> None:
        """Say the action runs: buttons and boxes are greyed out until it ends."""
        self._busy = busy
        self.busy_label.setText(words)
        self.busy_label.setVisible(busy)
        if self.confirm_bar is not None:
            self.confirm_bar.set_busy(busy)
        self._update_enabled()

    @property
    def busy(self) -> bool:
        """True while the step's action runs."""
        return self._busy

    @property
    def field_problems(self) -> list[str]:
        """What is wrong with the boxes as typed (shown under each), in form order."""
        return [editor.shown_problem for editor in self.fields.values() if editor.shown_problem]

    def _update_enabled(self) -> None:
        enabled = self._actions_enabled and not self._busy
        problems = self.field_problems
        if self.skip_button is not None:
            self.skip_button.setEnabled(enabled)
        for editor in self.fields.values():
            if editor.editor is not None:
                editor.editor.setEnabled(enabled)
        button = self.action_button
        if button is None:
            return
        moves_focus = bool(problems) and button.hasFocus()
        button.setEnabled(enabled and not self._refusal and not problems)
        why = self._refusal or " ".join(problems)
        button.setToolTip(why)
        base = self.step.confirm_text or self.step.title
        button.setAccessibleDescription(f"{base} {why}" if why else base)
        if moves_focus:  # a greyed-out button cannot keep the focus: on to the box at fault
            self._focus_first_problem()

    def _focus_first_problem(self) -> bool:
        """Put the cursor in the first box whose value is wrong; False when none is."""
        for editor in self.fields.values():
            if editor.shown_problem and editor.editor is not None:
                editor.editor.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return False

    def show_error(self, message: str, field: str | None = None) -> None:
        """Say what went wrong; mark the box named by ``field`` and put the cursor in it."""
        self.clear_error()
        self.error_label.setText(message)
        self.error_label.setAccessibleDescription(message)
        self.error_label.show()
        self._error_field = field
        editor = self.fields.get(field or "")
        if editor is not None and editor.editor is not None:
            editor.set_invalid(True, message)
            editor.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            editor.editor.selectAll()
        elif self.action_button is not None:
            self.action_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_error(self) -> None:
        """Forget the service's last answer (a box still wrong as typed stays marked)."""
        self.error_label.hide()
        self.error_label.clear()
        self._error_field = None
        for editor in self.fields.values():
            editor.set_invalid(editor.shown_problem is not None, editor.shown_problem or "")

    @property
    def error_text(self) -> str:
        """The problem on show, or ''."""
        return self.error_label.text() if self.error_label.isVisible() or self.error_label.text() else ""

    def show_match_report(self, report: MatchReport, patient_id: int | None) -> None:
        """Show a match check's answer and mark the boxes that differ."""
        if self.match_result is None:
            return
        self.match_result.show_report(report, patient_id)
        differing = set(differing_fields(report, patient_id))
        for name, editor in self.fields.items():
            editor.set_invalid(name in differing, "Does not match the chart")

    # -- confirmation ------------------------------------------------------------------------------
    def open_confirm(self, question: str, values: dict[str, str], *, careful: bool = False) -> ConfirmBar:
        """Ask ``question`` inline; a confirmed answer requests the action with ``values``.

        ``careful``: the focus and the default go to "Keep it" (replacing a password).
        """
        self.close_confirm()
        bar = ConfirmBar(question, self, careful=careful, also=self.also_words)
        bar.confirmed.connect(lambda: self.action_requested.emit(self.step.id, dict(values)))
        bar.confirmed_also.connect(
            lambda: self.action_requested.emit(self.step.id, {**values, actions.THEN: actions.THEN_ACCESS_ON})
        )
        bar.cancelled.connect(self._on_confirm_bar_cancelled)
        self._confirm_slot.addWidget(bar)
        bar.show()
        self.confirm_bar = bar
        if self.action_button is not None:
            self.action_button.hide()
        bar.safe_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.confirm_opened.emit(self.step.id)
        return bar

    def close_confirm(self) -> None:
        """Take the confirmation away (answered, cancelled or replaced)."""
        bar, self.confirm_bar = self.confirm_bar, None
        if bar is not None:
            discard(bar)
        if self.action_button is not None:
            self.action_button.show()

    def _on_confirm_bar_cancelled(self) -> None:
        self.close_confirm()
        if self.action_button is not None:
            self.action_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- slots -------------------------------------------------------------------------------------
    def _on_action_button_clicked(self) -> None:
        if self._busy or not self._actions_enabled or self.step.action is None or self._refusal:
            return
        self.clear_error()
        if self._check_fields():
            return
        values = self.values()
        if actions.is_read_only(self.step):
            self.action_requested.emit(self.step.id, values)
            return
        careful = actions.replaces_password(self.step)
        question = actions.confirm_words(self.step, values, self._placeholder_check)
        self.open_confirm(question, values, careful=careful)

    def _check_fields(self) -> bool:
        """Check every box now, each problem under its box; True (cursor in the first) if any."""
        for editor in self.fields.values():
            if editor.check_now(touched=True) is None and editor.takes_input:
                problem = editor.problem()  # a box without a rule: only "required" is known
                if problem:
                    self.show_error(problem, editor.field.name)
                    return True
        return self._focus_first_problem()

    def _on_editor_edited(self) -> None:
        """Staff changed a box: the open question would send old values, the old answer is stale."""
        if self.confirm_bar is not None:
            self.close_confirm()
        editor = self.sender()
        if isinstance(editor, FieldEditor) and self._error_field == editor.field.name:
            self.clear_error()

    def _on_editor_submitted(self) -> None:
        """Enter in a box: on to the next empty box of the form, else the step's button.

        A box whose value is wrong keeps the cursor, its problem said under it.
        """
        editors = list(self.fields.values())
        sender = self.sender()
        if isinstance(sender, FieldEditor) and sender.check_now() is not None:
            return
        later = editors[editors.index(sender) + 1 :] if isinstance(sender, FieldEditor) else []
        boxes = [editor.editor for editor in later if editor.editor is not None]
        empty = next((box for box in boxes if not box.isReadOnly() and not box.text().strip()), None)
        if empty is not None:
            empty.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._on_action_button_clicked()

    def _on_skip_button_toggled(self, skipped: bool) -> None:
        if self._finished:  # "Show again" on a finished step opens it
            self._finished = False
            self.done_label.hide()
            skip = self.skip_button
            if skip is not None:
                skip.blockSignals(True)
                skip.setChecked(False)
                skip.blockSignals(False)
                skip.setVisible(self.step.optional)
            skipped = False
        if skipped:
            self.close_confirm()
            self.clear_error()
        self.content.setVisible(not skipped)
        self.setProperty("skipped", skipped)
        if self.skip_button is not None:
            self.skip_button.setText("S&how again" if skipped else "S&kip")
        if self.action_button is not None:
            self.action_button.setVisible(not skipped)
