"""Words in a colour chosen in the light window, made readable on the current theme (no Qt).

Used where colours are set in code rather than in a sheet built from
:class:`~clinic_desk.ui.colors.ThemeColors` (an item view's row, a tooltip's rich text):
the theme's own colour when the light one is a theme colour, else the same hue made
lighter (on a dark fill) or darker (on a light one) until it reads at 4.5:1.
"""

from __future__ import annotations

import colorsys

from clinic_desk.ui.colors import LIGHT, ThemeColors, contrast_ratio

_THEME_WORDS = ("text", "text_muted", "missing_text", "disabled_text", "ok_text", "warning_text", "info_text")


def _long_hex(color: str) -> str:
    hexa = color.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(ch * 2 for ch in hexa)
    return "#" + hexa.upper()


def _hls(color: str) -> tuple[float, float, float]:
    hexa = _long_hex(color)
    r, g, b = (int(hexa[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)


def readable_text(color: str, background: str) -> str:
    """``color``, or the nearest shade of its hue that reads at 4.5:1 on ``background``
    (lighter on a dark fill, darker on a light one)."""
    h, lightness, s = _hls(color)
    step = 0.03 if _hls(background)[1] < 0.5 else -0.03
    candidate = _long_hex(color)
    while contrast_ratio(candidate, background) < 4.5 and 0.0 < lightness < 1.0:
        lightness = max(0.0, min(1.0, lightness + step))
        red, green, blue = colorsys.hls_to_rgb(h, lightness, s)
        candidate = f"#{round(red * 255):02X}{round(green * 255):02X}{round(blue * 255):02X}"
    return candidate


def words_for(light: str, colors: ThemeColors, background: str = "") -> str:
    """The colour for words given in the light theme's ``light`` colour, under ``colors``.

    White words stay white (they sit on a coloured fill of their own); a theme colour
    becomes its counterpart; any other hue reads at 4.5:1 on ``background`` (default: a card).
    """
    hexa = _long_hex(light)
    if hexa == "#FFFFFF":
        return hexa
    for field in _THEME_WORDS:
        if hexa == _long_hex(getattr(LIGHT, field)):
            return str(getattr(colors, field))
    return readable_text(hexa, background or colors.card_bg)
