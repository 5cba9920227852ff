"""A white, rounded panel with an optional small title: the dash is built of these."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class Card(QFrame):
    """A styled panel (see ``style.py``: ``QFrame[card="true"]``) holding a vertical layout."""

    def __init__(self, object_name: str, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setProperty("card", True)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(20, 16, 20, 18)
        self.body.setSpacing(10)
        if title:
            heading = QLabel(title, self)
            heading.setObjectName(f"{object_name}Title")
            heading.setProperty("role", "cardTitle")
            heading.setAccessibleName(title)
            self.body.addWidget(heading)
