"""Follow the desktop's light or dark palette (or ``CLINIC_DESK_THEME=light|dark``).

:func:`apply_theme` picks the colours, gives the application a matching palette (so
menus, dialogs and message boxes drawn by Qt agree with the stylesheet) and the
stylesheet built from them, and says so through :func:`theme_signals`: a widget with a
stylesheet of its own builds it from the colours (see :mod:`clinic_desk.ui.own_style`).
It follows the desktop when it switches between light and dark.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from clinic_desk.ui.colors import DARK, LIGHT, THEMES, ThemeColors
from clinic_desk.ui.readable import words_for
from clinic_desk.ui.style import build_stylesheet

#: Set to "light" or "dark" to choose the theme whatever the desktop says (tests, screenshots).
THEME_ENV = "CLINIC_DESK_THEME"

_state: dict[str, object] = {}


def palette_is_dark(palette: QPalette) -> bool:
    """True when the palette's window colour is dark (lightness under 128)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def desktop_prefers_dark(app: QGuiApplication, *, ask_scheme: bool = True) -> bool:
    """The desktop's wish: its colour scheme (Qt 6.5+), else its palette's window colour.

    ``ask_scheme=False`` reads only the palette: the colour scheme comes back as a value of
    Qt's ``Qt`` namespace, whose first use costs about 0.1 s (too slow for the first paint).
    """
    if ask_scheme:
        from PySide6.QtCore import Qt

        scheme = app.styleHints().colorScheme()
        if scheme == Qt.ColorScheme.Dark:
            return True
        if scheme == Qt.ColorScheme.Light:
            return False
    palette = app.palette()
    if _is_ours(palette):  # our own palette says nothing about the desktop
        return bool(_state.get("desktop_dark", False))
    return palette_is_dark(palette)


def chosen_colors(
    app: QGuiApplication, environ: Mapping[str, str] | None = None, *, ask_scheme: bool = True
) -> ThemeColors:
    """The colours to use: ``CLINIC_DESK_THEME`` when set to light or dark, else the desktop's."""
    wanted = (os.environ if environ is None else environ).get(THEME_ENV, "").strip().lower()
    if wanted in THEMES:
        return THEMES[wanted]
    return DARK if desktop_prefers_dark(app, ask_scheme=ask_scheme) else LIGHT


def _is_ours(palette: QPalette) -> bool:
    """True when ``palette`` is the one :func:`apply_theme` set."""
    ours = _state.get("palette")
    # Never compared with None: PySide's failed overload lookup then loads all of ``Qt`` (0.1 s).
    return isinstance(ours, QPalette) and palette == ours


def current_colors() -> ThemeColors:
    """The colours applied last (light before :func:`apply_theme` runs)."""
    colors = _state.get("colors", LIGHT)
    assert isinstance(colors, ThemeColors)
    return colors


def words_color(light: str, background: str = "") -> str:
    """The colour to paint words given in the light theme's ``light`` colour with (item views,
    painted captions): the same hue, readable at 4.5:1 on the current theme's cards (or ``background``).
    """
    return words_for(light, current_colors(), background)


def build_palette(c: ThemeColors, base: QPalette) -> QPalette:
    """``base`` with the theme's colours in the roles Qt draws with."""
    palette = base.__copy__()  # not QPalette(base): its overloads load all of ``Qt`` (0.1 s)
    roles = {
        QPalette.ColorRole.Window: c.window_bg,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.input_bg,
        QPalette.ColorRole.AlternateBase: c.window_bg,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.card_bg,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.ToolTipBase: c.card_bg,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.PlaceholderText: c.text_muted,
        QPalette.ColorRole.Highlight: c.accent,
        QPalette.ColorRole.HighlightedText: c.on_accent,
        QPalette.ColorRole.Link: c.focus,
        QPalette.ColorRole.Light: c.hover_bg,
        QPalette.ColorRole.Midlight: c.card_border,
        QPalette.ColorRole.Mid: c.card_border,
        QPalette.ColorRole.Dark: c.window_bg,
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.disabled_text))
    return palette


class ThemeSignals(QObject):
    """Says when the theme changes, so widgets with a sheet of their own rebuild it.

    Signals:
        colors_changed(object): the :class:`ThemeColors` now applied.
    """

    colors_changed = Signal(object)


def theme_signals() -> ThemeSignals:
    """The one :class:`ThemeSignals` (made on first use; it outlives every window)."""
    signals = _state.get("signals")
    if not isinstance(signals, ThemeSignals) or not shiboken6.isValid(signals):
        signals = ThemeSignals()
        _state["signals"] = signals
    return signals


def apply_theme(
    app: QApplication, colors: ThemeColors | None = None, *, first_paint: bool = False
) -> ThemeColors:
    """Give ``app`` the palette and stylesheet of ``colors`` (default: :func:`chosen_colors`).

    ``first_paint=True``: only what the window shell needs to paint at once (the palette's
    guess at light or dark; nothing follows the desktop yet); call it again without once the
    shell has painted.
    """
    chosen = colors or chosen_colors(app, ask_scheme=not first_paint)
    if not _is_ours(app.palette()):  # the desktop's own palette: remember it
        _state["desktop_dark"] = palette_is_dark(app.palette())
        _state["desktop_palette"] = app.palette()  # a copy already
    if chosen is DARK or palette_is_dark(app.palette()):
        base = app.style().standardPalette() if chosen is LIGHT else app.palette()
        palette = build_palette(chosen, base)
        app.setPalette(palette)
        _state["palette"] = palette
    _state["colors"] = chosen
    sheet = build_stylesheet(chosen)
    if app.styleSheet() != sheet:  # the same sheet again would only re-polish every widget
        app.setStyleSheet(sheet)
    if first_paint:
        return chosen
    theme_signals().colors_changed.emit(chosen)
    _follow_desktop(app)
    return chosen


def _follow_desktop(app: QApplication) -> None:
    if _state.get("following"):
        return
    _state["following"] = True

    def desktop_changed(_scheme: object) -> None:
        if "colors" in _state and os.environ.get(THEME_ENV, "").strip().lower() not in THEMES:
            apply_theme(app)

    app.styleHints().colorSchemeChanged.connect(desktop_changed)


def reset_theme(app: QApplication) -> None:
    """Undo :func:`apply_theme` (tests): the desktop's palette, no stylesheet, light own sheets."""
    desktop = _state.pop("desktop_palette", None)
    if isinstance(desktop, QPalette) and _is_ours(app.palette()):
        app.setPalette(desktop)
    was_light = current_colors() is LIGHT
    for key in ("palette", "colors", "desktop_dark"):
        _state.pop(key, None)
    app.setStyleSheet("")
    if not was_light:
        theme_signals().colors_changed.emit(LIGHT)
