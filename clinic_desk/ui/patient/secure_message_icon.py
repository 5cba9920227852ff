"""The secure-message icon: the portal status at a glance, the reasons on hover."""

from __future__ import annotations

from PySide6.QtCore import Property, QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QHelpEvent, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QToolTip, QWidget

from clinic_desk.ui.icons import paint_secure_message
from clinic_desk.ui.patient import status_text
from clinic_desk.ui.patient.dash_trouble import dash_troubles
from clinic_desk.ui.patient.status_model import PortalStatusModel
from clinic_desk.ui.theme import current_colors

ICON_SIZE = 44
FOCUS_MARGIN = 3


class SecureMessageIcon(QAbstractButton):
    """Envelope-with-lock icon tinted red, gold or blue, with a slash, dot or check badge.

    Bound to a :class:`PortalStatusModel`; hover shows why, click or
    Enter/Space asks for the troubleshooting panel, the Menu key or a right-click asks
    for the explanation (what F1 shows).

    Signals:
        troubleshoot_requested(int): staff want to fix this patient's portal access.
        explain_requested: staff want the status in words (Menu key, right-click).
        portal_status_changed(str): the ``portalStatus`` property changed.
    """

    troubleshoot_requested = Signal(int)
    explain_requested = Signal()
    portal_status_changed = Signal(str)

    def __init__(self, model: PortalStatusModel | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secureMessageIcon")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self._model: PortalStatusModel | None = None
        self._color = ""
        self._tooltip_pos: QPoint | None = None
        self.clicked.connect(self._on_self_clicked)
        self.set_model(model if model is not None else PortalStatusModel(self))

    # -- model binding -----------------------------------------------------------------------------
    def model(self) -> PortalStatusModel | None:
        """The status model the icon shows."""
        return self._model

    def set_model(self, model: PortalStatusModel) -> None:
        """Show ``model`` from now on."""
        if self._model is not None:
            self._model.status_changed.disconnect(self._on_model_status_changed)
            self._model.status_arrived.disconnect(self._on_model_status_changed)
            self._model.loading_changed.disconnect(self._on_model_loading_changed)
        self._model = model
        model.status_changed.connect(self._on_model_status_changed)
        model.status_arrived.connect(self._on_model_status_changed)
        model.loading_changed.connect(self._on_model_loading_changed)
        self._on_model_status_changed()

    def _on_model_status_changed(self) -> None:
        model = self._model
        assert model is not None
        color = model.color
        warnings = [trouble.chip for trouble in dash_troubles(model.status)]
        self.setAccessibleName(status_text.accessible_name(color, warnings))
        self.setAccessibleDescription(
            status_text.accessible_description(model.status, loading=model.loading, error=model.error)
        )
        self.setEnabled(model.patient_id is not None)
        if color != self._color:
            self._color = color
            self.portal_status_changed.emit(color)
        if self._tooltip_pos is not None and QToolTip.isVisible():
            QToolTip.showText(self._tooltip_pos, self.tooltip_html(), self, self.rect())
        self.update()

    def _on_model_loading_changed(self, _loading: bool) -> None:
        self._on_model_status_changed()

    # -- the portalStatus property -----------------------------------------------------------------
    def _get_portal_status(self) -> str:
        return self._color

    portalStatus = Property(str, _get_portal_status, notify=portal_status_changed)

    # -- tooltip -----------------------------------------------------------------------------------
    def tooltip_html(self) -> str:
        """The rich-text card for the current status."""
        model = self._model
        assert model is not None
        return status_text.tooltip_html(
            model.status,
            patient_name=model.patient_name,
            mrn=model.mrn,
            loading=model.loading,
            error=model.error,
        )

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._tooltip_pos = event.globalPos()
            QToolTip.showText(self._tooltip_pos, self.tooltip_html(), self, self.rect())
            return True
        if event.type() == QEvent.Type.Leave:
            self._tooltip_pos = None
        return super().event(event)

    # -- keyboard and painting ---------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Menu:  # people try it for "what's this?"
            self.explain_requested.emit()
            event.accept()  # accepted: no second, context-menu request for the same key
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.explain_requested.emit()
        event.accept()

    def _on_self_clicked(self) -> None:
        model = self._model
        if model is not None and model.patient_id is not None:
            self.troubleshoot_requested.emit(model.patient_id)

    def sizeHint(self) -> QSize:
        side = ICON_SIZE + 2 * FOCUS_MARGIN
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bounds = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        if self.isDown() or self.underMouse():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(0, 0, 0, 28 if self.isDown() else 14))
            painter.drawRoundedRect(bounds, 8, 8)
        if self.hasFocus():
            pen = QPen(QColor(current_colors().focus), 2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(bounds.adjusted(1, 1, -1, -1), 8, 8)
        inner = QRectF(self.rect()).adjusted(FOCUS_MARGIN, FOCUS_MARGIN, -FOCUS_MARGIN, -FOCUS_MARGIN)
        if not self.isEnabled():
            painter.setOpacity(0.45)
        paint_secure_message(painter, inner, self._color)
        painter.end()
