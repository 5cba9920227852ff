"""The letter on paper: the QR code's modules read back from the picture, A4 and US Letter, PDFs."""

from __future__ import annotations

import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import segno
from PySide6.QtGui import QColor, QImage, QPageSize
from PySide6.QtPrintSupport import QPrinter

from clinic_desk import ActivationCode
from clinic_desk.ui.activation_letter.letter_output import letter_image, letter_of, print_letter, save_pdf
from clinic_desk.ui.activation_letter.qr_code import QUIET_ZONE, qr_symbol

URL = "https://portal.harborclinic.example/activate"


def sample_code(language: str = "en") -> ActivationCode:
    return ActivationCode(
        patient_id=1,
        code="KQ7MX4PD",
        expires_at=datetime(2026, 12, 27, 17, 0, tzinfo=UTC),
        patient_name="Ana Diaz",
        language=language,
        clinic_name="Harbor Family Clinic",
        activate_url=URL,
    )


def dark(image: QImage, x: int, y: int) -> bool:
    return QColor(image.pixel(x, y)).lightness() < 128


def test_the_symbol_is_segnos_matrix_for_the_address():
    symbol = qr_symbol(URL)
    expected = segno.make(URL, error="m").matrix
    assert symbol.rows == tuple(tuple(bool(m) for m in row) for row in expected)
    assert symbol.size_with_quiet_zone == len(expected) + 2 * QUIET_ZONE


@pytest.mark.parametrize("page", [QPageSize.PageSizeId.A4, QPageSize.PageSizeId.Letter])
def test_every_painted_module_matches_the_symbol_with_a_white_quiet_zone(qtbot, page):
    """No QR decoder is installed, so the picture is read back module by module: each module is
    one flat square of whole pixels (centre and both corners agree) of the right colour."""
    words, symbol = letter_of(sample_code(), date(2026, 11, 27))
    image, area = letter_image(words, symbol, 1000, QPageSize(page))
    side = symbol.size_with_quiet_zone
    module = area.width() // side
    assert module >= 4 and area.width() == area.height() == module * side  # whole pixels, ~4 px at 1000 px
    for row in range(side):
        for column in range(side):
            inside = QUIET_ZONE <= row < side - QUIET_ZONE and QUIET_ZONE <= column < side - QUIET_ZONE
            expected = inside and symbol.rows[row - QUIET_ZONE][column - QUIET_ZONE]
            left, top = area.left() + column * module, area.top() + row * module
            half, last = module // 2, module - 1
            for x, y in ((left, top), (left + half, top + half), (left + last, top + last)):
                assert dark(image, x, y) == expected, (row, column)


def test_the_letter_fits_the_page_in_both_sizes(qtbot):
    words, symbol = letter_of(sample_code("es"), date(2026, 11, 27))
    for page in (QPageSize.PageSizeId.A4, QPageSize.PageSizeId.Letter):
        image, area = letter_image(words, symbol, 850, QPageSize(page))
        assert area.right() < image.width() and area.bottom() < image.height() * 0.6
        inked = [y for y in range(image.height()) if any(dark(image, x, y) for x in range(0, 850, 3))]
        assert inked and inked[-1] < image.height() - 40  # the foot stays inside the bottom margin


def test_a_saved_pdf_is_readable_by_its_owner_only(qtbot, tmp_path: Path):
    words, symbol = letter_of(sample_code(), date(2026, 11, 27))
    target = tmp_path / "Activation letter - Ana Diaz - 2026-11-27.pdf"
    target.write_bytes(b"an older file the chooser asked to replace")
    saved = save_pdf(target, words, symbol, QPageSize(QPageSize.PageSizeId.Letter))
    assert saved.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert saved.stat().st_size > 1000


def test_a_printer_set_to_pdf_gets_the_letter(qtbot, tmp_path: Path):
    words, symbol = letter_of(sample_code(), date(2026, 11, 27))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "letter.pdf"))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    print_letter(printer, words, symbol)
    assert (tmp_path / "letter.pdf").read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE((tmp_path / "letter.pdf").stat().st_mode) == 0o600
