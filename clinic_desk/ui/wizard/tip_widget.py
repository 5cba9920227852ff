"""One trouble-spot tip: a heading, the advice and the facts behind it."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from clinic_desk.domain.troubleshooting import Tip
from clinic_desk.ui.wizard.details import DetailsView
from clinic_desk.ui.wizard.text import wrapped_label


class TipWidget(QFrame):
    """A small card for one :class:`Tip` (``wizardTip_<tip id>``); ``extra`` goes under the advice."""

    def __init__(self, tip: Tip, parent: QWidget | None = None, extra: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tip = tip
        self.setObjectName(f"wizardTip_{tip.id}")
        self.setProperty("card", True)
        self.setAccessibleName(tip.title)
        self.setAccessibleDescription(tip.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(wrapped_label(tip.title, self, role="tipTitle"))
        self.body = wrapped_label(tip.body, self, selectable=True)
        layout.addWidget(self.body)
        if tip.details:
            layout.addWidget(DetailsView(tip.details, f"wizardTipDetails_{tip.id}", self))
        if extra is not None:
            extra.setParent(self)
            layout.addWidget(extra)
