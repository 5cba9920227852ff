"""A round patient photo, or the patient's initials on a calm colour when there is none."""

from __future__ import annotations

import zlib

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from clinic_desk.ui.colors import AVATAR_COLORS, CARD_BORDER

AVATAR_SIZE = 104


def initials_of(first_name: str, last_name: str) -> str:
    """'Jane', 'van Doe' -> 'JV'; never empty."""
    letters = [next((char for char in part if char.isalnum()), "") for part in (first_name, last_name)]
    return "".join(letters).upper() or "?"


class PatientAvatar(QWidget):
    """Paints the patient photo cropped to a circle, or initials; crisp at any pixel ratio."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientAvatar")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Patient photo")
        self._photo: QImage | None = None
        self._scaled: QImage | None = None
        self._initials = ""
        self._color = QColor(AVATAR_COLORS[0])

    def sizeHint(self) -> QSize:
        return QSize(AVATAR_SIZE, AVATAR_SIZE)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def has_photo(self) -> bool:
        """True when a photo (not initials) is shown."""
        return self._photo is not None

    def set_patient(self, first_name: str, last_name: str, photo: QImage | None) -> None:
        """Show this patient's photo, or their initials."""
        self._photo = photo
        self._scaled = None
        self._initials = initials_of(first_name, last_name)
        key = f"{first_name} {last_name}".lower().encode("utf-8")
        self._color = QColor(AVATAR_COLORS[zlib.crc32(key) % len(AVATAR_COLORS)])
        name = f"{first_name} {last_name}".strip()
        self.setAccessibleName(f"Photo of {name}" if photo is not None else f"Initials of {name}")
        self.update()

    def clear(self) -> None:
        """Show nothing."""
        self._photo = None
        self._scaled = None
        self._initials = ""
        self.update()

    def _photo_at(self, side: int) -> QImage:
        assert self._photo is not None
        if self._scaled is None or self._scaled.width() != side:
            scaled = self._photo.scaled(
                side,
                side,
                Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                Qt.TransformationMode.SmoothTransformation,
            )
            x = (scaled.width() - side) // 2
            y = (scaled.height() - side) // 2
            self._scaled = scaled.copy(x, y, side, side)
        return self._scaled

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        side = min(self.width(), self.height())
        circle = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side).adjusted(
            1, 1, -1, -1
        )
        path = QPainterPath()
        path.addEllipse(circle)
        if self._photo is not None:
            painter.setClipPath(path)
            device_side = round(circle.width() * self.devicePixelRatioF())
            painter.drawImage(circle, self._photo_at(device_side))
            painter.setClipping(False)
            painter.setPen(QColor(CARD_BORDER))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(circle)
        elif self._initials:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._color)
            painter.drawEllipse(circle)
            font = QFont(self.font())
            font.setPixelSize(round(side * 0.36))
            font.setWeight(QFont.Weight.DemiBold)
            painter.setFont(font)
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, self._initials)
        painter.end()
