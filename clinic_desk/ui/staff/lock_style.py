"""The lock screen's own look, written in the theme's colours (light or dark).

The screen gives it to itself with :func:`clinic_desk.ui.own_style.follow_theme`.
"""

from __future__ import annotations

from clinic_desk.ui.colors import ThemeColors


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
