"""The activation letter laid out on one page: any QPaintDevice (a QPrinter, a PDF, a QImage).

Black on white only, sizes in points (so A4, US Letter and a PNG look alike), the code large
in a monospace font, and the QR code as whole-pixel squares (:mod:`.qr_code`). The words
come ready from :mod:`clinic_desk.domain.activation_letter`.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter, QPen

from clinic_desk.domain.activation_letter import LetterWords
from clinic_desk.ui.activation_letter.qr_code import QrSymbol, module_pixels, paint_qr

BLACK: Final = QColor("black")
_QR_POINTS: Final = 130  # about 46 mm: a phone reads it from a hand's length
_WRAP: Final = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)


class _Pen:
    """Writes blocks of text down the page; sizes in points, whatever the device's resolution."""

    def __init__(self, painter: QPainter, page: QRectF) -> None:
        self.painter = painter
        self.page = page
        self.pt = painter.device().logicalDpiY() / 72.0
        self.y = page.top()

    def font(self, points: float, *, bold: bool = False, mono: bool = False) -> QFont:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont) if mono else QFont()
        font.setPointSizeF(points)
        font.setBold(bold)
        if mono:
            font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 112)
        return font

    def text(
        self,
        words: str,
        font: QFont,
        *,
        left: float | None = None,
        width: float | None = None,
        flags: int = _WRAP,
        after: float = 6,
    ) -> QRectF:
        """Write ``words`` at the pen's height; the pen moves below them (``after`` points more)."""
        x = self.page.left() if left is None else left
        area = QRectF(x, self.y, self.page.right() - x if width is None else width, self.page.height())
        self.painter.setFont(font)
        used = self.painter.boundingRect(area, flags, words)
        self.painter.drawText(QRectF(x, self.y, area.width(), used.height()), flags, words)
        self.y += used.height() + after * self.pt
        return used

    def rule(self, after: float = 10) -> None:
        """A thin line across the page."""
        self.painter.setPen(QPen(BLACK, max(1.0, 0.75 * self.pt)))
        self.painter.drawLine(int(self.page.left()), int(self.y), int(self.page.right()), int(self.y))
        self.y += after * self.pt

    def skip(self, points: float) -> None:
        self.y += points * self.pt


def paint_letter(painter: QPainter, page: QRectF, words: LetterWords, symbol: QrSymbol) -> QRect:
    """Paint the whole letter inside ``page`` (device pixels) with an active ``painter``.

    Returns where the QR code went, quiet zone included (tests read its modules back).
    """
    painter.save()
    painter.setPen(BLACK)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    pen = _Pen(painter, page)
    pt = pen.pt

    # Head: who writes, and when.
    right = int(Qt.AlignmentFlag.AlignRight) | int(Qt.AlignmentFlag.AlignTop)
    top = pen.y
    pen.text(words.printed_on, pen.font(10), flags=right, after=0)
    pen.y = top
    pen.text(words.clinic_name, pen.font(17, bold=True), width=page.width() * 0.68, after=4)
    pen.rule(after=16)

    pen.text(words.title, pen.font(19, bold=True), after=12)
    pen.text(words.greeting, pen.font(12), after=6)
    pen.text(words.paragraph, pen.font(12), after=16)

    # The code and the QR code side by side, in a frame.
    frame_top = pen.y
    pad = 14 * pt
    module = module_pixels(symbol, _QR_POINTS * pt)
    qr_side = symbol.size_with_quiet_zone * module
    qr_left = int(page.right() - pad - qr_side)
    inner_left = page.left() + pad
    inner_width = qr_left - inner_left - pad
    pen.y = frame_top + pad
    pen.text(words.code_caption, pen.font(12, bold=True), left=inner_left, width=inner_width, after=6)
    pen.text(words.code, pen.font(34, bold=True, mono=True), left=inner_left, width=inner_width, after=6)
    pen.text(words.expiry, pen.font(12), left=inner_left, width=inner_width, after=12)
    pen.text(words.address_caption, pen.font(10, bold=True), left=inner_left, width=inner_width, after=2)
    pen.text(words.address, pen.font(12), left=inner_left, width=inner_width, after=0)
    text_bottom = pen.y
    qr_top = int(frame_top + pad * 0.6)
    qr_area = paint_qr(painter, qr_left, qr_top, module, symbol)
    pen.y = qr_top + qr_side
    centred = int(Qt.AlignmentFlag.AlignHCenter) | int(Qt.TextFlag.TextWordWrap)
    pen.text(words.scan_caption, pen.font(9), left=qr_left, width=qr_side, flags=centred, after=0)
    frame_bottom = max(text_bottom, pen.y) + pad
    painter.setPen(QPen(BLACK, max(1.0, 1.5 * pt)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(page.left(), frame_top, page.width(), frame_bottom - frame_top))
    painter.setPen(BLACK)
    pen.y = frame_bottom + 22 * pt

    # The three steps, numbered.
    number_width = 26 * pt
    for number, step in enumerate(words.steps, start=1):
        row = pen.y
        pen.text(f"{number}.", pen.font(14, bold=True), width=number_width, after=0)
        pen.y = row
        pen.text(step, pen.font(14), left=page.left() + number_width, after=10)

    # Foot: help, and a word on keeping the code private.
    foot = pen.font(10)
    painter.setFont(foot)
    flags = _WRAP
    help_box = painter.boundingRect(
        QRectF(page.left(), 0, page.width(), page.height()), flags, words.help_line
    )
    private_box = painter.boundingRect(
        QRectF(page.left(), 0, page.width(), page.height()), flags, words.keep_private
    )
    pen.y = max(pen.y + 12 * pt, page.bottom() - help_box.height() - private_box.height() - 16 * pt)
    pen.rule(after=6)
    pen.text(words.help_line, foot, after=3)
    pen.text(words.keep_private, foot, after=0)
    painter.restore()
    return qr_area
