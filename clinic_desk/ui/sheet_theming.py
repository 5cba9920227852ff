"""Bring a widget's own stylesheet in line with the theme (pure text, no Qt).

A widget's own stylesheet beats the application's whatever the selectors, so the
app-wide focus rules and dark colours cannot reach inside it. Several panels carry
their own sheet written for the light window; :func:`themed_sheet` rewrites such a
sheet for the current colours: light colours become their dark counterparts, words
too faint for their fill are made to read at 4.5:1 (on both themes), and each rule
that draws a focusable control gets a ``:focus`` twin with the theme's ring.
"""

from __future__ import annotations

import colorsys
import re

from clinic_desk.ui.colors import LIGHT, ThemeColors, contrast_ratio

#: Appended to a rewritten sheet, naming the theme it was written for.
MARKER = "/* clinic-desk theme: {name} */"

_RULE = re.compile(r"(?P<selectors>[^{}]*)\{(?P<body>[^{}]*)\}")
_DECLARATION = re.compile(r"(?<![\w-])(?P<prop>[a-z-]+)(?P<colon>\s*:\s*)(?P<value>[^;{}]*)")
_HEX = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})\b")
_FOCUSABLE = {
    "QPushButton",
    "QToolButton",
    "QLineEdit",
    "QComboBox",
    "QCheckBox",
    "QRadioButton",
    "QSpinBox",
    "QDateEdit",
    "QTextEdit",
    "QPlainTextEdit",
    "QAbstractItemView",
    "QListView",
    "QListWidget",
    "QTreeView",
    "QTreeWidget",
    "QTableView",
    "QTableWidget",
}
_TEXT_PROPS = {"color", "selection-color"}
_BACKGROUND_PROPS = {
    "background",
    "background-color",
    "alternate-background-color",
    "selection-background-color",
}
_TEXT_FIELDS = {"text", "text_muted", "missing_text", "disabled_text"}
_BACKGROUND_FIELDS = {"window_bg", "card_bg", "input_bg", "missing_bg", "hover_bg"}
_BORDER_FIELDS = {"card_border", "banner_border"}


