"""The bulk-invitation preview (``bulkInvitePreview``): who will get an invitation, who is skipped and why.

It shows the answer of a dry run (read on a worker by :mod:`clinic_desk.ui.roster.bulk_invite`)
and asks to confirm. Staff choose between the selected rows and every patient the filter matches;
changing the choice asks for a new dry run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.roster import InvitationReport
from clinic_desk.domain.wording import plural

#: At most this many skipped patients are listed by name; the rest are counted by reason.
LISTED_SKIPS = 500
#: A long dry run says how far it is every this many patients.
CHECK_STEP = 500


@dataclass
class Preview:
    """A dry run's answer, with the names and MRNs of the skipped patients it lists."""

    patient_ids: list[int]
    report: InvitationReport
    names: dict[int, tuple[str, str]] = field(default_factory=dict)  # pid -> (name, MRN)


class BulkInvitePreview(QDialog):
    """Says what a batch of invitations would do, and asks to send it.

    Signals:
        scope_changed(bool): staff chose the selected rows (False) or all that match (True).
    """

    scope_changed = Signal(bool)

    def __init__(self, selected: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkInvitePreview")
        self.setWindowTitle("Send portal invitations")
        self.setAccessibleName("Send portal invitations")
        self.setAccessibleDescription("Who will get an invitation, and who will be skipped and why")
        self.preview: Preview | None = None

        self.selected_choice = QRadioButton(f"The {plural(selected, 'selected patient')}", self)
        self.selected_choice.setObjectName("bulkInviteSelected")
        self.selected_choice.setAccessibleName("Invite the selected patients")
        self.selected_choice.setEnabled(selected > 0)
        self.all_choice = QRadioButton("All patients that match the roster's filter", self)
        self.all_choice.setObjectName("bulkInviteAllMatching")
        self.all_choice.setAccessibleName("Invite all patients that match this filter")
        (self.selected_choice if selected > 0 else self.all_choice).setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.selected_choice)
        group.addButton(self.all_choice)
        group.buttonToggled.connect(self._on_group_button_toggled)

        self.summary = QLabel("Checking who can be invited…", self)
        self.summary.setObjectName("bulkInviteSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What will happen")
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)

        self.skipped = QTableWidget(0, 3, self)
        self.skipped.setObjectName("bulkInviteSkipped")
        self.skipped.setAccessibleName("Patients who will be skipped")
        self.skipped.setAccessibleDescription("Name, MRN and why each is skipped")
        self.skipped.setHorizontalHeaderLabels(["Name", "MRN", "Why skipped"])
        self.skipped.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.skipped.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.skipped.setTabKeyNavigation(False)
        self.skipped.verticalHeader().hide()
        self.skipped.setWordWrap(True)  # the reasons are whole sentences
        header = self.skipped.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.skipped.setColumnWidth(0, 190)
        self.skipped.setColumnWidth(1, 100)
        header.setStretchLastSection(True)

        self.buttons = QDialogButtonBox(self)
        self.send_button = QPushButton("Send invitations", self)
        self.send_button.setObjectName("bulkInviteSend")
        self.send_button.setAccessibleName("Send the invitations")
        self.send_button.setEnabled(False)
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("bulkInviteCancel")
        cancel.setAccessibleName("Do not send")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Invite:", self))
        layout.addWidget(self.selected_choice)
        layout.addWidget(self.all_choice)
        layout.addWidget(self.summary)
        layout.addWidget(self.skipped, 1)
        layout.addWidget(self.buttons)
        self.resize(780, 520)

    @property
    def all_matching(self) -> bool:
        """True when staff chose every patient the filter matches."""
        return self.all_choice.isChecked()

    def show_checking(self) -> None:
        """A new dry run is on its way."""
        self.preview = None
        self.summary.setText("Checking who can be invited…")
        self.skipped.setRowCount(0)
        self.send_button.setEnabled(False)

    def show_checked(self, done: int, total: int) -> None:
        """How far the dry run is (a long one: all that match at a big clinic)."""
        if self.preview is None and done < total:
            self.summary.setText(f"Checking who can be invited… {done:,} of {total:,}")

    def show_problem(self, words: str) -> None:
        """The dry run failed."""
        self.summary.setText(words)
        self.send_button.setEnabled(False)

    def show_preview(self, preview: Preview) -> None:
        """Show what sending would do."""
        self.preview = preview
        report = preview.report
        invited, skipped = len(report.queued), len(report.skipped)
        words = f"{plural(invited, 'patient')} will get an invitation."
        if skipped:
            words += f" {plural(skipped, 'patient')} will be skipped:"
            reasons = Counter(message for _pid, message in report.skipped)
            if skipped > LISTED_SKIPS:
                words += " " + "; ".join(f"{n:,} — {why}" for why, n in reasons.most_common())
        self.summary.setText(words)
        listed = report.skipped[:LISTED_SKIPS]
        self.skipped.setRowCount(len(listed))
        for row, (patient_id, why) in enumerate(listed):
            name, mrn = preview.names.get(patient_id, (f"Chart {patient_id}", ""))
            for column, text in enumerate((name, mrn, why)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.skipped.setItem(row, column, item)
        self.skipped.resizeRowsToContents()
        self.skipped.setVisible(bool(listed))
        self.send_button.setText(f"Send {plural(invited, 'invitation')}")
        self.send_button.setEnabled(invited > 0)
        self.send_button.setDefault(invited > 0)

    def _on_group_button_toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self.scope_changed.emit(self.all_matching)
