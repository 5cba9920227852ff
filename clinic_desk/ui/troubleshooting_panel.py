"""What goes in the ``troubleshootingWizard`` dock: anything a :data:`PanelFactory` builds.

The default is the step-by-step troubleshooting wizard (:mod:`clinic_desk.ui.wizard`);
tests and scripts may pass their own factory to :class:`~clinic_desk.ui.MainWindow`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from clinic_desk.ui.patient.status_model import PortalStatusModel

#: Builds the dock's content: ``factory(clinic, model, parent) -> QWidget``.
PanelFactory = Callable[[Any, PortalStatusModel, QWidget], QWidget]


def default_panel_factory(clinic: Any, model: PortalStatusModel, parent: QWidget) -> QWidget:
    """The troubleshooting wizard (:mod:`clinic_desk.ui.wizard`)."""
    from clinic_desk.ui.wizard import wizard_panel_factory

    return wizard_panel_factory(clinic, model, parent)
