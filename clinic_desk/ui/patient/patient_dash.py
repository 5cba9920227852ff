"""The patient dash: the central widget showing the open patient."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.ui.connection.banner import ErrorBanner
from clinic_desk.ui.connection.outage import OutageBanner
from clinic_desk.ui.icons import secure_message_pixmap
from clinic_desk.ui.patient.contact_card import ContactCard
from clinic_desk.ui.patient.emails_card import EmailsCard
from clinic_desk.ui.patient.history_card import HistoryCard
from clinic_desk.ui.patient.patient_session import PatientSession
from clinic_desk.ui.patient.photo_block import PhotoBlock
from clinic_desk.ui.patient_loader import PatientView

EMPTY_TITLE = "No patient open"
EMPTY_HINT = "Press Ctrl+F to find a patient by name, MRN, date of birth, email or phone."
LOADING_TITLE = "Loading patient…"
# A load quicker than this shows no busy bar: it would only flicker, and showing it costs
# the next patient's first paint a relayout.
BUSY_DELAY_MS = 150


class _EmptyPage(QWidget):
    """What the dash shows before a patient has loaded."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "dashEmptyPage") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.picture = QLabel(self)
        self.picture.setObjectName("dashEmptyPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(EMPTY_TITLE, self)
        self.title.setObjectName("dashEmptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(EMPTY_HINT, self)
        self.hint.setObjectName("dashEmptyHint")
        self.hint.setProperty("role", "muted")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        for widget in (self.picture, self.title, self.hint):
            layout.addWidget(widget)
        layout.addStretch(3)

    def show_state(self, title: str, hint: str) -> None:
        """Change the words (e.g. "Loading patient…")."""
        self.picture.setPixmap(secure_message_pixmap("", 64, self.devicePixelRatioF()))
        self.title.setText(title)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))


