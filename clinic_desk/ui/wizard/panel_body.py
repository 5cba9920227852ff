"""What scrolls in the wizard panel: badge, title, summary, the slip's place, the steps and the tips."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from clinic_desk.ui.wizard.text import wrapped_label


def _section(title: str, parent: QWidget, name: str, spacing: int) -> tuple[QLabel, QWidget, QVBoxLayout]:
    heading = QLabel(title, parent)
    heading.setProperty("role", "sectionTitle")
    box = QWidget(parent)
    box.setObjectName(name)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    return heading, box, layout


class PanelBody(QWidget):
    """The scrolling part of the panel (``wizardBody``); the panel fills it in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wizardBody")
        body = QVBoxLayout(self)
        body.setContentsMargins(12, 12, 12, 16)
        body.setSpacing(10)
        self.color_badge = QLabel(self)
        self.color_badge.setObjectName("wizardColor")
        self.color_badge.setProperty("portalStatus", "")
        body.addWidget(self.color_badge, 0, Qt.AlignmentFlag.AlignLeft)
        self.title = wrapped_label("", self, object_name="wizardTitle")
        body.addWidget(self.title)
        self.summary = wrapped_label("", self, object_name="wizardSummary", selectable=True)
        body.addWidget(self.summary)
        self.retry_button = QPushButton("&Retry", self)
        self.retry_button.setObjectName("wizardRetry")
        self.retry_button.setAccessibleName("Retry")
        self.retry_button.setAccessibleDescription("Read the troubleshooting plan again")
        self.retry_button.setAutoDefault(True)
        self.retry_button.hide()
        body.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.slip_holder = QVBoxLayout()
        self.slip_holder.setContentsMargins(0, 0, 0, 0)
        body.addLayout(self.slip_holder)
        self.steps_title, self.steps_box, self.steps_layout = _section("What to do", self, "wizardSteps", 10)
        body.addWidget(self.steps_title)
        body.addWidget(self.steps_box)
        self.tips_title, self.tips_box, self.tips_layout = _section(
            "Things that can stop a login", self, "wizardTips", 8
        )
        body.addWidget(self.tips_title)
        body.addWidget(self.tips_box)
        body.addStretch(1)


def scroll_area_for(body: QWidget, parent: QWidget) -> QScrollArea:
    """The panel's scroll area around ``body``: vertical only, frameless, never a Tab stop itself."""
    area = QScrollArea(parent)
    area.setObjectName("wizardScroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(body)
    return area
