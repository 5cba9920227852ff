"""The PySide6 user interface of Clinic Desk (the only package that imports Qt)."""

from __future__ import annotations

from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.patient.patient_dash import PatientDash
from clinic_desk.ui.patient.photo_block import PhotoBlock
from clinic_desk.ui.patient.secure_message_icon import SecureMessageIcon
from clinic_desk.ui.patient.status_model import PortalStatusModel

__all__ = [
    "MainWindow",
    "PatientDash",
    "PhotoBlock",
    "PortalStatusModel",
    "SecureMessageIcon",
]
