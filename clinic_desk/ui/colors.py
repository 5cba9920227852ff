"""Every colour the UI uses, in one place.

The three status colours are chosen to stay apart for colour-blind staff
(different hue *and* lightness) and to carry white glyphs legibly; the glyph
on the icon (slash, dot, check) says the same thing again without colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

#: Secure-message icon tint per portal colour; "" is unknown or still loading.
STATUS_COLORS: Final[dict[str, str]] = {
    "red": "#C62828",
    "gold": "#B07A00",
    "blue": "#1565C0",
    "": "#8A949E",
}

#: The wizard's status badge: the same hues, deep enough for its white words to read at 4.5:1.
BADGE_COLORS: Final[dict[str, str]] = {
    "red": "#C62828",
    "gold": "#8A6000",
    "blue": "#1565C0",
    "": "#5C6975",
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


@dataclass(frozen=True)
class ThemeColors:
    """One set of window colours (light or dark); the stylesheet is built from it.

    ``focus`` rings every focused control; ``focus_on_accent`` rings a focused blue
    (primary or default) button, where the accent ring would vanish into the fill.
    The ``*_text`` colours read at 4.5:1 on the cards, the window and their own ``*_bg``
    fill (a success note, a warning, a confirmation bar, the temporary-password slip).
    """

    name: str
    window_bg: str
    card_bg: str
    card_border: str
    input_bg: str
    text: str
    text_muted: str
    accent: str
    on_accent: str
    focus: str
    focus_on_accent: str
    missing_text: str
    missing_bg: str
    banner_border: str
    disabled_text: str
    hover_bg: str
    ok_text: str
    warning_text: str
    info_text: str
    accent_text: str
    success_bg: str
    success_border: str
    warning_bg: str
    warning_border: str
    confirm_bg: str
    slip_bg: str
    primary_disabled_bg: str


LIGHT: Final = ThemeColors(
    name="light",
    window_bg=WINDOW_BG,
    card_bg=CARD_BG,
    card_border=CARD_BORDER,
    input_bg="#FFFFFF",
    text=TEXT,
    text_muted=TEXT_MUTED,
    accent=ACCENT,
    on_accent="#FFFFFF",
    focus=ACCENT,
    focus_on_accent="#0E1116",
    missing_text=MISSING_TEXT,
    missing_bg=MISSING_BG,
    banner_border=BANNER_BORDER,
    disabled_text="#9AA4AE",
    hover_bg="#E8EDF3",
    ok_text="#1E6B3A",
    warning_text="#7A4B00",
    info_text="#1F4E79",
    accent_text=ACCENT,
    success_bg="#E3F2E8",
    success_border="#8FC19C",
    warning_bg="#FFF4D6",
    warning_border="#E6C96B",
    confirm_bg="#E8F0FB",
    slip_bg="#FFFBEA",
    primary_disabled_bg="#9DB8DC",
)

DARK: Final = ThemeColors(
    name="dark",
    window_bg="#1B1F24",
    card_bg="#252A31",
    card_border="#3D4550",
    input_bg="#1F2328",
    text="#E6EAEF",
    text_muted="#A7B1BC",
    accent=ACCENT,
    on_accent="#FFFFFF",
    focus="#6CB0F5",
    focus_on_accent="#FFFFFF",
    missing_text="#FF9A90",
    missing_bg="#4A2226",
    banner_border="#8C3B3B",
    disabled_text="#6E7781",
    hover_bg="#2F3640",
    ok_text="#7FD49A",
    warning_text="#FFC96B",
    info_text="#8CC4F5",
    accent_text="#6CB0F5",
    success_bg="#20462D",
    success_border="#346F48",
    warning_bg="#4A3E1C",
    warning_border="#7A6529",
    confirm_bg="#1C2F4A",
    slip_bg="#3A3420",
    primary_disabled_bg="#2B4C78",
)

THEMES: Final[dict[str, ThemeColors]] = {"light": LIGHT, "dark": DARK}


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of ``#RRGGBB`` (or ``#RGB``): 0 for black, 1 for white."""
    hexa = color.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(ch * 2 for ch in hexa)
    r, g, b = (int(hexa[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white).

    Text needs 4.5 (WCAG 1.4.3); a focus ring or a control's outline needs 3 (1.4.11).
    """
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)
