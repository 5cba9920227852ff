"""Bulk invitations from the roster: dry run → preview → confirm → progress with Cancel → summary.

Every step that reads or writes runs on a worker: the dry run (and the names of those it skips),
then ``send_invitations`` itself, whose progress calls reach the dialog by a queued signal.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QWidget

from clinic_desk.domain.roster import InvitationReport, RosterFilter, RosterRow
from clinic_desk.ui.errors import error_words
from clinic_desk.ui.roster.bulk_preview import CHECK_STEP, LISTED_SKIPS, BulkInvitePreview, Preview
from clinic_desk.ui.roster.bulk_progress import BulkInviteProgress, ProgressRelay
from clinic_desk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from clinic_desk import Clinic

log = logging.getLogger(__name__)


def dry_run(
    clinic: Clinic,
    *,
    actor: str,
    selected: list[int] | None,
    wanted: RosterFilter,
    known: dict[int, RosterRow],
    progress: ProgressRelay | None = None,
) -> Preview:
    """What sending would do (blocking: worker threads only).

    ``selected`` None means every chart ``wanted`` matches. The skipped patients' names
    come from the rows on show, else from their charts (the first LISTED_SKIPS only).
    ``progress`` hears how far the check is, and stops it (a closed preview, another choice).
    """
    pids = list(selected) if selected is not None else clinic.roster_ids(wanted)
    report = clinic.staff.send_invitations(pids, actor=actor, dry_run=True, progress=progress)
    names: dict[int, tuple[str, str]] = {}
    for patient_id, _why in report.skipped[:LISTED_SKIPS]:
        row = known.get(patient_id)
        if row is not None:
            names[patient_id] = (f"{row.last_name}, {row.first_name}", row.mrn)
            continue
        try:
            chart = clinic.staff.chart(patient_id)
        except Exception:  # an unknown chart id is one of the skips: it has no name
            continue
        names[patient_id] = (f"{chart.last_name}, {chart.first_name}", chart.mrn)
    return Preview(pids, report, names)


class BulkInviteFlow(QObject):
    """One bulk invitation from the roster, from the preview to the summary.

    Signals:
        preview_shown(object): a dry run's :class:`Preview` is on show.
        checking(object): a dry run starts; its ``ProgressRelay`` (Cancel stops it).
        sending(object): the :class:`BulkInviteProgress` is up; the batch starts right after.
        batch_finished(object): the batch ended (its ``InvitationReport``; cancelled or not).
    """

    preview_shown = Signal(object)
    checking = Signal(object)
    sending = Signal(object)
    batch_finished = Signal(object)

    def __init__(
        self,
        clinic: Clinic,
        parent: QWidget,
        *,
        actor: Callable[[], str],
        selected: list[int],
        wanted: RosterFilter,
        known: dict[int, RosterRow],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkInviteFlow")
        self._clinic = clinic
        self._actor = actor
        self._selected = selected
        self._wanted = wanted
        self._known = known
        self._generation = 0
        self.preview = BulkInvitePreview(len(selected), parent)
        self.preview.scope_changed.connect(self._on_preview_scope_changed)
        self.preview.accepted.connect(self._on_preview_accepted)
        self.preview.rejected.connect(self._on_preview_rejected)
        self.progress: BulkInviteProgress | None = None
        self._checking: ProgressRelay | None = None  # the dry run under way

    def start(self) -> None:
        """Show the preview and run the first dry run."""
        self.preview.open()
        self._check()

    def _check(self) -> None:
        self._stop_checking()
        self._generation += 1
        generation = self._generation
        clinic, actor, wanted, known = self._clinic, self._actor(), self._wanted, self._known
        selected = None if self.preview.all_matching else list(self._selected)
        self.preview.show_checking()
        # A long check (all that match, at a big clinic) says how far it is, and stops when not wanted.
        relay = self._checking = ProgressRelay(every=CHECK_STEP)
        relay.advanced.connect(self.preview.show_checked, Qt.ConnectionType.QueuedConnection)
        self.checking.emit(relay)
        run_in_background(
            lambda: dry_run(
                clinic, actor=actor, selected=selected, wanted=wanted, known=known, progress=relay
            ),
            lambda found: self._on_check_done(generation, found),
            lambda exc: self._on_check_error(generation, exc),
            owner=self,  # closing the preview deletes the flow: its answer is dropped
            name="bulk_invite_dry_run",
        )

    def _stop_checking(self) -> None:
        if self._checking is not None:
            self._checking.cancelled.set()
            self._checking = None

    def _on_preview_rejected(self) -> None:
        self._stop_checking()
        self.preview.deleteLater()
        self.deleteLater()

    def _on_check_done(self, generation: int, found: Preview) -> None:
        if generation == self._generation and not found.report.cancelled:
            self.preview.show_preview(found)
            self.preview_shown.emit(found)

    def _on_check_error(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            log.warning("The bulk invitation dry run failed (%s)", type(exc).__name__)
            self.preview.show_problem(error_words(exc))

    def _on_preview_scope_changed(self, _all_matching: bool) -> None:
        self._check()

    def _on_preview_accepted(self) -> None:
        found = self.preview.preview
        if found is None:
            return
        # Only those the dry run would invite: the service checks each again in its own transaction.
        pids = list(found.report.queued)
        parent = self.preview.parentWidget()
        progress = self.progress = BulkInviteProgress(len(pids), parent)
        progress.finished.connect(self._on_progress_finished)
        progress.open()
        self.sending.emit(progress)
        staff, actor, relay = self._clinic.staff, self._actor(), progress.relay
        request_id = str(uuid.uuid4())  # one intention: a retry of this call does nothing twice
        run_in_background(
            lambda: staff.send_invitations(pids, actor=actor, progress=relay, request_id=request_id),
            self._on_send_done,
            self._on_send_error,
            owner=progress,
            name="send_invitations",
        )

    def _on_send_done(self, report: InvitationReport) -> None:
        if self.progress is not None:
            self.progress.show_done(report)
        self.batch_finished.emit(report)

    def _on_send_error(self, exc: Exception) -> None:
        log.warning("The bulk invitation failed (%s)", type(exc).__name__)
        if self.progress is not None:
            self.progress.show_problem(error_words(exc))
        self.batch_finished.emit(InvitationReport(cancelled=True))

    def _on_progress_finished(self, _result: int) -> None:
        if self.progress is not None:
            self.progress.deleteLater()
        self.preview.deleteLater()
        self.deleteLater()


def preview_dialog(parent: QWidget) -> QDialog | None:
    """The bulk preview open over ``parent``, if any (tests, screenshots)."""
    return parent.findChild(QDialog, "bulkInvitePreview")
