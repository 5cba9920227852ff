"""The patient's newest portal emails in words: what went out, when, to where, and what became of it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from clinic_desk.domain.email_idn import readable_email
from clinic_desk.domain.links import LinkState, end_reason_words, link_state_words
from clinic_desk.domain.mail_words import failure_words
from clinic_desk.domain.wording import when
from clinic_desk.ui.wizard.text import wrapped_label

KIND_WORDS = {
    "invitation": "Invitation",
    "confirmation": "Registration confirmation",
    "reset": "Password reset",
}


def email_line(row: Any) -> str:
    """'Invitation to ana@example.com: sent Mar 2, 2026 at 3:00 PM; link expired unused on ...'."""
    kind = KIND_WORDS.get(row.kind, row.kind.title())
    if row.status == "failed":
        # Plain words here; the server's own reply is on the dash's email card.
        state = f"NOT DELIVERED on {when(row.failed_at)}: {failure_words(row.failure_reason)}"
    elif row.status == "sent":
        state = f"sent {when(row.sent_at or row.queued_at)}"
    elif row.status == "cancelled":
        why = end_reason_words(row.cancel_reason)
        state = f"cancelled {when(row.cancelled_at or row.queued_at)}, never sent: {why}"
    else:
        state = f"waiting to be sent since {when(row.queued_at)}"
        if row.failure_reason:
            state += f" (last try: {failure_words(row.failure_reason)})"
    parts = [f"{kind} to {readable_email(row.to)}: {state}"]
    if row.status == "queued" and row.link_state == LinkState.ACTIVE:
        parts.append("its link starts to work once it has gone out")
    elif row.link_state is not None:
        words = link_state_words(
            row.link_state,
            used_at=row.link_used_at,
            revoked_at=row.link_revoked_at,
            expires_at=row.link_expires_at,
            revoke_reason=row.link_revoke_reason,
        )
        # An expired link is the usual answer to "the link does not work": make it stand out.
        parts.append("link " + words.replace("expired", "EXPIRED", 1))
    return "; ".join(parts) + "."


class EmailHistoryView(QWidget):
    """A short list of the emails sent to the patient (never their body or link)."""

    def __init__(self, rows: Sequence[Any], more: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wizardEmailHistory")
        self.setAccessibleName("Emails sent to the patient")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        title = QLabel("Emails sent (newest first)", self)
        title.setProperty("role", "sectionTitle")
        layout.addWidget(title)
        self.lines: list[QLabel] = []
        if not rows:
            layout.addWidget(wrapped_label("No portal email has ever been sent.", self, role="muted"))
        for row in rows:
            line = wrapped_label("• " + email_line(row), self, selectable=True)
            line.setProperty("emailStatus", row.status)
            line.setProperty("linkExpired", row.link_state == LinkState.EXPIRED)
            line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(line)
            self.lines.append(line)
        if more:
            layout.addWidget(wrapped_label("…and older emails, not listed here.", self, role="muted"))
        self.setAccessibleDescription(self.text())

    def text(self) -> str:
        """Every line, for screen readers and tests."""
        return "\n".join(line.text() for line in self.lines) or "No portal email has ever been sent."
