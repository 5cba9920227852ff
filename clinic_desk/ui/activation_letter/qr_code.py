"""The portal address as a QR code, painted as crisp black squares on white.

segno makes the symbol (error correction "m": a smudged corner still scans); here each
module becomes a square of a whole number of device pixels, with the quiet zone of four
modules around it that phone cameras need to find the code.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPainter

QUIET_ZONE = 4  # modules of white around the symbol (the QR standard's minimum)


@dataclass(frozen=True)
class QrSymbol:
    """The dark (True) and light modules of one QR code, row by row, without the quiet zone."""

    rows: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        """Modules per side, without the quiet zone."""
        return len(self.rows)

    @property
    def size_with_quiet_zone(self) -> int:
        """Modules per side, quiet zone included."""
        return self.size + 2 * QUIET_ZONE


def qr_symbol(text: str) -> QrSymbol:
    """The QR code for ``text`` (a URL), medium error correction."""
    matrix = segno.make(text, error="m").matrix
    return QrSymbol(tuple(tuple(bool(module) for module in row) for row in matrix))


def module_pixels(symbol: QrSymbol, width: float) -> int:
    """The largest whole number of pixels per module that fits ``width`` (at least 1)."""
    return max(1, int(width // symbol.size_with_quiet_zone))


def paint_qr(painter: QPainter, left: int, top: int, module: int, symbol: QrSymbol) -> QRect:
    """Paint ``symbol`` with its quiet zone at (left, top), ``module`` pixels per module.

    Returns the square painted, quiet zone included. Antialiasing is off and every square
    sits on whole pixels, so edges stay sharp on paper and in a PNG.
    """
    side = symbol.size_with_quiet_zone * module
    area = QRect(left, top, side, side)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.fillRect(area, QColor("white"))
    origin_x = left + QUIET_ZONE * module
    origin_y = top + QUIET_ZONE * module
    black = QColor("black")
    for y, row in enumerate(symbol.rows):
        x = 0
        while x < len(row):  # one rectangle per run of dark modules: a small, exact PDF
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            painter.fillRect(
                origin_x + start * module, origin_y + y * module, (x - start) * module, module, black
            )
    painter.restore()
    return area
