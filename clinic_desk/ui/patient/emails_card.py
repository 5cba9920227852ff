"""The newest portal emails to the patient: what went out, to where, whether it arrived, and the link's fate.

Each row says the kind of email, the address, whether it was sent, is waiting
(with its tries and next try) or was not delivered (with the server's reason), and
what became of its link (used, expired, replaced, or until when it works). Never
the link itself or the body. Long reasons are cut short in the row; the tooltip
says everything.

The dash hands the card the emails of every (re)loaded :class:`PatientView`: the
session reads them with the patient, in the same transaction, so the card never
reads anything itself.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from clinic_desk.domain.email_idn import readable_email
from clinic_desk.domain.links import end_reason_words
from clinic_desk.domain.wording import plural, when
from clinic_desk.ui.card import Card
from clinic_desk.ui.colors import STATUS_COLORS, TEXT_MUTED
from clinic_desk.ui.painted_words import follow_tints, tint

KIND_WORDS = {
    "invitation": "Invitation",
    "confirmation": "Registration confirmation",
    "reset": "Password reset",
}
STATUS_WORDS = {
    "queued": "Waiting to send",
    "sent": "Sent",
    "failed": "Not delivered",
    "cancelled": "Cancelled",
}
STATUS_TINT = {
    "queued": "#8A5A00",
    "sent": "#1E6B3A",
    "failed": STATUS_COLORS["red"],
    "cancelled": TEXT_MUTED,
}
LINK_TINT = {"used": "#1E6B3A", "active": TEXT_MUTED, "expired": "#8A5A00", "revoked": TEXT_MUTED}
HEADERS = ("Email", "Sent to", "Delivery", "Details", "Link")
KIND, TO, DELIVERY, DETAILS, LINK = range(5)
# Share of the width left by the fitted columns: address, then details.
TO_SHARE = 0.42
# Room a cell's text loses to the view's own margins and the row padding (style.py).
CELL_PADDING = 14
TOOLTIP_WIDTH = 90  # characters per tooltip line


def short_time(moment: datetime | None, now: datetime | None = None) -> str:
    """'Mar 2, 3:05 PM' (the year only when it is not this year); '' for None."""
    if moment is None:
        return ""
    local = moment.astimezone() if moment.tzinfo else moment
    this_year = (now or datetime.now().astimezone()).year
    hour = local.hour % 12 or 12
    suffix = "AM" if local.hour < 12 else "PM"
    year = f" {local.year}" if local.year != this_year else ""
    return f"{local:%b} {local.day}{year}, {hour}:{local.minute:02d} {suffix}"


def short_day(moment: datetime | None) -> str:
    """'Mar 9' (the year only when it is not this year)."""
    if moment is None:
        return ""
    local = moment.astimezone() if moment.tzinfo else moment
    this_year = datetime.now().astimezone().year
    return f"{local:%b} {local.day}" + (f", {local.year}" if local.year != this_year else "")


def _get(email: Any, name: str) -> Any:
    return getattr(email, name, None)


def delivery_details(email: Any) -> str:
    """The 'Details' cell: when it went, or why not, or when it is tried next."""
    status = str(_get(email, "status") or "")
    reason = _get(email, "failure_reason") or ""
    attempts = int(_get(email, "attempts") or 0)
    if status == "sent":
        return short_time(_get(email, "sent_at")) or "Delivered to the mail server"
    if status == "failed":
        moment = short_time(_get(email, "failed_at"))
        return " — ".join(part for part in (moment, reason) if part) or "The mail server refused it"
    if status == "cancelled":
        why = end_reason_words(_get(email, "cancel_reason"))
        return " — ".join(
            part for part in (short_time(_get(email, "cancelled_at")), f"not sent: {why}") if part
        )
    next_try = _get(email, "next_attempt_at")
    if attempts:
        words = f"{plural(attempts, 'try', 'tries')} failed"
        if next_try is not None:
            words += f"; next {short_time(next_try)}"
        return f"{words} — {reason}" if reason else words
    queued = short_time(_get(email, "queued_at"))
    return f"Queued {queued}" if queued else "Queued"


def link_words(email: Any) -> tuple[str, str]:
    """The 'Link' cell and its longer words for the tooltip ('—' when the email has no link)."""
    state = _get(email, "link_state")
    expires = _get(email, "link_expires_at")
    if state == "used":
        used = _get(email, "link_used_at")
        return f"Used {short_day(used)}".strip(), f"The patient used the link on {when(used)}."
    if state == "revoked":
        revoked = _get(email, "link_revoked_at")
        why = _get(email, "link_revoke_reason")
        because = end_reason_words(why) if why else "a newer email or a staff action replaced it"
        return (
            f"Cancelled {short_day(revoked)}".strip(),
            f"This link was cancelled on {when(revoked)} ({because}); it no longer works.",
        )
    if state == "expired":
        return f"Expired {short_day(expires)}".strip(), f"The link expired unused on {when(expires)}."
    if state == "active" and _get(email, "status") == "queued":
        return "Once sent", "The link starts to work when the email goes out."
    if state == "active":
        return f"Works until {short_day(expires)}", f"The link works until {when(expires)}."
    return "—", ""


def _wrapped(text: str) -> list[str]:
    """A long server reply as several tooltip lines (a tooltip does not wrap by itself)."""
    return textwrap.wrap(text, TOOLTIP_WIDTH, subsequent_indent="    ", break_on_hyphens=False) or [text]


def email_tooltip(email: Any) -> str:
    """Everything the card knows about one email, in plain lines (never the link or the body)."""
    kind = str(_get(email, "kind") or "")
    status = str(_get(email, "status") or "")
    lines = [f"{KIND_WORDS.get(kind, kind.title())} to {_get(email, 'to') or 'no address'}"]
    if _get(email, "queued_at") is not None:
        lines.append(f"Queued {when(_get(email, 'queued_at'))}.")
    attempts = int(_get(email, "attempts") or 0)
    reason = _get(email, "failure_reason")
    if status == "sent":
        lines.append(f"Sent {when(_get(email, 'sent_at'))}." if _get(email, "sent_at") else "Sent.")
    elif status == "failed":
        failed_at = _get(email, "failed_at")
        lines.append(f"Not delivered{f' ({when(failed_at)})' if failed_at else ''}.")
        if reason:
            lines.extend(_wrapped(f"Reason: {reason}"))
    elif status == "cancelled":
        cancelled_at = _get(email, "cancelled_at")
        lines.append(f"Cancelled{f' {when(cancelled_at)}' if cancelled_at else ''}: never sent, because ")
        lines[-1] += f"{end_reason_words(_get(email, 'cancel_reason'))}."
    else:
        if attempts:
            lines.append(f"Waiting to send: {plural(attempts, 'try', 'tries')} failed so far.")
            if reason:
                lines.extend(_wrapped(f"Last problem: {reason}"))
        else:
            lines.append("Waiting to send.")
        if _get(email, "next_attempt_at") is not None:
            lines.append(f"Next try {when(_get(email, 'next_attempt_at'))}.")
    link = link_words(email)[1]
    if link:
        lines.append(link)
    return "\n".join(lines)


def elide_address(address: str, metrics: QFontMetrics, width: int) -> str:
    """``address`` cut to ``width`` pixels keeping its domain: "maria.gonz…@gmial.com".

    The domain is where typos and bounces show, so the name before "@" gives way first;
    only when even "…@domain" does not fit is the address cut in the middle.
    """
    if metrics.horizontalAdvance(address) <= width:
        return address
    name, at, domain = address.rpartition("@")
    if at and name:
        tail = f"…@{domain}"
        room = width - metrics.horizontalAdvance(tail)
        if room > 0:
            kept = metrics.elidedText(
                name, Qt.TextElideMode.ElideRight, room + metrics.horizontalAdvance("…")
            )
            if kept == "…":
                return tail
            return kept[:-1] + tail if kept.endswith("…") else f"{kept}@{domain}"
        if metrics.horizontalAdvance(tail) <= width:
            return tail
    return metrics.elidedText(address, Qt.TextElideMode.ElideMiddle, width)


def address_room(address: str, metrics: QFontMetrics) -> int:
    """The width "…@domain" of ``address`` needs in a cell (its whole width when shorter)."""
    name, at, domain = address.rpartition("@")
    shortest = f"{name[:1]}…@{domain}" if at else address
    return min(metrics.horizontalAdvance(shortest), metrics.horizontalAdvance(address)) + CELL_PADDING


class _AddressDelegate(QStyledItemDelegate):
    """Cuts a long address before its "@", so its domain stays in sight."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if option.rect.width() > 0:  # painting a cell, not measuring the column's wish
            option.text = elide_address(option.text, option.fontMetrics, option.rect.width() - CELL_PADDING)


