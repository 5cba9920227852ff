"""Adoption at a glance (``adoptionChart``): the share of active patients blue, gold and red per month.

Painted with QPainter (no web view, no QtCharts): one stacked bar per recorded month, blue at
the bottom. Colour is never the only cue: each segment tall enough carries the status glyph of
the secure-message icon (check, dot, slash), the legend names them, and the accessible
description says every month's numbers in words.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Slot
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from clinic_desk.domain.codes import Color
from clinic_desk.domain.roster import Adoption, AdoptionMonth
from clinic_desk.ui.colors import STATUS_COLORS, STATUS_GLYPHS, ThemeColors
from clinic_desk.ui.icons import svg_renderer
from clinic_desk.ui.roster.adoption_words import (
    EMPTY_WORDS,
    LEGEND_WORDS,
    SHARE_ORDER,
    describe,
    median_words,
    month_words,
    shares,
)
from clinic_desk.ui.theme import current_colors, theme_signals

_PAD = 8.0
_GLYPH = 14.0  # the legend's glyph, and the smallest segment a glyph is drawn in
_BADGE = (37.0, 22.5)  # the glyph badge's centre and its width (with its white ring) in the 48-unit SVG


def paint_glyph(painter: QPainter, color: str, center: QPointF, side: float) -> None:
    """The status glyph of ``color`` (its badge of the secure-message icon), ``side`` pixels wide."""
    scale = side / _BADGE[1]
    box = QRectF(center.x() - _BADGE[0] * scale, center.y() - _BADGE[0] * scale, 48 * scale, 48 * scale)
    svg_renderer(STATUS_GLYPHS[color], STATUS_COLORS[color]).render(painter, box)


class AdoptionChart(QWidget):
    """The share of active patients with each portal colour over the last months, and the median
    days from chart creation to first login. Fed with :meth:`show_adoption`; paints nothing else."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adoptionChart")
        self.setAccessibleName("Portal adoption chart")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a screen reader reaches its words by Tab
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._adoption: Adoption | None = None
        self._bars: list[tuple[QRectF, AdoptionMonth]] = []  # where each month was painted last
        self._set_words()
        theme_signals().colors_changed.connect(self._on_theme_colors_changed)

    # -- data ----------------------------------------------------------------------------------
    def show_adoption(self, adoption: Adoption | None) -> None:
        """Show ``adoption`` (None or no months: the empty record's words)."""
        self._adoption = adoption
        self._set_words()
        self.update()

    @property
    def adoption(self) -> Adoption | None:
        """What the chart shows now."""
        return self._adoption

    def _set_words(self) -> None:
        self.setAccessibleDescription(describe(self._adoption))

    def event(self, event: QEvent) -> bool:
        """A tooltip over a bar says that month in words, with how many active patients it counts."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            month = self.month_at(QPointF(event.pos()))
            if month is None:
                QToolTip.hideText()
                event.ignore()
                return True
            total = month.red + month.gold + month.blue
            patients = "1 active patient" if total == 1 else f"{total:,} active patients"
            QToolTip.showText(event.globalPos(), f"{month_words(month)} ({patients})", self)
            return True
        return super().event(event)

    def month_at(self, point: QPointF) -> AdoptionMonth | None:
        """The month whose bar (or its label) is under ``point``, if any."""
        for rect, month in self._bars:
            if rect.contains(point):
                return month
        return None

    @Slot(object)
    def _on_theme_colors_changed(self, _colors: ThemeColors) -> None:
        self.update()

    # -- size ----------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(520, 260)

    def minimumSizeHint(self) -> QSize:
        return QSize(300, 180)

    # -- painting ------------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        c = current_colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(_PAD, _PAD, -_PAD, -_PAD)
        if self.hasFocus():
            painter.setPen(QPen(QColor(c.focus), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)
        adoption = self._adoption
        self._bars = []
        if adoption is None or not adoption.months:
            painter.setPen(QColor(c.text_muted))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, EMPTY_WORDS)
            painter.end()
            return
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        self._paint_legend(painter, c, QRectF(area.left(), area.top(), area.width(), line))
        caption = QRectF(area.left(), area.bottom() - line, area.width(), line)
        painter.setPen(QColor(c.text_muted))
        words = median_words(adoption)
        if metrics.horizontalAdvance(words) > caption.width():
            words = median_words(adoption, short=True)
        painter.drawText(caption, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, words)
        axis = metrics.horizontalAdvance("100%") + 6
        plot = QRectF(area.left() + axis, area.top() + line + 10, area.width() - axis, 0)
        plot.setBottom(caption.top() - 2 * line - 8)  # room for the month and year labels
        if plot.height() > 20:
            self._paint_bars(painter, c, adoption, plot, metrics)
        painter.end()

    def _paint_legend(self, painter: QPainter, c: ThemeColors, row: QRectF) -> None:
        metrics = QFontMetricsF(self.font())
        gap = _GLYPH + 4 + 16
        full = sum(metrics.horizontalAdvance(LEGEND_WORDS[color]) + gap for color in SHARE_ORDER)
        narrow = full > row.width()  # a narrow chart names the colours only; its glyphs say the rest
        x = row.left()
        for color in SHARE_ORDER:
            paint_glyph(painter, color, QPointF(x + _GLYPH / 2, row.center().y()), _GLYPH)
            x += _GLYPH + 4
            words = color if narrow else LEGEND_WORDS[color]
            painter.setPen(QColor(c.text))
            painter.drawText(QPointF(x, row.center().y() + metrics.ascent() / 2 - 1), words)
            x += metrics.horizontalAdvance(words) + 16

    def _paint_bars(
        self, painter: QPainter, c: ThemeColors, adoption: Adoption, plot: QRectF, metrics: QFontMetricsF
    ) -> None:
        grid = QPen(QColor(c.card_border), 1)
        for percent in (0, 50, 100):
            y = round(plot.bottom() - plot.height() * percent / 100) + 0.5  # a crisp one-pixel line
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(QColor(c.text_muted))
            label = QRectF(0, y - metrics.height() / 2, plot.left() - 4, metrics.height())
            painter.drawText(
                label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{percent}%"
            )
        slots = max(len(adoption.months), 6)  # a short record keeps its bars slim, at the left
        slot = plot.width() / slots
        width = min(slot * 0.7, 48.0)
        for index, month in enumerate(adoption.months):
            left = plot.left() + slot * index + (slot - width) / 2
            self._paint_bar(painter, c, shares(month), QRectF(left, plot.top(), width, plot.height()))
            self._bars.append((QRectF(left, plot.top(), width, plot.height() + 2 * metrics.height()), month))
            painter.setPen(QColor(c.text_muted))
            below = QRectF(left - 8, plot.bottom() + 4, width + 16, metrics.height())
            painter.drawText(below, Qt.AlignmentFlag.AlignHCenter, f"{month.month:%b}")
            if index == 0 or month.month.month == 1:
                below.translate(0, metrics.height())
                painter.drawText(below, Qt.AlignmentFlag.AlignHCenter, f"{month.month:%Y}")

    def _paint_bar(self, painter: QPainter, c: ThemeColors, share: Mapping[Color, int], bar: QRectF) -> None:
        bottom = bar.bottom()
        for color in SHARE_ORDER:
            height = bar.height() * share[color] / 100
            if height <= 0:
                continue
            segment = QRectF(bar.left(), bottom - height, bar.width(), height)
            painter.fillRect(segment, QColor(STATUS_COLORS[color]))
            if height >= _GLYPH + 4 and bar.width() >= _GLYPH + 4:
                paint_glyph(painter, color, segment.center(), _GLYPH)
            bottom -= height
        painter.setPen(QPen(QColor(c.card_bg), 1))  # thin gaps between segments, on either theme
        bottom = bar.bottom()
        for color in SHARE_ORDER[:-1]:
            bottom -= bar.height() * share[color] / 100
            if bar.top() < bottom < bar.bottom():
                painter.drawLine(QPointF(bar.left(), bottom), QPointF(bar.right(), bottom))
