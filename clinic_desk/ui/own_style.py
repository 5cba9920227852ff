"""A widget's own stylesheet, written in the current theme's colours (light or dark).

A widget's own sheet outranks the application's whatever the selectors, so it cannot be
written once in light colours: it is a *builder* taking :class:`ThemeColors`, and
:func:`follow_theme` gives the widget the sheet built for the current theme, then builds
it again when :func:`~clinic_desk.ui.theme.apply_theme` says the theme changed. No event
filter, no rewriting: each sheet says the colours it is drawn in.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QWidget

from clinic_desk.ui.colors import ThemeColors
from clinic_desk.ui.theme import current_colors, theme_signals

#: Builds a widget's own stylesheet for one set of colours.
SheetBuilder = Callable[[ThemeColors], str]


def message_color(role: str, c: ThemeColors) -> str:
    """The colour of a message line's words for ``role`` ("ok", "warning", "error", "info") under ``c``."""
    return {
        "ok": c.ok_text,
        "warning": c.warning_text,
        "error": c.missing_text,
        "muted": c.text_muted,
    }.get(role, c.info_text)


def message_sheet(role: str, *, bold: bool = True) -> SheetBuilder:
    """A builder for a message line's own sheet: the role's colour (bold unless told not to)."""
    weight = " font-weight: 600;" if bold else ""
    return lambda c: f"color: {message_color(role, c)};{weight}"


def muted_sheet(c: ThemeColors) -> str:
    """Quiet words: a hint, a page count, a summary."""
    return f"color: {c.text_muted};"


def no_sheet(_c: ThemeColors) -> str:
    """No sheet of its own: the application's rules apply."""
    return ""


class ThemeFollower(QObject):
    """Keeps its parent widget's own stylesheet built for the current theme.

    It lives as the widget's child, so the connection to the theme's signal ends with the widget.
    """

    def __init__(self, widget: QWidget, build: SheetBuilder) -> None:
        super().__init__(widget)
        self.setObjectName("themeFollower")
        self.build = build
        self._widget = widget
        theme_signals().colors_changed.connect(self.apply)

    @Slot(object)
    def apply(self, colors: ThemeColors | None = None) -> None:
        """Give the widget its sheet for ``colors`` (default: the current ones); nothing if it has it."""
        wanted = self.build(colors or current_colors())
        if self._widget.styleSheet() != wanted:
            self._widget.setStyleSheet(wanted)


def follow_theme(widget: QWidget, build: SheetBuilder) -> None:
    """Give ``widget`` the sheet ``build`` makes for the current theme, now and after each change.

    Calling it again replaces the builder (a message line turning from an error to a success).
    """
    follower = widget.findChild(ThemeFollower, "themeFollower", Qt.FindChildOption.FindDirectChildrenOnly)
    if isinstance(follower, ThemeFollower):
        follower.build = build
    else:
        follower = ThemeFollower(widget, build)
    follower.apply()
