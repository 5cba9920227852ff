"""Placeholder for the troubleshooting wizard: what is wrong with the open patient's portal access.

The step-by-step wizard replaces this panel later: anything built by a
:data:`PanelFactory` can go in the ``troubleshootingWizard`` dock.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from clinic_desk.ui import status_text
from clinic_desk.ui.colors import STATUS_COLORS, TEXT_MUTED
from clinic_desk.ui.secure_message_icon import SecureMessageIcon
from clinic_desk.ui.status_model import PortalStatusModel

if TYPE_CHECKING:
    from clinic_desk import Clinic

#: Builds the dock's content: ``factory(clinic, model, parent) -> QWidget``.
PanelFactory = Callable[[Any, PortalStatusModel, QWidget], QWidget]


class TroubleshootingPanel(QWidget):
    """Lists the reasons and trouble spots of the open patient; the guided fixes come later."""

    def __init__(
        self, clinic: Clinic | None, model: PortalStatusModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("troubleshootingPanel")
        self.setAccessibleName("Troubleshooting")
        self._model = model
        self.icon = SecureMessageIcon(model, self)
        self.icon.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.title = QLabel(self)
        self.title.setObjectName("troubleshootingTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.details = QLabel(self)
        self.details.setObjectName("troubleshootingDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel("Guided, step-by-step fixes will appear here.", self)
        self.note.setObjectName("troubleshootingNote")
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)

        inner = QWidget(self)
        inner.setObjectName("troubleshootingBody")
        body = QVBoxLayout(inner)
        body.setContentsMargins(18, 16, 18, 16)
        body.setSpacing(10)
        body.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignLeft)
        body.addWidget(self.title)
        body.addWidget(self.details)
        body.addStretch(1)
        body.addWidget(self.note)
        scroll = QScrollArea(self)
        scroll.setObjectName("troubleshootingScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        model.status_changed.connect(self._on_model_status_changed)
        self._on_model_status_changed()

    def _on_model_status_changed(self) -> None:
        model = self._model
        status = model.status
        if model.patient_id is None:
            self.title.setText("No patient open")
            self.details.setText(
                f"<p style='color:{TEXT_MUTED}'>Open a patient, then click the secure-message icon.</p>"
            )
            return
        name = model.patient_name or "This patient"
        if status is None:
            self.title.setText(name)
            self.details.setText(escape(model.error or "Checking portal status…"))
            return
        self.title.setText(f"{name}: {status_text.status_words(status.color)}")
        color = STATUS_COLORS[status.color]
        parts = [f"<p style='color:{color}; font-weight:600'>{escape(status.headline)}</p>"]
        for title, items in (
            ("Why" if status.color == "red" else "Details", status.reasons),
            ("Things that can stop a login", status.trouble_spots),
        ):
            if items:
                parts.append(
                    f"<p style='color:{TEXT_MUTED}; font-weight:600; margin-top:8px'>{escape(title)}</p>"
                )
                parts.append("<ul style='-qt-list-indent:1'>")
                parts += [f"<li style='margin-bottom:4px'>{escape(item.message)}</li>" for item in items]
                parts.append("</ul>")
        self.details.setText("".join(parts))
        self.setAccessibleDescription(status_text.accessible_description(status))


def placeholder_panel_factory(clinic: Any, model: PortalStatusModel, parent: QWidget) -> QWidget:
    """The read-only placeholder panel (reasons and trouble spots, no guided fixes)."""
    return TroubleshootingPanel(clinic, model, parent)


def default_panel_factory(clinic: Any, model: PortalStatusModel, parent: QWidget) -> QWidget:
    """The troubleshooting wizard (:mod:`clinic_desk.ui.wizard`)."""
    from clinic_desk.ui.wizard import wizard_panel_factory

    return wizard_panel_factory(clinic, model, parent)
