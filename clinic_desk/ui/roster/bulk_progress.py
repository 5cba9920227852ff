"""The progress of a batch of invitations (``bulkInviteProgress``): a bar, Cancel, then the summary.

The batch runs on a worker; its ``progress(done, total)`` calls come here by a queued signal
and read the cancel flag, which Cancel sets (each patient is its own transaction, so the batch
stops between two patients and leaves nobody half-invited).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.roster import InvitationReport
from clinic_desk.domain.wording import plural


class ProgressRelay(QObject):
    """Carries ``progress(done, total)`` from the worker to the GUI thread; answers the cancel flag.

    It has no Qt parent and lives on the GUI thread; the worker only emits and reads the event.
    It tells every ``every``-th patient (and the last), so a million checks are not a million signals.
    """

    advanced = Signal(int, int)

    def __init__(self, every: int = 1) -> None:
        super().__init__()
        self.cancelled = threading.Event()
        self._every = max(1, every)

    def __call__(self, done: int, total: int) -> bool:  # runs on the worker
        if done % self._every == 0 or done == total:
            self.advanced.emit(done, total)
        return not self.cancelled.is_set()


def summary_words(report: InvitationReport, total: int) -> str:
    """What a finished (or cancelled) batch did, in a sentence or two."""
    words = f"{plural(len(report.queued), 'invitation')} queued for sending"
    if report.skipped:
        words += f"; {plural(len(report.skipped), 'patient')} skipped"
    words += "."
    if report.cancelled:
        left = total - len(report.queued) - len(report.skipped)
        words += f" Cancelled: {plural(max(left, 0), 'patient')} not handled."
    return words


class BulkInviteProgress(QDialog):
    """A progress bar with Cancel while the batch runs; the summary and Close when it ends."""

    def __init__(self, total: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkInviteProgress")
        self.setWindowTitle("Sending portal invitations")
        self.setAccessibleName("Sending portal invitations")
        self.setAccessibleDescription("How far the batch of invitations has got; Cancel stops it")
        self.relay = ProgressRelay()
        self.relay.advanced.connect(self._on_relay_advanced, Qt.ConnectionType.QueuedConnection)
        self.total = total
        self.finished_report: InvitationReport | None = None

        self.label = QLabel(f"Inviting {plural(total, 'patient')}…", self)
        self.label.setObjectName("bulkInviteProgressWords")
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("bulkInviteProgressBar")
        self.bar.setAccessibleName("Invitations done")
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(0)
        self.buttons = QDialogButtonBox(self)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("bulkInviteStop")
        self.cancel_button.setAccessibleName("Cancel the batch")
        self.cancel_button.setAccessibleDescription("Stop after the patient being invited now")
        self.cancel_button.clicked.connect(self.cancel)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button = QPushButton("Close", self)
        self.close_button.setObjectName("bulkInviteClose")
        self.close_button.setAccessibleName("Close")
        self.close_button.clicked.connect(self.accept)
        self.close_button.hide()
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.buttons)
        self.resize(440, 150)

    def cancel(self) -> None:
        """Stop after the patient being invited now."""
        if self.finished_report is None:
            self.relay.cancelled.set()
            self.cancel_button.setEnabled(False)
            self.label.setText("Stopping after the patient being invited now…")

    def reject(self) -> None:
        # Esc or the window's close button while it runs: cancel, and stay to show the summary.
        if self.finished_report is None:
            self.cancel()
            return
        super().reject()

    def show_done(self, report: InvitationReport) -> None:
        """The batch ended: say what it did."""
        self.finished_report = report
        done = len(report.queued) + len(report.skipped)
        self.bar.setValue(min(done, self.bar.maximum()) if report.cancelled else self.bar.maximum())
        self.label.setText(summary_words(report, self.total))
        self._finish()

    def show_problem(self, words: str) -> None:
        """The batch stopped on a fault; what was invited before it stays invited."""
        self.finished_report = InvitationReport(cancelled=True)
        self.label.setText(f"The batch stopped: {words}")
        self._finish()

    def _finish(self) -> None:
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def _on_relay_advanced(self, done: int, total: int) -> None:
        if self.finished_report is None:
            self.bar.setMaximum(max(total, 1))
            self.bar.setValue(done)
            if not self.relay.cancelled.is_set():
                self.label.setText(f"Invited or checked {done:,} of {total:,} patients…")
