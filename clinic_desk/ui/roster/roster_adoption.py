"""The adoption chart's place in the roster window, and its one read (on a worker)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from clinic_desk.ui.roster.adoption_chart import AdoptionChart
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)

#: The chart's months: the last year.
MONTHS = 12


class AdoptionArea(QWidget):
    """Holds the :class:`AdoptionChart` (``chart``) under the roster's table.

    ``toggle`` (for the window's status row) shows or hides it: a small screen needs the room
    for the table.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("rosterAdoptionArea")
        self.setAccessibleName("Portal adoption")
        self.chart = AdoptionChart(self)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.chart)
        self.toggle = QPushButton("A&doption chart", parent)
        self.toggle.setObjectName("rosterAdoptionToggle")
        self.toggle.setAccessibleName("Show the adoption chart")
        self.toggle.setAccessibleDescription("Show or hide the chart of portal adoption by month")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoDefault(False)
        self.toggle.toggled.connect(self.setVisible)

    def load(self, clinic: Clinic) -> None:
        """Record today's colours (once a day, whichever desk is first), then show the months."""

        def read() -> Any:
            clinic.record_daily_status()  # the chart starts where this record starts
            return clinic.adoption(MONTHS)

        run_in_background(
            read,
            self.chart.show_adoption,
            lambda exc: log.warning("Reading portal adoption failed (%s)", type(exc).__name__),
            owner=self.chart,
            name="roster_adoption",
        )