def _hls(color: str) -> tuple[float, float, float]:
    hexa = _long_hex(color)
    r, g, b = (int(hexa[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)


def _long_hex(color: str) -> str:
    hexa = color.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(ch * 2 for ch in hexa)
    return "#" + hexa.upper()


def _from_hls(h: float, lightness: float, s: float) -> str:
    r, g, b = colorsys.hls_to_rgb(h, max(0.0, min(1.0, lightness)), max(0.0, min(1.0, s)))
    return f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


def _known(colors: ThemeColors, names: set[str]) -> dict[str, str]:
    """Light colour → this theme's colour, for the named fields."""
    return {_long_hex(getattr(LIGHT, n)): getattr(colors, n) for n in names}


def readable_text(color: str, background: str) -> str:
    """``color``, made lighter on a dark ``background`` (darker on a light one), same hue,
    until it reads at 4.5:1."""
    h, lightness, s = _hls(color)
    step = 0.03 if _hls(background)[1] < 0.5 else -0.03
    candidate = _long_hex(color)
    while contrast_ratio(candidate, background) < 4.5 and 0.0 < lightness < 1.0:
        lightness = max(0.0, min(1.0, lightness + step))
        candidate = _from_hls(h, lightness, s)
    return candidate


def theme_color(color: str, prop: str, selectors: str, colors: ThemeColors, under: str = "") -> str:
    """The colour a light-theme ``color`` used by ``prop`` becomes under ``colors``.

    On the light theme only words change, and only those that would read below 4.5:1.
    """
    if colors.name != "light":
        return dark_color(color, prop, selectors, colors, under)
    if prop in _TEXT_PROPS and _long_hex(color) != "#FFFFFF":
        return readable_text(color, under or colors.card_bg)
    return color


def dark_color(color: str, prop: str, selectors: str, colors: ThemeColors, under: str = "") -> str:
    """The dark theme's stand-in for a light-theme ``color`` used by ``prop``.

    ``under`` is the (dark) fill the rule puts behind its text, when it sets one.
    """
    light = _long_hex(color)
    h, lightness, s = _hls(light)
    if prop in _TEXT_PROPS:
        known = _known(colors, _TEXT_FIELDS)
        if light in known:
            return known[light]
        if light == "#FFFFFF":
            return light  # white words sit on a coloured fill (a badge, a blue button)
        return readable_text(light, under or colors.card_bg)
    if prop in _BACKGROUND_PROPS:
        known = _known(colors, _BACKGROUND_FIELDS)
        if light == "#FFFFFF":
            return colors.input_bg
        if light in known:
            return known[light]
        # A pale tint (a warning, a success note) becomes a deep tint of the same hue.
        return _from_hls(h, 0.2, min(s, 0.45)) if lightness >= 0.82 else light
    if ":focus" in selectors and light == _long_hex(LIGHT.focus):
        return colors.focus
    known = _known(colors, _BORDER_FIELDS)
    if light in known:
        return known[light]
    return _from_hls(h, 0.32, min(s, 0.5)) if lightness >= 0.7 else light


def _is_colour_prop(prop: str) -> bool:
    return prop in _TEXT_PROPS or prop in _BACKGROUND_PROPS or prop.startswith("border")


def _translate_body(body: str, selectors: str, colors: ThemeColors) -> str:
    fill = _HEX.search(_declared(body).get("background", _declared(body).get("background-color", "")))
    under = theme_color(fill[0], "background", selectors, colors) if fill else ""

    def declaration(match: re.Match[str]) -> str:
        prop = match["prop"]
        if not _is_colour_prop(prop):
            return match[0]
        value = _HEX.sub(lambda hexa: theme_color(hexa[0], prop, selectors, colors, under), match["value"])
        return f"{prop}{match['colon']}{value}"

    return _DECLARATION.sub(declaration, body)


def _declared(body: str) -> dict[str, str]:
    return {m["prop"]: m["value"].strip() for m in _DECLARATION.finditer(body)}


def _focus_twin(selectors: str, body: str, colors: ThemeColors) -> str:
    """A ``:focus`` rule for the focusable controls ``selectors`` draws, or ""."""
    declared = _declared(body)
    if not any(p.startswith("border") or p in _BACKGROUND_PROPS for p in declared):
        return ""
    if declared.get("border", "").lower() in {"none", "0", "0px"}:
        return ""  # drawn without a frame on purpose (a link-like button); it brings its own focus
    twins = []
    for selector in (s.strip() for s in selectors.split(",")):
        last = selector.split()[-1] if selector else ""
        kind = re.match(r"[A-Za-z]*", last)
        if not kind or kind[0] not in _FOCUSABLE or "::" in last or ":focus" in selector:
            continue
        if ":disabled" in selector:
            continue
        twins.append(f"{selector}:focus")
    if not twins:
        return ""
    fill = declared.get("background", declared.get("background-color", ""))
    on_accent = _long_hex(colors.accent) in fill.upper() or _long_hex(LIGHT.accent) in fill.upper()
    ring = colors.focus_on_accent if on_accent else colors.focus
    width = " border-width: 2px; border-style: solid;" if "border" in declared else ""
    return f"{', '.join(twins)} {{{width} border-color: {ring}; }}"


def themed_sheet(sheet: str, colors: ThemeColors) -> str:
    """``sheet`` (written for the light window) rewritten for ``colors``, ending in :data:`MARKER`."""
    rules = list(_RULE.finditer(sheet))
    if not rules:  # bare declarations: "color: #B3261E; font-weight: 600;"
        body = _translate_body(sheet, "", colors)
        return f"{body}\n{MARKER.format(name=colors.name)}"
    out: list[str] = []
    twins: list[str] = []
    for rule in rules:
        selectors, body = rule["selectors"], rule["body"]
        body = _translate_body(body, selectors, colors)
        out.append(f"{selectors}{{{body}}}")
        twin = _focus_twin(selectors, body, colors)
        if twin:
            twins.append(twin)
    return "".join(out) + "\n" + "\n".join(twins) + "\n" + MARKER.format(name=colors.name)


def themed_for(sheet: str) -> str | None:
    """The theme name a rewritten ``sheet`` was written for, or None for an original sheet."""
    found = re.search(r"/\* clinic-desk theme: (\w+) \*/\s*$", sheet)
    return found[1] if found else None
