"""The panel's focus model: which step the keyboard goes to, and keeping it in view."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from clinic_desk.ui.wizard.choice import ChoiceView
from clinic_desk.ui.wizard.focus import bring_into_view, next_focus
from clinic_desk.ui.wizard.password_slip import PasswordSlip
from clinic_desk.ui.wizard.step_widget import StepWidget


class StepFocus(QObject):
    """Puts the focus on the step that acts next and scrolls it into view.

    Ctrl+T lands on the first thing to do in plan order; after an action, on the next step
    that must be done (else an optional one); while the temporary password shows, on its
    Copy button. Whatever gets the focus inside the panel is scrolled into view. It lives
    as long as the scroll area (its Qt parent), so the application's focus signal stops
    reaching it with the panel.
    """

    def __init__(
        self,
        scroll_area: QScrollArea,
        steps: Callable[[], Mapping[str, StepWidget]],
        choices: Callable[[], Mapping[str, ChoiceView]],
        slip: Callable[[], PasswordSlip | None],
    ) -> None:
        super().__init__(scroll_area)
        self._scroll_area = scroll_area
        self._steps = steps
        self._choices = choices
        self._slip = slip
        #: True while :meth:`hold` parks the focus (the panel then leaves it where it is put).
        self.holding = False

    def target_of(self, widget: StepWidget) -> QWidget | None:
        """Where the keyboard goes in a step (a choice: its options until one is picked)."""
        if widget.isHidden():
            return None
        view = self._choices().get(widget.step.id)
        if view is not None:
            return view.first_focus() if view.chosen is None else None
        return widget.first_focus()

    def put(self, target: QWidget | None) -> None:
        """Focus ``target`` (None: leave the focus alone) and scroll it into view."""
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            bring_into_view(self._scroll_area, target)

    def first_step(self) -> None:
        """Ctrl+T: the first thing to do, in plan order (the slip's Copy while it shows)."""
        slip = self._slip()
        if slip is not None:
            self.put(slip.copy_button)
            return
        self.put(next((t for w in self._steps().values() if (t := self.target_of(w))), None))

    def next_step(self) -> None:
        """After an action: the next step that must be done, else an optional one (never the search)."""
        slip = self._slip()
        if slip is not None:
            self.put(slip.copy_button)
            return
        steps = self._steps().values()
        target = next_focus((self.target_of(w), w.step.optional) for w in steps)
        if target is None:  # all done: stay in the panel, on a finished step's "Show again"
            target = next((w.skip_button for w in steps if w.finished and w.skip_button is not None), None)
        self.put(target)

    def option_entered(self, option_id: str) -> None:
        """Enter on a choice's option: the first thing to do in the steps it leads to."""
        steps = self._steps()
        for view in self._choices().values():
            for option in view.options:
                if option.id == option_id:
                    chosen = [steps[step_id] for step_id in option.steps if step_id in steps]
                    self.put(next((t for w in chosen if (t := self.target_of(w))), None))
                    return

    def hold(self, panel: QWidget, feedback: QWidget) -> None:
        """Keep the focus in ``panel`` while the step that has it folds or the steps are rebuilt.

        Hiding the focused widget sends Qt's focus on to the next one in the window (the search
        box), and screen readers say each move. The focus waits on the feedback line (so the
        result is read out) or else on the panel, until the next step is in.
        """
        focus = QApplication.focusWidget()
        if focus is None or focus is feedback or focus is panel or not panel.isAncestorOf(focus):
            return
        self.holding = True
        try:
            (feedback if feedback.isVisible() else panel).setFocus(Qt.FocusReason.OtherFocusReason)
        finally:
            self.holding = False

    @staticmethod
    def retell() -> None:
        """Tell screen readers again which widget has the focus.

        When a widget hands the focus on from its own focusInEvent (the panel on Ctrl+T), Qt
        announces the first widget after the handler returns, over the one that really has it.
        """
        widget = QApplication.focusWidget()
        if widget is not None and QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.Focus))

    def on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Whatever gets the focus in the panel (Tab, a mnemonic, a redraw) is scrolled into view."""
        if not shiboken6.isValid(self._scroll_area):
            return
        body = self._scroll_area.widget()
        if new is not None and body is not None and body.isAncestorOf(new):
            bring_into_view(self._scroll_area, new)
