"""Find and tint the SVG icons in ``resources/icons``.

Icons are drawn with ``currentColor`` for their tint; :func:`svg_renderer`
substitutes the wanted colour before QtSvg parses the file, so the icon is
painted as vectors at whatever device-pixel ratio the painter has.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

import clinic_desk
from clinic_desk.ui.colors import STATUS_COLORS, STATUS_GLYPHS

SECURE_MESSAGE = "secure-message.svg"


def icons_dir() -> Path:
    """The repository's ``resources/icons`` folder."""
    package_file = getattr(clinic_desk, "__file__", None)
    package_dir = (
        Path(package_file).resolve().parent if package_file else Path(__file__).resolve().parent.parent
    )
    return package_dir.parent / "resources" / "icons"


@lru_cache(maxsize=64)
def svg_renderer(name: str, color: str) -> QSvgRenderer:
    """A renderer for icon ``name`` with ``currentColor`` replaced by ``color``."""
    text = (icons_dir() / name).read_text(encoding="utf-8").replace("currentColor", color)
    renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
    if not renderer.isValid():
        raise ValueError(f"icon {name} is not a valid SVG")
    return renderer


def paint_secure_message(painter: QPainter, rect: QRectF, portal_color: str) -> None:
    """Paint the secure-message icon for a portal colour ("" while unknown) into ``rect``."""
    tint = STATUS_COLORS.get(portal_color, STATUS_COLORS[""])
    svg_renderer(SECURE_MESSAGE, tint).render(painter, rect)
    glyph = STATUS_GLYPHS.get(portal_color)
    if glyph:
        svg_renderer(glyph, tint).render(painter, rect)


def secure_message_pixmap(portal_color: str, size: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """The secure-message icon as a pixmap, rendered at device pixels."""
    side = max(1, round(size * device_pixel_ratio))
    pixmap = QPixmap(QSize(side, side))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint_secure_message(painter, QRectF(0, 0, side, side), portal_color)
    painter.end()
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    return pixmap


def tinted_icon(name: str, color: str, size: int = 24) -> QIcon:
    """A QIcon of a one-colour SVG, with pixmaps for 1x and 2x screens."""
    icon = QIcon()
    for ratio in (1.0, 2.0):
        side = round(size * ratio)
        pixmap = QPixmap(QSize(side, side))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        svg_renderer(name, color).render(painter, QRectF(0, 0, side, side))
        painter.end()
        pixmap.setDevicePixelRatio(ratio)
        icon.addPixmap(pixmap)
    return icon
