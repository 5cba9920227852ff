"""The lock screen's own look, written in the current theme's colours (light or dark).

A widget's own stylesheet outranks the application's, so the lock screen's sheet is
built from :func:`clinic_desk.ui.theme.current_colors` rather than written for the
light window and rewritten afterwards. :func:`follow_theme` keeps such a sheet in step
when the theme changes; the sheet carries the theme's marker, so the application's
:class:`~clinic_desk.ui.theme.SheetKeeper` leaves it as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

from clinic_desk.ui.colors import LIGHT, MESSAGE_COLORS, ThemeColors
from clinic_desk.ui.sheet_theming import MARKER, theme_color
from clinic_desk.ui.theme import ORIGINAL_SHEET, current_colors

#: Builds a widget's own stylesheet for one set of colours.
SheetBuilder = Callable[[ThemeColors], str]


def lock_stylesheet(c: ThemeColors) -> str:
    """The lock screen's stylesheet in the colours ``c``.

    The link-like "Database connection…" button has no frame, so it gets a ring of
    the theme's focus colour when focused (an underline alone is too faint to find).
    """
    return f"""
#lockScreen, #lockScreenBody {{ background: {c.window_bg}; }}
#lockCard QLabel[role="formHeading"] {{ font-size: 15pt; font-weight: 600; }}
#lockCard QLabel[role="muted"], #lockFooter {{ color: {c.text_muted}; }}
#lockCard QLineEdit {{
    background: {c.input_bg}; color: {c.text}; border: 1px solid {c.card_border}; border-radius: 6px;
    padding: 6px 8px; font-size: 10.5pt;
}}
#lockCard QLineEdit:focus {{ border: 2px solid {c.focus}; padding: 5px 7px; }}
#lockCard QPushButton:default {{ background: {c.accent}; color: {c.on_accent}; border-color: {c.accent}; }}
#lockCard QPushButton:default:focus {{ border: 2px solid {c.focus_on_accent}; padding: 4px 13px; }}
#lockScreen QPushButton#lockConnectionButton {{
    border: 2px solid transparent; border-radius: 6px; padding: 3px 10px; color: {c.focus};
    background: transparent;
}}
#lockScreen QPushButton#lockConnectionButton:focus {{ border-color: {c.focus}; text-decoration: underline; }}
#lockCard QPushButton:default:disabled {{ background: {c.card_border}; color: {c.text_muted}; }}
"""


def message_color(role: str, c: ThemeColors) -> str:
    """The colour of a message line's words for ``role`` ("ok", "warning", "error", "info") under ``c``.

    The same hue as in the light window, made to read at 4.5:1 on the theme's cards.
    """
    light = MESSAGE_COLORS.get(role, MESSAGE_COLORS["info"])
    return theme_color(light, "color", "", c, c.card_bg)


def message_sheet(role: str) -> SheetBuilder:
    """A builder for a message line's own sheet: the role's colour, bold."""
    return lambda c: f"color: {message_color(role, c)}; font-weight: 600;"


def marked(sheet: str, c: ThemeColors) -> str:
    """``sheet`` ending in the theme marker, so the sheet keeper knows it is already in ``c``'s colours."""
    return f"{sheet}\n{MARKER.format(name=c.name)}"


class ThemeFollower(QObject):
    """Keeps its parent widget's own stylesheet built for the current theme.

    While the theme changes, the application's sheet keeper may still rewrite the
    sheet for the old colours; so after a style change this puts the widget's own
    sheet back once the change is over (next turn of the event loop), not at once,
    which would have the two undo each other without end.
    """

    def __init__(self, widget: QWidget, build: SheetBuilder) -> None:
        super().__init__(widget)
        self.setObjectName("themeFollower")
        self.build = build
        self._widget = widget
        self._pending = False
        widget.installEventFilter(self)

    def apply(self) -> None:
        """Give the widget its sheet for the current colours (nothing when it already has it)."""
        self._pending = False
        colors = current_colors()
        wanted = marked(self.build(colors), colors)
        if self._widget.styleSheet() != wanted:
            # Should the sheet keeper rewrite it all the same, it starts from the light sheet.
            self._widget.setProperty(ORIGINAL_SHEET, self.build(LIGHT))
            self._widget.setStyleSheet(wanted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        changed = event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange)
        if watched is self._widget and changed and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.apply)
        return False


def follow_theme(widget: QWidget, build: SheetBuilder) -> None:
    """Give ``widget`` the sheet ``build`` makes for the current theme, now and after each change."""
    follower = widget.findChild(ThemeFollower, "themeFollower", Qt.FindChildOption.FindDirectChildrenOnly)
    if isinstance(follower, ThemeFollower):
        follower.build = build
    else:
        follower = ThemeFollower(widget, build)
    follower.apply()