class PatientDash(QWidget):
    """Photo block and contact details on top, portal emails and the History card below.

    A busy bar and an error banner sit above the cards.

    Signals:
        troubleshoot_requested(int): the secure-message icon was activated.
        edit_contact_requested(int): staff asked to edit the open patient's contact details.
    """

    troubleshoot_requested = Signal(int)
    edit_contact_requested = Signal(int)

    def __init__(self, session: PatientSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientDash")
        self.setAccessibleName("Patient dash")
        self._session = session

        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("busyIndicator")
        self.busy_bar.setAccessibleName("Loading")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedHeight(3)
        policy = self.busy_bar.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.busy_bar.setSizePolicy(policy)
        self.busy_bar.hide()
        self._busy_soon = QTimer(self)
        self._busy_soon.setSingleShot(True)
        self._busy_soon.setInterval(BUSY_DELAY_MS)
        self._busy_soon.timeout.connect(self.busy_bar.show)

        self.banner = ErrorBanner(self)
        self.banner.retry_requested.connect(self._on_banner_retry_requested)

        self.photo_block = PhotoBlock(session.model, self)
        self.photo_block.troubleshoot_requested.connect(self.troubleshoot_requested)
        self.contact_card = ContactCard(self)
        self.contact_card.edit_requested.connect(self._on_contact_card_edit_requested)
        self.outage_banner = OutageBanner(session.outage, self)
        self.emails_card = EmailsCard(self)
        # Reads the audit log itself, on a worker, each time the patient (re)loads.
        self.history_card = HistoryCard(session.clinic, self)

        content = QWidget(self)
        content.setObjectName("dashContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        self._grid = QGridLayout()
        column.addLayout(self._grid)
        column.addStretch(1)  # the spare height goes below the cards, never into one of them
        self._grid.setContentsMargins(24, 20, 24, 24)
        self._grid.setHorizontalSpacing(18)
        self._grid.setVerticalSpacing(18)
        self._grid.setColumnStretch(0, 1)
        self._grid.setColumnStretch(1, 1)
        self._stacked: bool | None = None
        self._arrange(stacked=False)
        scroll = QScrollArea(self)
        scroll.setObjectName("dashScroll")
        scroll.setAccessibleName("Patient dash")
        # Not a tab stop of its own (it showed no focus and had no name): Tab goes from card to
        # card, and the scroll area brings each focused control into view.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.dash_scroll = scroll
        # A narrow window (1024 wide with the troubleshooting panel open) stacks the contact
        # card under the photo block rather than scroll sideways.
        scroll.viewport().installEventFilter(self)

        self.empty_page = _EmptyPage(self)
        self.empty_page.show_state(EMPTY_TITLE, EMPTY_HINT)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("dashPages")
        self.pages.addWidget(self.empty_page)
        self.pages.addWidget(scroll)
        self.pages.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Over the last patient's cards while the next one loads: hiding the cards page and
        # showing it again lays out and polishes every card twice (most of an open's time).
        self.loading_cover = _EmptyPage(self.pages, name="dashLoadingCover")
        # Opaque with or without the app's style sheet: never a glimpse of the last patient.
        self.loading_cover.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.loading_cover.setAutoFillBackground(True)
        self.loading_cover.show_state(LOADING_TITLE, "")
        self.loading_cover.hide()
        self.pages.installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.busy_bar)
        banner_box = QVBoxLayout()
        banner_box.setContentsMargins(24, 12, 24, 0)
        banner_box.addWidget(self.outage_banner)
        banner_box.addWidget(self.banner)
        layout.addLayout(banner_box)
        layout.addWidget(self.pages, 1)

        session.loading_changed.connect(self._on_session_loading_changed)
        # The dash shows a view as it arrives, before the wizard builds its plan.
        session.patient_arrived.connect(self._on_session_patient_arrived)
        session.load_failed.connect(self._on_session_load_failed)
        session.model.status_changed.connect(self._on_model_status_changed)

    @property
    def stacked(self) -> bool:
        """True when the contact card sits under the photo block (a narrow dash)."""
        return bool(self._stacked)

    def _side_by_side_width(self) -> int:
        """The width the photo block and the contact card need side by side, margins included."""
        margins = self._grid.contentsMargins()
        cards = sum(
            card.sizeHint().expandedTo(card.minimumSizeHint()).width()
            for card in (self.photo_block, self.contact_card)
        )
        return margins.left() + margins.right() + self._grid.horizontalSpacing() + cards

    def _arrange(self, *, stacked: bool) -> None:
        """Photo block and contact card side by side, or one above the other."""
        if stacked == self._stacked:
            return
        self._stacked = stacked
        grid = self._grid
        cards = (self.photo_block, self.contact_card, self.emails_card, self.history_card)
        for card in cards:
            grid.removeWidget(card)
        if stacked:
            grid.addWidget(self.photo_block, 0, 0, 1, 2)
            grid.addWidget(self.contact_card, 1, 0, 1, 2)
        else:
            grid.addWidget(self.photo_block, 0, 0)
            grid.addWidget(self.contact_card, 0, 1)
        first_wide_row = 2 if stacked else 1
        grid.addWidget(self.emails_card, first_wide_row, 0, 1, 2)
        grid.addWidget(self.history_card, first_wide_row + 1, 0, 1, 2)
        # The empty row under the cards takes the spare height.
        for row in range(5):
            grid.setRowStretch(row, 1 if row == first_wide_row + 2 else 0)
        # Tab order (creation order) reads the same either way: the photo block, then the card.

    def _fit_to_width(self) -> None:
        self._arrange(stacked=self.dash_scroll.viewport().width() < self._side_by_side_width())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            if watched is self.dash_scroll.viewport():
                self._fit_to_width()
            elif watched is self.pages:
                self.loading_cover.setGeometry(self.pages.rect())
        return super().eventFilter(watched, event)

    @property
    def showing_patient(self) -> bool:
        """True when the cards (not the empty page, nor the cover while loading) are shown."""
        return self.pages.currentIndex() == 1 and self.loading_cover.isHidden()

    def show_empty(self, title: str, hint: str) -> None:
        """No patient's cards: the empty page with these words."""
        self.loading_cover.hide()
        self.empty_page.show_state(title, hint)
        self.pages.setCurrentIndex(0)

    def _cover_cards(self) -> None:
        """Hide the last patient's cards behind "Loading patient…" (they stay laid out)."""
        focused = QApplication.focusWidget()
        self.loading_cover.setGeometry(self.pages.rect())
        self.loading_cover.raise_()
        self.loading_cover.show()
        if focused is not None and self.dash_scroll.isAncestorOf(focused):
            self.loading_cover.setFocus()  # keys never reach the last patient's buttons

    def _on_model_status_changed(self) -> None:
        if (
            self._session.view is None
            and self._session.patient_id is not None
            and not self._session.model.error
        ):
            if self.showing_patient:
                self._cover_cards()
            elif self.loading_cover.isHidden():
                self.show_empty(LOADING_TITLE, "")

    def _on_session_loading_changed(self, loading: bool) -> None:
        if loading:
            self._busy_soon.start()
            return
        self._busy_soon.stop()
        self.busy_bar.hide()

    def _on_session_patient_arrived(self, view: PatientView) -> None:
        self.banner.hide()
        chart = view.chart
        self.photo_block.show_chart(chart, view.photo, chart.age_on(view.today))
        self.contact_card.show_chart(chart)
        lower_cards = (self.emails_card, self.history_card)
        if not self.showing_patient:  # a new patient: the last one's emails and history never show
            for card in lower_cards:
                card.hide()
        self.pages.setCurrentIndex(1)
        self.loading_cover.hide()
        # Paint the icon and its row now; the lower cards fill in the next turn of the event loop.
        self.photo_block.portal.icon.repaint()
        QTimer.singleShot(0, self, lambda: self._fill_lower_cards(view))

    def _fill_lower_cards(self, view: PatientView) -> None:
        if view is not self._session.view:
            return  # a newer view arrived (it fills them) or the patient was closed
        # A longer name or address may need the cards one above the other: measured after the
        # icon's paint (a millisecond of text metrics); until then a long name is elided.
        self._fit_to_width()
        self.emails_card.show_emails(view.emails, view.patient_id, more=view.wizard.more_emails)
        self.history_card.load(view.patient_id)
        self.emails_card.show()
        self.history_card.show()

    def _on_session_load_failed(self, message: str) -> None:
        self.banner.show_message(message)
        if self._session.view is None:
            self.show_empty("The patient could not be loaded", "")

    def _on_contact_card_edit_requested(self) -> None:
        if self._session.patient_id is not None:
            self.edit_contact_requested.emit(self._session.patient_id)

    def _on_banner_retry_requested(self) -> None:
        self.banner.hide()
        self._session.reload()
