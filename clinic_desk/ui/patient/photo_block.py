"""The top-left block of the dash: who the patient is, and the secure-message icon."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from clinic_desk.domain.chart import PatientChart
from clinic_desk.domain.wording import day
from clinic_desk.ui.card import Card
from clinic_desk.ui.patient.avatar import PatientAvatar
from clinic_desk.ui.patient.portal_status_row import PortalStatusRow, plain_label
from clinic_desk.ui.patient.status_model import PortalStatusModel

PATIENT_STATUS_WORDS = {
    "active": "Active",
    "prospective": "Prospective",
    "inactive": "Inactive",
    "deceased": "Deceased",
}


class PhotoBlock(Card):
    """Photo or initials, name, preferred name, age and DOB, MRN, patient status, portal status row.

    Signals:
        troubleshoot_requested(int): forwarded from the portal status row (icon or explanation).
    """

    troubleshoot_requested = Signal(int)

    def __init__(self, model: PortalStatusModel, parent: QWidget | None = None) -> None:
        super().__init__("photoBlock", parent=parent)
        self.setAccessibleName("Patient")
        self._model = model

        self.avatar = PatientAvatar(self)
        self.name_label = plain_label("patientName", self, "patientName")
        self.name_label.setWordWrap(True)
        self.preferred_label = plain_label("preferredName", self, "muted")
        self.age_label = plain_label("patientAge", self)
        self.mrn_label = plain_label("patientMrn", self)
        self.status_pill = plain_label("patientStatusPill", self, "pill")
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

        self.portal = PortalStatusRow(model, self)
        self.portal.troubleshoot_requested.connect(self.troubleshoot_requested)
        self.body.addWidget(self.portal)
        # The names tests and the window already use.
        self.icon = self.portal.icon
        self.portal_caption = self.portal.caption
        self.portal_headline = self.portal.headline

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
