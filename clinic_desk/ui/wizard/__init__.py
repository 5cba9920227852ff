"""The troubleshooting wizard: the side panel that walks staff from "why can't they log in?" to "fixed".

:class:`TroubleshootingWizardPanel` renders the patient's
:class:`~clinic_desk.domain.troubleshooting.TroubleshootingPlan` step by step and runs
each confirmed action on a worker thread. :func:`wizard_panel_factory` builds it for
the ``troubleshootingWizard`` dock.
"""

from __future__ import annotations

from clinic_desk.ui.wizard.panel import TroubleshootingWizardPanel, wizard_panel_factory

__all__ = ["TroubleshootingWizardPanel", "wizard_panel_factory"]
