"""The portal roster laid out on paper: the clinic's name and the date on every page, page numbers.

Painted with QPainter on a QPrinter (paper or a PDF file), from rows already read: nothing
here touches the database or a widget, so a worker thread may do it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter

from clinic_desk.domain.roster import RosterRow
from clinic_desk.domain.roster_sheet import SHEET_COLUMNS, sheet_cells

#: Each column's share of the page's width, in SHEET_COLUMNS order.
_WIDTHS: Final = (0.21, 0.08, 0.09, 0.10, 0.09, 0.19, 0.12, 0.12)
_BODY_POINTS: Final = 8.5


class PrinterRefused(Exception):
    """The printer (or the PDF file) could not be opened for painting."""


@dataclass(frozen=True)
class PaperHeading:
    """What every page's head says."""

    clinic_name: str
    today: date
    title: str  # "Portal roster: red, No email on file"
    note: str = ""  # e.g. that the list goes on past the printout


def _fonts(printer: QPrinter) -> tuple[QFont, QFont, QFont]:
    body = QFont()
    body.setPointSizeF(_BODY_POINTS)
    bold = QFont(body)
    bold.setBold(True)
    big = QFont(bold)
    big.setPointSizeF(_BODY_POINTS * 1.5)
    return body, bold, big


def paint_roster(
    printer: QPrinter, read: Callable[[], tuple[tuple[RosterRow, ...], PaperHeading]]
) -> tuple[int, int]:
    """Open ``printer``, then ``read()`` the rows and heading, and paint them; returns (pages, rows).

    The printer is opened first, so a printer that refuses costs no read (and no access event);
    a read that fails leaves no PDF file behind.

    Raises:
        PrinterRefused: the printer or the PDF file could not be opened.
    """
    painter = QPainter()
    if not painter.begin(printer):
        raise PrinterRefused("The printer could not be opened (or the PDF file could not be written).")
    try:
        rows, heading = read()
        return _paint(printer, painter, rows, heading), len(rows)
    except BaseException:
        printer.abort()  # a real printer gets no blank job
        if painter.isActive():
            painter.end()
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
            Path(printer.outputFileName()).unlink(missing_ok=True)  # no half (or empty) PDF left behind
        raise
    finally:
        if painter.isActive():
            painter.end()


def _paint(printer: QPrinter, painter: QPainter, rows: tuple[RosterRow, ...], heading: PaperHeading) -> int:
    body, bold, big = _fonts(printer)
    page = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
    page.moveTo(0, 0)  # the painter's origin is the printable area's corner
    line = QFontMetricsF(body, printer).height() * 1.35
    head_height = QFontMetricsF(big, printer).height() + 3 * line
    foot_height = line * 1.5
    per_page = max(1, int((page.height() - head_height - foot_height) // line))
    pages = max(1, math.ceil(len(rows) / per_page))
    for number in range(1, pages + 1):
        if number > 1:
            printer.newPage()
        top = _paint_head(painter, page, heading, (body, bold, big), line)
        chunk = rows[(number - 1) * per_page : number * per_page]
        _paint_rows(painter, QRectF(page.left(), top, page.width(), per_page * line), chunk, body, line)
        if not rows:
            painter.setFont(body)
            painter.drawText(QRectF(page.left(), top, page.width(), line), "No chart matches this list.")
        painter.setFont(body)
        painter.setPen(QColor("#444444"))
        foot = QRectF(page.left(), page.bottom() - line, page.width(), line)
        painter.drawText(foot, Qt.AlignmentFlag.AlignRight, f"Page {number} of {pages}")
        painter.drawText(
            foot, Qt.AlignmentFlag.AlignLeft, f"{heading.clinic_name} · {heading.today.isoformat()}"
        )
    return pages


def _columns(left: float, width: float) -> list[tuple[float, float]]:
    spans, x = [], left
    for share in _WIDTHS:
        spans.append((x, width * share))
        x += width * share
    return spans


def _paint_head(
    painter: QPainter, page: QRectF, heading: PaperHeading, fonts: tuple[QFont, QFont, QFont], line: float
) -> float:
    body, bold, big = fonts
    painter.setPen(QColor("#000000"))
    painter.setFont(big)
    big_height = QFontMetricsF(big, painter.device()).height()
    first = QRectF(page.left(), page.top(), page.width(), big_height)
    painter.drawText(first, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, heading.clinic_name)
    painter.setFont(body)
    painter.drawText(
        first, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, heading.today.isoformat()
    )
    title = heading.title + (f" — {heading.note}" if heading.note else "")
    painter.drawText(
        QRectF(page.left(), first.bottom(), page.width(), line), Qt.AlignmentFlag.AlignVCenter, title
    )
    top = first.bottom() + line * 1.6
    painter.setFont(bold)
    metrics = QFontMetricsF(bold, painter.device())
    for (x, width), words in zip(_columns(page.left(), page.width()), SHEET_COLUMNS, strict=True):
        shown = metrics.elidedText(words[0].upper() + words[1:], Qt.TextElideMode.ElideRight, width - 6)
        painter.drawText(QRectF(x, top, width - 4, line), Qt.AlignmentFlag.AlignVCenter, shown)
    painter.setPen(QPen(QColor("#000000"), max(1.0, line / 20)))
    painter.drawLine(QPointF(page.left(), top + line), QPointF(page.right(), top + line))
    return top + line * 1.1


def _paint_rows(
    painter: QPainter, area: QRectF, rows: tuple[RosterRow, ...], body: QFont, line: float
) -> None:
    painter.setFont(body)
    painter.setPen(QColor("#000000"))
    metrics = QFontMetricsF(body, painter.device())
    spans = _columns(area.left(), area.width())
    for index, row in enumerate(rows):
        y = area.top() + index * line
        if index % 2:  # every other line shaded lightly: the eye follows a row across the page
            painter.fillRect(QRectF(area.left(), y, area.width(), line), QColor("#F0F0F0"))
        for (x, width), cell in zip(spans, sheet_cells(row), strict=True):
            shown = metrics.elidedText(cell, Qt.TextElideMode.ElideRight, width - 6)
            painter.drawText(QRectF(x, y, width - 4, line), Qt.AlignmentFlag.AlignVCenter, shown)


def landscape(printer: QPrinter) -> QPrinter:
    """Turn ``printer`` to landscape: eight columns need the width."""
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    return printer
