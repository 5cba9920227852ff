"""The top-left block of the dash: who the patient is, and the secure-message icon."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from clinic_desk.domain.chart import PatientChart
from clinic_desk.domain.wording import day
from clinic_desk.ui.card import Card
from clinic_desk.ui.colors import STATUS_COLORS
from clinic_desk.ui.patient import status_text
from clinic_desk.ui.patient.avatar import PatientAvatar
from clinic_desk.ui.patient.secure_message_icon import SecureMessageIcon
from clinic_desk.ui.patient.status_model import PortalStatusModel

PATIENT_STATUS_WORDS = {
    "active": "Active",
    "prospective": "Prospective",
    "inactive": "Inactive",
    "deceased": "Deceased",
}


def _label(object_name: str, parent: QWidget, role: str = "") -> QLabel:
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        label.setProperty("role", role)
    return label


class PhotoBlock(Card):
    """Photo or initials, name, preferred name, age and DOB, MRN, patient status, portal icon.

    Signals:
        troubleshoot_requested(int): forwarded from the secure-message icon.
    """

    troubleshoot_requested = Signal(int)

    def __init__(self, model: PortalStatusModel, parent: QWidget | None = None) -> None:
        super().__init__("photoBlock", parent=parent)
        self.setAccessibleName("Patient")
        self._model = model

        self.avatar = PatientAvatar(self)
        self.name_label = _label("patientName", self, "patientName")
        self.name_label.setWordWrap(True)
        self.preferred_label = _label("preferredName", self, "muted")
        self.age_label = _label("patientAge", self)
        self.mrn_label = _label("patientMrn", self)
        self.status_pill = _label("patientStatusPill", self, "pill")
        self.status_pill.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

        who = QVBoxLayout()
        who.setSpacing(3)
        who.addWidget(self.name_label)
        who.addWidget(self.preferred_label)
        who.addSpacing(4)
        who.addWidget(self.age_label)
        who.addWidget(self.mrn_label)
        who.addSpacing(4)
        who.addWidget(self.status_pill, 0, Qt.AlignmentFlag.AlignLeft)
        who.addStretch(1)

        top = QHBoxLayout()
        top.setSpacing(18)
        top.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(who, 1)
        self.body.addLayout(top)

        rule = QFrame(self)
        rule.setObjectName("photoBlockRule")
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setProperty("role", "rule")
        self.body.addWidget(rule)

        self.icon = SecureMessageIcon(model, self)
        self.icon.troubleshoot_requested.connect(self.troubleshoot_requested)
        self.portal_caption = _label("portalCaption", self, "portalCaption")
        self.portal_headline = _label("portalHeadline", self, "muted")
        self.portal_headline.setWordWrap(True)
        portal = QGridLayout()
        portal.setHorizontalSpacing(12)
        portal.setVerticalSpacing(1)
        portal.addWidget(self.icon, 0, 0, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        portal.addWidget(self.portal_caption, 0, 1, Qt.AlignmentFlag.AlignBottom)
        portal.addWidget(self.portal_headline, 1, 1, Qt.AlignmentFlag.AlignTop)
        portal.setColumnStretch(1, 1)
        self.body.addLayout(portal)

        model.status_changed.connect(self._on_model_status_changed)
        model.loading_changed.connect(self._on_model_loading_changed)
        self._on_model_status_changed()

    def show_chart(self, chart: PatientChart, photo: QImage | None, today_age: int) -> None:
        """Fill the block from a freshly loaded chart."""
        self.avatar.set_patient(chart.first_name, chart.last_name, photo)
        self.name_label.setText(chart.full_name)
        preferred = (chart.preferred_name or "").strip()
        self.preferred_label.setText(f"Prefers “{preferred}”" if preferred else "")
        self.preferred_label.setVisible(bool(preferred))
        self.age_label.setText(f"{today_age} years · Born {day(chart.date_of_birth)}")
        self.mrn_label.setText(f"MRN {chart.mrn}")
        words = PATIENT_STATUS_WORDS.get(chart.status, chart.status.title())
        self.status_pill.setText(words)
        self.status_pill.setProperty("patientStatus", chart.status)
        self.status_pill.setAccessibleName(f"Patient status: {words}")
        self.status_pill.style().unpolish(self.status_pill)
        self.status_pill.style().polish(self.status_pill)
        self.setAccessibleDescription(
            f"{chart.full_name}, {today_age} years, born {day(chart.date_of_birth)}, MRN {chart.mrn}, {words}"
        )

    def _on_model_status_changed(self) -> None:
        model = self._model
        color = model.color
        self.portal_caption.setText(status_text.status_words(color))
        self.portal_caption.setStyleSheet(f"color: {STATUS_COLORS.get(color, STATUS_COLORS[''])};")
        if model.status is not None:
            headline = model.status.headline
        elif model.error:
            headline = "Status could not be loaded"
        else:
            headline = "Loading…" if model.patient_id is not None else ""
        self.portal_headline.setText(headline)

    def _on_model_loading_changed(self, _loading: bool) -> None:
        self._on_model_status_changed()
