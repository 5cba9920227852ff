"""The newest portal emails to the patient: what went out, to where, and whether it arrived."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QWidget

from clinic_desk.domain.wording import when
from clinic_desk.ui.card import Card
from clinic_desk.ui.colors import STATUS_COLORS, TEXT_MUTED
from clinic_desk.ui.patient_loader import EmailLine

KIND_WORDS = {
    "invitation": "Invitation",
    "confirmation": "Registration confirmation",
    "reset": "Password reset",
}
STATUS_WORDS = {"queued": "Waiting to send", "sent": "Sent", "failed": "Not delivered"}
STATUS_TINT = {"queued": TEXT_MUTED, "sent": "#1E6B3A", "failed": STATUS_COLORS["red"]}


class EmailsCard(Card):
    """A short table of the patient's newest portal emails (never their links)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("emailsCard", "Portal emails", parent)
        self.setAccessibleName("Portal emails")
        self.table = QTreeWidget(self)
        self.table.setObjectName("portalEmails")
        self.table.setAccessibleName("Newest portal emails")
        self.table.setHeaderLabels(["Email", "Sent to", "Delivery", "Queued"])
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_label = QLabel("No portal emails have been sent to this patient.", self)
        self.empty_label.setObjectName("noPortalEmails")
        self.empty_label.setProperty("role", "muted")
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_label)

    def show_emails(self, emails: tuple[EmailLine, ...]) -> None:
        """List ``emails`` (newest first)."""
        self.table.clear()
        for email in emails:
            delivery = STATUS_WORDS.get(email.status, email.status.title())
            detail = delivery
            if email.status == "failed" and email.failure_reason:
                detail += f": {email.failure_reason}"
            item = QTreeWidgetItem(
                [KIND_WORDS.get(email.kind, email.kind.title()), email.to, delivery, when(email.queued_at)]
            )
            item.setForeground(2, QColor(STATUS_TINT.get(email.status, TEXT_MUTED)))
            for column in range(4):
                item.setToolTip(column, detail)
            self.table.addTopLevelItem(item)
        rows = len(emails)
        self.table.setVisible(rows > 0)
        self.empty_label.setVisible(rows == 0)
        if rows:
            row_height = self.table.sizeHintForRow(0) if self.table.topLevelItemCount() else 24
            header_height = self.table.header().sizeHint().height()
            self.table.setFixedHeight(header_height + rows * row_height + 2 * self.table.frameWidth() + 2)
