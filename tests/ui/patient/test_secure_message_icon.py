"""The secure-message icon, driven by hand-made portal statuses."""

from __future__ import annotations

import colorsys
from collections import Counter

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtWidgets import QToolTip

from clinic_desk.ui.patient.secure_message_icon import SecureMessageIcon
from clinic_desk.ui.patient.status_model import PortalStatusModel

HUES = {"red": (345, 15), "gold": (30, 55), "blue": (200, 225)}


def dominant_hue(widget) -> float:
    """The most common hue (degrees) among the widget's saturated pixels."""
    image = widget.grab().toImage()
    hues: Counter[int] = Counter()
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if c.alpha() < 200:
                continue
            h, _l, s = colorsys.rgb_to_hls(c.redF(), c.greenF(), c.blueF())
            if s > 0.5:
                hues[round(h * 360) // 5 * 5] += 1
    assert hues, "no coloured pixels painted"
    return float(hues.most_common(1)[0][0])


def in_range(hue: float, low: int, high: int) -> bool:
    return low <= hue <= high if low < high else hue >= low or hue <= high


@pytest.fixture
def icon(qtbot):
    model = PortalStatusModel()
    widget = SecureMessageIcon(model)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def show_status(icon, status, name="Jane Doe", mrn="M000007"):
    icon.model().begin_patient(status.patient_id)
    icon.model().set_status(status, patient_name=name, mrn=mrn)


def hover_tooltip(icon) -> str:
    pos = icon.rect().center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, icon.mapToGlobal(pos))
    icon.event(event)
    return QToolTip.text()


def test_unknown_until_a_status_arrives(icon):
    assert icon.objectName() == "secureMessageIcon"
    assert icon.property("portalStatus") == ""
    assert icon.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert "No patient" in icon.accessibleDescription()


@pytest.mark.parametrize("color", ["red", "gold", "blue"])
def test_colour_property_and_pixels(icon, make_status, qtbot, color):
    with qtbot.waitSignal(icon.portal_status_changed) as blocker:
        show_status(icon, make_status(color))
    assert blocker.args == [color]
    assert icon.property("portalStatus") == color
    low, high = HUES[color]
    hue = dominant_hue(icon)
    assert in_range(hue, low, high), f"{color} icon painted with hue {hue}"


@pytest.mark.parametrize(
    ("color", "words"),
    [("red", "Portal access off"), ("gold", "never logged in"), ("blue", "Portal active")],
)
def test_accessible_text_says_the_status(icon, make_status, color, words):
    status = make_status(color)
    show_status(icon, status)
    assert words in icon.accessibleName()
    description = icon.accessibleDescription()
    assert status.headline in description
    for item in status.reasons:
        assert item.message in description


def test_tooltip_lists_headline_reasons_and_trouble_spots(icon, make_status):
    status = make_status(
        "red",
        email="jo@gmial.com",
        failed_logins=3,
        access_off_reason="disabled_by_staff",
        access_changed_by="maria",
    )
    assert status.trouble_spots
    show_status(icon, status)
    text = hover_tooltip(icon)
    assert QToolTip.isVisible()
    doc = QTextDocument()
    doc.setHtml(text)
    plain = doc.toPlainText()
    assert status.headline in plain
    for item in (*status.reasons, *status.trouble_spots):
        assert item.message in plain
    assert "Click the icon to fix this" in plain
    assert "Jane Doe" in plain
    QToolTip.hideText()


def test_tooltip_escapes_html(icon, make_status):
    status = make_status("gold", last_name="<b>O'Neil</b>")
    show_status(icon, status, name="Ann <b>O'Neil</b>")
    text = hover_tooltip(icon)
    assert "<b>O'Neil</b>" not in text
    doc = QTextDocument()
    doc.setHtml(text)
    assert "Ann <b>O'Neil</b>" in doc.toPlainText()
    QToolTip.hideText()


def test_tooltip_follows_a_live_change(icon, make_status):
    show_status(icon, make_status("red"))
    hover_tooltip(icon)
    blue = make_status("blue")
    icon.model().set_status(blue)
    doc = QTextDocument()
    doc.setHtml(QToolTip.text())
    assert blue.headline in doc.toPlainText()
    QToolTip.hideText()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_keyboard_activation_asks_for_troubleshooting(icon, make_status, qtbot, key):
    show_status(icon, make_status("gold"))
    icon.setFocus()
    with qtbot.waitSignal(icon.troubleshoot_requested) as blocker:
        qtbot.keyClick(icon, key)
    assert blocker.args == [7]


def test_click_asks_for_troubleshooting(icon, make_status, qtbot):
    show_status(icon, make_status("blue"))
    with qtbot.waitSignal(icon.troubleshoot_requested):
        qtbot.mouseClick(icon, Qt.MouseButton.LeftButton)


def test_no_signal_without_a_patient(icon, qtbot):
    with qtbot.assertNotEmitted(icon.troubleshoot_requested):
        qtbot.keyClick(icon, Qt.Key.Key_Return)


def test_crisp_at_double_pixel_ratio(make_status):
    from clinic_desk.ui.icons import secure_message_pixmap

    pixmap = secure_message_pixmap("blue", 44, 2.0)
    assert pixmap.width() == 88
    assert pixmap.devicePixelRatio() == 2.0
    image = pixmap.toImage()
    assert image.pixelColor(44, 44).alpha() == 255  # vector-rendered at device pixels, not upscaled


def test_model_error_is_described(icon):
    model = icon.model()
    model.begin_patient(3)
    model.set_error("The database is not reachable.")
    assert "not reachable" in icon.accessibleDescription()
    assert "not reachable" in hover_tooltip(icon)
    QToolTip.hideText()
