"""Every colour the UI uses, in one place.

The three status colours are chosen to stay apart for colour-blind staff
(different hue *and* lightness) and to carry white glyphs legibly; the glyph
on the icon (slash, dot, check) says the same thing again without colour.
"""

from __future__ import annotations

from typing import Final

#: Secure-message icon tint per portal colour; "" is unknown or still loading.
STATUS_COLORS: Final[dict[str, str]] = {
    "red": "#C62828",
    "gold": "#B07A00",
    "blue": "#1565C0",
    "": "#8A949E",
}

#: Short words for each colour, for captions and screen readers.
STATUS_WORDS: Final[dict[str, str]] = {
    "red": "Portal access off",
    "gold": "Portal on, never logged in",
    "blue": "Portal active",
    "": "Checking portal status",
}

#: Icon badge glyph per colour (see resources/icons/glyph-*.svg).
STATUS_GLYPHS: Final[dict[str, str]] = {
    "red": "glyph-off.svg",
    "gold": "glyph-never.svg",
    "blue": "glyph-active.svg",
}

# The light theme of the window.
WINDOW_BG: Final = "#F3F5F8"
CARD_BG: Final = "#FFFFFF"
CARD_BORDER: Final = "#DDE2E8"
TEXT: Final = "#1D2733"
TEXT_MUTED: Final = "#5C6975"
ACCENT: Final = "#1565C0"
MISSING_TEXT: Final = "#B3261E"
MISSING_BG: Final = "#FDECEA"
BANNER_BG: Final = "#FDECEA"
BANNER_BORDER: Final = "#F2B8B5"

#: Text colour of a form's message line, per its role ("ok", "warning", "error", "info").
MESSAGE_COLORS: Final[dict[str, str]] = {
    "ok": "#1B5E20",
    "warning": "#7A4B00",
    "error": MISSING_TEXT,
    "info": "#1F4E79",
}

#: Background of the patient-status pill, per patient status.
PATIENT_STATUS_COLORS: Final[dict[str, tuple[str, str]]] = {
    "active": ("#E3F2E8", "#1E6B3A"),
    "prospective": ("#E3EEF9", "#134F8C"),
    "inactive": ("#ECEFF2", "#4A5560"),
    "deceased": ("#E4E1EC", "#3F3650"),
}

#: Muted backgrounds for initials avatars, picked by a stable hash of the name.
AVATAR_COLORS: Final = (
    "#5C6BC0",
    "#00897B",
    "#6D4C41",
    "#8E24AA",
    "#3949AB",
    "#00796B",
    "#546E7A",
    "#AD1457",
)
