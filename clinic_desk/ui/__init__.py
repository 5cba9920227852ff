"""The PySide6 user interface of Clinic Desk (the only package that imports Qt).

The widgets load on first use, so the window shell (:mod:`clinic_desk.ui.shell`) paints
before the rest of the window, and the database layer, are imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOMES = {
    "MainWindow": "clinic_desk.ui.main_window",
    "PatientDash": "clinic_desk.ui.patient.patient_dash",
    "PhotoBlock": "clinic_desk.ui.patient.photo_block",
    "PortalStatusModel": "clinic_desk.ui.patient.status_model",
    "SecureMessageIcon": "clinic_desk.ui.patient.secure_message_icon",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(home), name)
