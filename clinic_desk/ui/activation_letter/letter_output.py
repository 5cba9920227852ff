"""Where a letter goes: a printer (paper, or the print dialog's PDF), a PDF file, or a PNG picture.

Each letter is one page painted by :func:`~.letter_paper.paint_letter`. A saved PDF holds
patient data, so it is created readable by its owner only (DESIGN.md section 4).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QRect, QRectF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtPrintSupport import QPrinter

from clinic_desk.domain.activation_codes import ActivationCode
from clinic_desk.domain.activation_letter import LetterWords, expiry_day, letter_words
from clinic_desk.ui.activation_letter.letter_paper import paint_letter
from clinic_desk.ui.activation_letter.qr_code import QrSymbol, qr_symbol
from clinic_desk.ui.private_csv import private_file
from clinic_desk.ui.roster.roster_paper import PrinterRefused

MARGIN_MM = 18.0
PNG_WIDTH = 1000  # pixels across a PNG of the letter (docs, screenshots)


def letter_of(code: ActivationCode, printed_on: date | None = None) -> tuple[LetterWords, QrSymbol]:
    """The words and the QR code for an issued ``ActivationCode`` (from ``issue_activation_code``)."""
    words = letter_words(
        clinic_name=code.clinic_name,
        patient_name=code.patient_name,
        code=code.code,
        expires_on=expiry_day(code.expires_at),
        activate_url=code.activate_url,
        language=code.language,
        printed_on=printed_on or date.today(),
    )
    return words, qr_symbol(code.activate_url)


def local_page_size() -> QPageSize:
    """US Letter where the locale measures in inches (the US), else A4."""
    us = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return QPageSize(QPageSize.PageSizeId.Letter if us else QPageSize.PageSizeId.A4)


def _paint_on(device: QPdfWriter | QPrinter, words: LetterWords, symbol: QrSymbol) -> None:
    painter = QPainter()
    if not painter.begin(device):
        raise PrinterRefused("The printer could not be opened (or the PDF file could not be written).")
    try:
        page = QRectF(device.pageLayout().paintRectPixels(device.resolution()))
        paint_letter(painter, page.translated(-page.topLeft()), words, symbol)
    finally:
        painter.end()


def print_letter(printer: QPrinter, words: LetterWords, symbol: QrSymbol) -> None:
    """Paint the letter on ``printer`` (paper, or a PDF the print dialog chose).

    Raises:
        PrinterRefused: the printer or its PDF file could not be opened.
    """
    layout = printer.pageLayout()
    if layout.margins(QPageLayout.Unit.Millimeter).left() < MARGIN_MM / 2:
        printer.setPageMargins(
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter
        )
    _paint_on(printer, words, symbol)
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        os.chmod(printer.outputFileName(), 0o600)  # "Print to PDF" made a file of patient data


def save_pdf(
    path: str | Path, words: LetterWords, symbol: QrSymbol, page_size: QPageSize | None = None
) -> Path:
    """Write the letter to a PDF file only its owner may read; returns the path.

    Raises:
        OSError: the file could not be created.
        PrinterRefused: the PDF could not be painted.
    """
    target = Path(path)
    target.unlink(missing_ok=True)  # the file chooser asked before replacing it
    os.close(private_file(target))
    writer = QPdfWriter(str(target))
    writer.setResolution(600)
    writer.setTitle(words.title)
    writer.setCreator("Clinic Desk")
    writer.setPageSize(page_size or local_page_size())
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    try:
        _paint_on(writer, words, symbol)
    except BaseException:
        del writer
        target.unlink(missing_ok=True)  # no empty letter left behind
        raise
    del writer  # the file is complete once the writer is gone
    os.chmod(target, 0o600)
    return target


def letter_image(
    words: LetterWords, symbol: QrSymbol, width: int = PNG_WIDTH, page_size: QPageSize | None = None
) -> tuple[QImage, QRect]:
    """The letter as a white picture ``width`` pixels across, shaped like the page, and where
    its QR code is (quiet zone included)."""
    size = (page_size or QPageSize(QPageSize.PageSizeId.A4)).size(QPageSize.Unit.Inch)
    dpi = width / size.width()
    image = QImage(width, round(size.height() * dpi), QImage.Format.Format_RGB32)
    dots_per_meter = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    image.fill(0xFFFFFFFF)
    margin = MARGIN_MM / 25.4 * dpi
    painter = QPainter(image)
    try:
        page = QRectF(margin, margin, image.width() - 2 * margin, image.height() - 2 * margin)
        qr_area = paint_letter(painter, page, words, symbol)
    finally:
        painter.end()
    return image, qr_area
