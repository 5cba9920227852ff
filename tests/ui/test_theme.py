"""Light and dark: contrast checked in both, the desktop's palette followed, no dark-on-dark."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QLineEdit, QMenu, QPushButton, QVBoxLayout

from clinic_desk.ui.colors import (
    BADGE_COLORS,
    DARK,
    LIGHT,
    STATUS_COLORS,
    ThemeColors,
    contrast_ratio,
    relative_luminance,
)
from clinic_desk.ui.own_style import follow_theme, message_sheet
from clinic_desk.ui.readable import words_for
from clinic_desk.ui.style import build_stylesheet
from clinic_desk.ui.theme import (
    THEME_ENV,
    apply_theme,
    chosen_colors,
    current_colors,
    reset_theme,
    words_color,
)
from clinic_desk.ui.wizard.style import panel_stylesheet

THEMES = pytest.mark.parametrize("colors", [LIGHT, DARK], ids=["light", "dark"])


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """The application as the desk runs it; the theme is undone afterwards."""
    yield qapp
    reset_theme(qapp)


def dark_desktop_palette() -> QPalette:
    palette = QPalette(QApplication.palette())
    for role, color in {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#E8EAED",
        QPalette.ColorRole.Base: "#17181A",
        QPalette.ColorRole.Text: "#E8EAED",
    }.items():
        palette.setColor(role, QColor(color))
    return palette


def shown_colours(widget) -> tuple[str, str]:
    """The (text, fill) colours a polished widget paints with."""
    palette = widget.palette()
    return palette.color(widget.foregroundRole()).name(), palette.color(widget.backgroundRole()).name()


# -- the colours themselves --------------------------------------------------------------------------
def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFF", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)


@THEMES
@pytest.mark.parametrize(
    ("words", "text", "fill"),
    [
        ("text on the window", "text", "window_bg"),
        ("text on a card (and in a menu)", "text", "card_bg"),
        ("text in a field", "text", "input_bg"),
        ("muted text on a card", "text_muted", "card_bg"),
        ("muted text on the window", "text_muted", "window_bg"),
        ("words on a blue button", "on_accent", "accent"),
        ("a missing-data note", "missing_text", "missing_bg"),
        ("an error on a card", "missing_text", "card_bg"),
        ("an error on the window", "missing_text", "window_bg"),
        ("a success on a card", "ok_text", "card_bg"),
        ("a success on the window", "ok_text", "window_bg"),
        ("a success note", "ok_text", "success_bg"),
        ("a warning on a card", "warning_text", "card_bg"),
        ("a warning on the window", "warning_text", "window_bg"),
        ("a warning note", "warning_text", "warning_bg"),
        ("information on a card", "info_text", "card_bg"),
        ("a busy line on the window", "accent_text", "window_bg"),
        ("a busy line on a card", "accent_text", "card_bg"),
        ("text in a confirmation bar", "text", "confirm_bg"),
        ("text on the temporary-password slip", "text", "slip_bg"),
        ("text on a warning", "text", "warning_bg"),
        ("text on a success note", "text", "success_bg"),
        ("muted text on a warning", "text_muted", "warning_bg"),
        ("muted text on a success note", "text_muted", "success_bg"),
        ("muted text on the slip", "text_muted", "slip_bg"),
    ],
)
def test_text_reads_at_4_5_to_1(colors: ThemeColors, words, text, fill):
    ratio = contrast_ratio(getattr(colors, text), getattr(colors, fill))
    assert ratio >= 4.5, f"{colors.name}: {words} is {ratio:.2f}:1"


@THEMES
@pytest.mark.parametrize(
    ("ring", "fill"),
    [("focus", "window_bg"), ("focus", "card_bg"), ("focus", "input_bg"), ("focus_on_accent", "accent")],
)
def test_focus_rings_stand_out_at_3_to_1(colors: ThemeColors, ring, fill):
    assert contrast_ratio(getattr(colors, ring), getattr(colors, fill)) >= 3.0
    assert contrast_ratio(getattr(colors, ring), colors.card_border) >= 2.0  # unfocused → focused


@THEMES
@pytest.mark.parametrize("status", ["red", "gold", "blue"])
def test_status_colours_keep_their_meaning_in_both_themes(colors: ThemeColors, status):
    tint = STATUS_COLORS[status]
    assert contrast_ratio("#FFFFFF", tint) >= 3.0  # the white glyph on the icon's badge
    caption = words_for(tint, colors)  # the caption beside the icon, and the tooltip's dot
    assert contrast_ratio(caption, colors.card_bg) >= 4.5  # "Portal access off" beside the icon
    hue = QColor(caption).hslHue()
    assert abs(hue - QColor(tint).hslHue()) <= 8  # still red, gold or blue
    badge = BADGE_COLORS[status]
    assert contrast_ratio("#FFFFFF", badge) >= 4.5  # the wizard's badge: white words on the colour
    assert abs(QColor(badge).hslHue() - QColor(tint).hslHue()) <= 8


def test_the_dark_stylesheet_has_no_light_surfaces():
    sheet = build_stylesheet(DARK)
    for light_surface in (LIGHT.window_bg, LIGHT.card_border, LIGHT.text):
        assert light_surface not in sheet
    assert f"QMenu {{ background: {DARK.card_bg}" in sheet
    assert "background: #FFFFFF" not in sheet


# -- a widget's own stylesheet -----------------------------------------------------------------------
def test_the_panel_sheet_is_written_in_each_themes_colours():
    dark = panel_stylesheet(DARK)
    assert "background: #FFFFFF" not in dark  # the panel's fields are the dark theme's
    assert f"background: {DARK.input_bg}" in dark and f"background: {DARK.warning_bg}" in dark
    assert f'QPushButton[role="primary"]:focus {{ border-color: {DARK.focus_on_accent}; }}' in dark
    assert f"background: {LIGHT.accent}" in dark  # blue buttons stay blue
    light = panel_stylesheet(LIGHT)
    assert f"background: {LIGHT.input_bg}" in light and f"border: 1px solid {LIGHT.card_border}" in light
    assert f'QPushButton[role="primary"]:focus {{ border-color: {LIGHT.focus_on_accent}; }}' in light


# -- following the desktop -----------------------------------------------------------------------------
def test_the_environment_chooses_the_theme(qapp):
    assert chosen_colors(qapp, {THEME_ENV: "dark"}) is DARK
    assert chosen_colors(qapp, {THEME_ENV: " Light "}) is LIGHT


def test_a_dark_desktop_palette_gets_the_dark_stylesheet(themed, monkeypatch):
    monkeypatch.delenv(THEME_ENV, raising=False)
    desktop = QPalette(themed.palette())
    themed.setPalette(dark_desktop_palette())
    try:
        assert chosen_colors(themed, {}) is DARK
        assert apply_theme(themed) is DARK
        assert current_colors() is DARK
        assert themed.styleSheet() == build_stylesheet(DARK)
        assert themed.palette().color(QPalette.ColorRole.Window).name().upper() == DARK.window_bg
        assert chosen_colors(themed, {}) is DARK  # our own palette is not mistaken for the desktop's
    finally:
        reset_theme(themed)
        themed.setPalette(desktop)


def test_a_light_desktop_keeps_its_palette(themed, monkeypatch):
    monkeypatch.delenv(THEME_ENV, raising=False)
    before = QPalette(themed.palette())
    assert apply_theme(themed) is LIGHT
    assert themed.palette() == before
    assert themed.styleSheet() == build_stylesheet(LIGHT)


def test_light_forced_on_a_dark_desktop_is_light_everywhere(themed, monkeypatch):
    monkeypatch.setenv(THEME_ENV, "light")
    desktop = QPalette(themed.palette())
    themed.setPalette(dark_desktop_palette())
    try:
        assert apply_theme(themed) is LIGHT
        assert themed.palette().color(QPalette.ColorRole.Window).lightness() >= 128
    finally:
        reset_theme(themed)
        themed.setPalette(desktop)


# -- no dark-on-dark on screen ---------------------------------------------------------------------------
def test_dark_menus_fields_and_panels_read_well(qtbot, themed):
    apply_theme(themed, DARK)
    panel = QFrame()
    panel.setObjectName("troubleshootingWizardPanel")
    follow_theme(panel, panel_stylesheet)  # a panel with a sheet of its own, as the wizard has
    layout = QVBoxLayout(panel)
    field = QLineEdit("ana@example.com", panel)
    note = QLabel("Saved.", panel)
    layout.addWidget(field)
    layout.addWidget(note)
    menu = QMenu()
    menu.addAction("&Lock")
    qtbot.addWidget(panel)
    qtbot.addWidget(menu)
    panel.show()
    qtbot.waitExposed(panel)
    follow_theme(note, message_sheet("ok"))  # set by its owner after the panel is on screen
    assert note.styleSheet() == f"color: {DARK.ok_text}; font-weight: 600;"
    menu.ensurePolished()
    note.ensurePolished()
    for widget in (field, menu):
        text, fill = shown_colours(widget)
        assert QColor(fill).lightness() < 128, widget
        assert contrast_ratio(text, fill) >= 4.5, widget
    assert contrast_ratio(note.palette().color(note.foregroundRole()).name(), DARK.card_bg) >= 4.5


def test_a_followed_sheet_is_rebuilt_for_each_theme(qtbot, themed):
    label = QLabel("Saved.")
    qtbot.addWidget(label)
    follow_theme(label, message_sheet("ok"))
    assert LIGHT.ok_text in label.styleSheet()
    apply_theme(themed, DARK)  # at once: no event to wait for
    assert label.styleSheet() == f"color: {DARK.ok_text}; font-weight: 600;"
    follow_theme(label, message_sheet("error"))  # its owner changes what it says
    assert DARK.missing_text in label.styleSheet()
    apply_theme(themed, LIGHT)
    assert label.styleSheet() == f"color: {LIGHT.missing_text}; font-weight: 600;"
    apply_theme(themed, DARK)
    reset_theme(themed)
    assert LIGHT.missing_text in label.styleSheet()


def test_the_contact_editor_is_readable_in_dark(qtbot, themed, seeded, make_window):
    from clinic_desk.ui.patient.contact_editor import ContactEditorDialog

    apply_theme(themed, DARK)
    clinic, ids = seeded
    window = make_window(clinic, persist=False)
    with qtbot.waitSignal(window.patient_opened, timeout=10_000):
        window.open_patient(ids["gold"])
    window.edit_contact()
    dialog = window.findChild(ContactEditorDialog, "contactEditor")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.version is not None, timeout=10_000)
    for widget in dialog.findChildren(QLineEdit) + dialog.findChildren(QPushButton):
        if widget.isVisible():
            text, fill = shown_colours(widget)
            assert contrast_ratio(text, fill) >= 4.5, widget.objectName()
    dialog.close()


def test_words_painted_in_code_follow_the_theme(themed):
    muted = LIGHT.text_muted
    apply_theme(themed, LIGHT)
    assert words_color(muted) == muted
    apply_theme(themed, DARK)
    assert words_color(muted) == DARK.text_muted
    assert contrast_ratio(words_color(STATUS_COLORS["red"]), DARK.card_bg) >= 4.5
