"""The portal part of the photo block: the icon, its words, the trouble it hides, and Why?.

Beside the secure-message icon: the colour in words ("Portal active"), a warning chip when
something stops a login (so a locked blue account never looks healthy), the headline, one short
line per trouble spot the dash must show, and a Why? button. F1 and Shift+F1 anywhere in the
window (while a patient is open) open the same explanation as the button.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from clinic_desk.ui.colors import STATUS_COLORS, ThemeColors
from clinic_desk.ui.own_style import SheetBuilder, follow_theme, message_sheet
from clinic_desk.ui.patient import status_text
from clinic_desk.ui.patient.dash_trouble import DashTrouble, dash_troubles
from clinic_desk.ui.patient.secure_message_icon import SecureMessageIcon
from clinic_desk.ui.patient.status_explanation import StatusExplanation
from clinic_desk.ui.patient.status_model import PortalStatusModel
from clinic_desk.ui.readable import words_for

WARNING_SIGN = "⚠"
EXPLAIN_KEYS = (QKeySequence(Qt.Key.Key_F1), QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F1))
UNKNOWN_WORDS = "Portal status unknown"


def _chip_sheet(c: ThemeColors) -> str:
    # An amber chip: a warning, and apart from the red of "access off".
    return (
        f"QLabel#portalTroubleChip {{ background: {c.warning_bg}; color: {c.warning_text}; "
        f"border: 1px solid {c.warning_border}; border-radius: 7px; padding: 1px 8px; "
        "font-weight: 600; font-size: 9pt; }"
    )


def caption_sheet(color: str) -> SheetBuilder:
    """The status words in their colour's hue, readable at 4.5:1 on the theme's card."""
    return lambda c: f"color: {words_for(STATUS_COLORS.get(color, STATUS_COLORS['']), c)};"


def plain_label(object_name: str, parent: QWidget, role: str = "") -> QLabel:
    """A plain-text label staff can select and copy (``role`` picks its style)."""
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        label.setProperty("role", role)
    return label


class PortalStatusRow(QWidget):
    """Icon, status words, trouble chip and lines, and the Why? button with its popup.

    Signals:
        troubleshoot_requested(int): the icon was activated, or Ctrl+T/Enter in the explanation.
    """

    troubleshoot_requested = Signal(int)

    def __init__(self, model: PortalStatusModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("portalStatusRow")
        self.setAccessibleName("Portal status")
        self._model = model
        self._explained_patient: int | None = None

        self.icon = SecureMessageIcon(model, self)
        self.icon.troubleshoot_requested.connect(self.troubleshoot_requested)
        self.icon.explain_requested.connect(self.explain)
        self.caption = plain_label("portalCaption", self, "portalCaption")
        self.caption.setWordWrap(True)  # a narrow dash wraps the words rather than scroll sideways
        self.chip = plain_label("portalTroubleChip", self)
        follow_theme(self.chip, _chip_sheet)
        self.chip.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.chip.hide()
        self.why_button = QPushButton("Why?", self)
        self.why_button.setObjectName("portalWhyButton")
        self.why_button.setAccessibleName("Why? Explain the portal status")
        self.why_button.setAccessibleDescription("Shows the portal status in words. Shortcut: F1.")
        self.why_button.setToolTip("The portal status in words (F1)")
        self.why_button.setAutoDefault(False)
        self.why_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.why_button.clicked.connect(self.explain)
        self.headline = plain_label("portalHeadline", self, "muted")
        self.headline.setWordWrap(True)
        self.trouble_box = QVBoxLayout()
        self.trouble_box.setContentsMargins(0, 4, 0, 0)
        self.trouble_box.setSpacing(3)
        self.trouble_lines: list[QLabel] = []
        self._troubles_shown: list[tuple[str, str, str]] | None = None  # what the lines say now

        words = QHBoxLayout()
        words.setSpacing(8)
        words.addWidget(self.caption, 0, Qt.AlignmentFlag.AlignVCenter)
        words.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignVCenter)
        words.addStretch(1)
        words.addWidget(self.why_button, 0, Qt.AlignmentFlag.AlignVCenter)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(1)
        grid.addWidget(self.icon, 0, 0, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.addLayout(words, 0, 1)
        grid.addWidget(self.headline, 1, 1, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(self.trouble_box, 2, 1)
        grid.setColumnStretch(1, 1)

        self.explanation = StatusExplanation(self)
        self.explanation.fix_requested.connect(self.icon.click)
        self.explain_action = QAction("&Why this portal status?", self)
        self.explain_action.setObjectName("explainPortalStatusAction")
        self.explain_action.setShortcuts(list(EXPLAIN_KEYS))
        # Anywhere in the window; inert while the dash (and so this row) is hidden or locked away.
        self.explain_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.explain_action.triggered.connect(self.explain)
        self.addAction(self.explain_action)

        self._shown: tuple[Any, ...] | None = None  # what the row shows (see _on_model_status_changed)
        model.status_changed.connect(self._on_model_status_changed)
        model.status_arrived.connect(self._on_model_status_changed)  # painted before the rest
        model.loading_changed.connect(self._on_model_loading_changed)
        self._on_model_status_changed()

    # -- what it shows -----------------------------------------------------------------------------
    def troubles(self) -> list[DashTrouble]:
        """The trouble spots shown beside the icon now, most urgent first."""
        return dash_troubles(self._model.status)

    def trouble_texts(self) -> list[str]:
        """The short trouble lines as shown (without the warning sign)."""
        return [label.property("troubleLine") for label in self.trouble_lines]

    def _on_model_status_changed(self) -> None:
        model = self._model
        shown = (model.patient_id, model.color, model.status, model.error)
        if shown == self._shown:  # only the loading state moved, or the same status came again
            return
        self._shown = shown
        color = model.color
        patient_open = model.patient_id is not None
        caption = status_text.status_words(color, patient_open=patient_open)
        if not color and model.error:
            caption = UNKNOWN_WORDS
        self.caption.setText(caption)
        follow_theme(self.caption, caption_sheet(color))
        if model.status is not None:
            headline = model.status.headline
        elif model.error:
            headline = "Status could not be loaded"
        else:
            headline = "Loading…" if patient_open else ""
        self.headline.setText(headline)
        self._show_troubles(self.troubles())
        self.why_button.setEnabled(patient_open)
        self.explain_action.setEnabled(patient_open)
        # Sentences, the colour named and the warnings last: what a screen reader reads for the row.
        said = [f"{caption} ({color})" if color else caption, headline]
        said += [f"Warning: {line}" for line in self.trouble_texts()]
        self.setAccessibleDescription(" ".join(f"{part.rstrip('.')}." for part in said if part))
        self._follow_explanation(model.patient_id)

    def _on_model_loading_changed(self, _loading: bool) -> None:
        self._on_model_status_changed()

    def _show_troubles(self, troubles: list[DashTrouble]) -> None:
        shown = [(trouble.code, trouble.line, trouble.message) for trouble in troubles]
        if shown == self._troubles_shown:  # the status came again, or only the loading state moved
            self._fit_chip()
            return
        self._troubles_shown = shown
        for label in self.trouble_lines:
            self.trouble_box.removeWidget(label)
            label.deleteLater()
        self.trouble_lines = []
        for trouble in troubles:
            label = plain_label(f"portalTrouble_{trouble.code}", self)
            label.setWordWrap(True)
            label.setText(f"{WARNING_SIGN}  {trouble.line}")
            label.setProperty("troubleLine", trouble.line)
            label.setProperty("troubleCode", trouble.code)
            follow_theme(label, message_sheet("warning"))
            label.setAccessibleName(f"Warning: {trouble.line}")
            label.setAccessibleDescription(trouble.message)
            label.setToolTip(trouble.message)
            self.trouble_box.addWidget(label)
            label.show()  # a child added to a row on screen stays hidden until told
            self.trouble_lines.append(label)
        if troubles:
            first = troubles[0]
            more = f" +{len(troubles) - 1}" if len(troubles) > 1 else ""
            self.chip.setText(f"{WARNING_SIGN} {first.chip}{more}")
            self.chip.setAccessibleName("Warning: " + "; ".join(trouble.line for trouble in troubles))
            self.chip.setToolTip("\n".join(trouble.line for trouble in troubles))
        self._fit_chip()

    def _fit_chip(self) -> None:
        """Show the chip beside the words only where it fits: a narrow dash keeps just the lines."""
        if not self.trouble_lines:
            self.chip.hide()
            return
        caption_width = self.caption.fontMetrics().horizontalAdvance(self.caption.text())
        needed = (
            self.icon.sizeHint().width()
            + caption_width
            + self.chip.sizeHint().width()
            + self.why_button.sizeHint().width()
            + 12
            + 2 * 8
            + 8  # the caption's margin for bold glyphs
        )
        self.chip.setVisible(needed <= self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_chip()

    # -- the explanation ---------------------------------------------------------------------------
    def explanation_html(self, *, by_keyboard: bool = True) -> str:
        """The explanation's words: the hover card's, with a key instead of a click as the hint."""
        model = self._model
        return status_text.tooltip_html(
            model.status,
            patient_name=model.patient_name,
            mrn=model.mrn,
            loading=model.loading,
            error=model.error,
            by_keyboard=by_keyboard,
        )

    def explain(self) -> None:
        """Open the explanation under the icon (F1, Shift+F1, Why?); nothing when no patient is open."""
        patient_id = self._model.patient_id
        if patient_id is None or not self.isVisible():
            return
        self._explained_patient = patient_id
        self.explanation.show_beside(self.explanation_html(), self.icon)

    def _follow_explanation(self, patient_id: int | None) -> None:
        if not self.explanation.isVisible():
            return
        if patient_id is None or patient_id != self._explained_patient:
            self.explanation.close()  # never one patient's words over another's chart
        else:
            self.explanation.set_html(self.explanation_html())

    def hideEvent(self, event: QHideEvent) -> None:
        # Locking, signing out or closing the patient hides the dash: the card goes with it.
        self.explanation.close()
        super().hideEvent(event)