class _ElideRightDelegate(QStyledItemDelegate):
    """Cuts long text at its end ("550 5.1.1 mailbox unav…"); the table elides addresses in the middle."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight


class EmailsCard(Card):
    """A short table of the patient's newest portal emails (never their links or bodies).

    Signals:
        timeline_shown(int): the emails of this patient id are shown.
    """

    timeline_shown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("emailsCard", "Portal emails", parent)
        self.setAccessibleName("Portal emails")
        self.table = QTreeWidget(self)
        follow_tints(self.table)
        self.table.setObjectName("portalEmails")
        self.table.setAccessibleName("Newest portal emails")
        self.table.setAccessibleDescription(
            "Each email: kind, address, delivery, details (time, reason or next try) "
            "and what became of its link"
        )
        self.table.setHeaderLabels(list(HEADERS))
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self._details_delegate = _ElideRightDelegate(self.table)
        self.table.setItemDelegateForColumn(DETAILS, self._details_delegate)
        self._address_delegate = _AddressDelegate(self.table)
        self.table.setItemDelegateForColumn(TO, self._address_delegate)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(60)
        for column in (KIND, DELIVERY, LINK):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (TO, DETAILS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.table.viewport().installEventFilter(self)
        self.empty_label = QLabel("No portal emails have been sent to this patient.", self)
        self.empty_label.setObjectName("noPortalEmails")
        self.empty_label.setProperty("role", "muted")
        self.more_label = QLabel(self)
        self.more_label.setObjectName("olderPortalEmails")
        self.more_label.setProperty("role", "muted")
        self.more_label.hide()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_label)
        self.body.addWidget(self.more_label)

    # -- what the dash calls ---------------------------------------------------------------------
    def show_emails(
        self, emails: Sequence[Any], patient_id: int | None = None, *, more: bool = False
    ) -> None:
        """List ``emails`` (timeline entries, newest first; ``more``: older ones exist).

        ``timeline_shown`` names ``patient_id``.
        """
        self._render(emails, more)
        if patient_id is not None:
            self.timeline_shown.emit(patient_id)

    # -- drawing ---------------------------------------------------------------------------------
    def _render(self, emails: Sequence[Any], more: bool) -> None:
        self.table.clear()
        shown = list(emails)
        for email in shown:
            status = str(_get(email, "status") or "")
            kind = str(_get(email, "kind") or "")
            link_cell, _link_long = link_words(email)
            item = QTreeWidgetItem(
                [
                    KIND_WORDS.get(kind, kind.title()),
                    readable_email(str(_get(email, "to") or "")),
                    STATUS_WORDS.get(status, status.title()),
                    delivery_details(email),
                    link_cell,
                ]
            )
            # The same hue, readable on the dark theme's cards too (and again when the theme changes).
            tint(item, DELIVERY, STATUS_TINT.get(status, TEXT_MUTED))
            tint(item, DETAILS, TEXT_MUTED)
            tint(item, LINK, LINK_TINT.get(str(_get(email, "link_state")), TEXT_MUTED))
            tip = email_tooltip(email)
            for column in range(len(HEADERS)):
                item.setToolTip(column, tip)
            item.setData(KIND, Qt.ItemDataRole.AccessibleTextRole, tip.replace("\n", " "))
            self.table.addTopLevelItem(item)
        rows = len(shown)
        self.more_label.setText("…and older emails, not listed here")
        self.more_label.setVisible(more)
        self.table.setVisible(rows > 0)
        self.empty_label.setVisible(rows == 0)
        if rows:
            row_height = self.table.sizeHintForRow(0) if self.table.topLevelItemCount() else 24
            header_height = self.table.header().sizeHint().height()
            self.table.setFixedHeight(header_height + rows * row_height + 2 * self.table.frameWidth() + 2)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Short columns fit their text; the address and the details share the rest (no scrollbar)."""
        header = self.table.header()
        width = self.table.viewport().width()
        fitted = sum(header.sectionSize(column) for column in (KIND, DELIVERY, LINK))
        rest = max(width - fitted, 2 * header.minimumSectionSize())
        # The address gets what it needs, up to its share; the details take the rest.
        needed = self.table.sizeHintForColumn(TO) + CELL_PADDING if self.table.topLevelItemCount() else 0
        # ...and never less than its "…@domain", while the details keep their least.
        metrics = self.table.fontMetrics()
        addresses = (self.table.topLevelItem(row) for row in range(self.table.topLevelItemCount()))
        domains = max(
            (address_room(item.text(TO), metrics) for item in addresses if item is not None), default=0
        )
        share = max(int(rest * TO_SHARE), domains)
        to_width = max(min(needed, share, rest - header.minimumSectionSize()), header.minimumSectionSize())
        header.resizeSection(TO, to_width)
        header.resizeSection(DETAILS, max(rest - to_width, header.minimumSectionSize()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)
