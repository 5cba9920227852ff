"""The wizard panel's own stylesheet (set on the panel, on top of the application's).

Built for one set of colours: the panel follows the theme with
:func:`clinic_desk.ui.own_style.follow_theme`. Its own sheet outranks the application's
focus rules, so the rules here that draw a field or a blue button bring their focus ring.
"""

from __future__ import annotations

from clinic_desk.ui.colors import BADGE_COLORS, ThemeColors


def _badges() -> str:
    return "\n".join(
        f'QLabel#wizardColor[portalStatus="{color}"] {{ background: {fill}; color: #FFFFFF; }}'
        for color, fill in BADGE_COLORS.items()
        if color
    )


def panel_stylesheet(c: ThemeColors) -> str:
    """The troubleshooting panel's stylesheet in the colours ``c``."""
    return f"""
#troubleshootingWizardPanel {{ border-left: 1px solid {c.card_border}; font-weight: normal; }}
#wizardBody {{ background: transparent; }}
QLabel#wizardTitle {{ font-size: 12pt; font-weight: 600; }}
QLabel#wizardColor {{
    border-radius: 7px; padding: 2px 10px; font-weight: 600; font-size: 9pt;
    background: {BADGE_COLORS[""]}; color: #FFFFFF;
}}
{_badges()}
QLabel[role="sectionTitle"] {{ color: {c.text_muted}; font-weight: 600; font-size: 9.5pt; }}
QLabel[role="stepCaption"] {{ color: {c.text_muted}; font-weight: 600; font-size: 8.5pt; }}
QLabel[role="stepTitle"] {{ font-weight: 600; font-size: 10.5pt; }}
QLabel[role="tipTitle"] {{ font-weight: 600; }}
QLabel[role="muted"], QLabel[role="detailLabel"], QLabel[role="fieldHelp"] {{ color: {c.text_muted}; }}
QLabel[role="warning"] {{
    background: {c.warning_bg}; color: {c.warning_text}; border-radius: 6px; padding: 6px 8px;
}}
QLabel[role="error"] {{
    background: {c.missing_bg}; color: {c.missing_text}; border-radius: 6px; padding: 6px 8px;
    font-weight: 600;
}}
QLabel[role="fieldError"] {{ color: {c.missing_text}; font-weight: 600; }}
QLabel[role="success"] {{
    background: {c.success_bg}; color: {c.ok_text}; border-radius: 6px; padding: 6px 8px;
    font-weight: 600;
}}
QFrame#wizardFeedbackBox {{
    border-radius: 6px; background: {c.window_bg}; border: 1px solid {c.card_border};
}}
QFrame#wizardFeedbackBox[role="success"] {{ background: {c.success_bg}; border-color: {c.success_border}; }}
QFrame#wizardFeedbackBox[role="warning"] {{ background: {c.warning_bg}; border-color: {c.warning_border}; }}
QFrame#wizardFeedbackBox[role="error"] {{ background: {c.missing_bg}; border-color: {c.banner_border}; }}
QLabel[role="feedback"] {{ background: transparent; font-weight: 600; }}
QLabel[role="feedback"][outcome="success"] {{ color: {c.ok_text}; }}
QLabel[role="feedback"][outcome="warning"] {{ color: {c.warning_text}; }}
QLabel[role="feedback"][outcome="error"] {{ color: {c.missing_text}; }}
QLabel[role="busy"] {{ color: {c.accent_text}; font-weight: 600; }}
QLabel[role="matchResult"] {{
    background: {c.window_bg}; border: 1px solid {c.card_border}; border-radius: 6px; padding: 6px 8px;
}}
QLabel[role="matchResult"][outcome="can_create"] {{ background: {c.success_bg}; color: {c.ok_text}; }}
QFrame#wizardConfirmBar {{ background: {c.confirm_bg}; border: 1px solid {c.accent}; border-radius: 8px; }}
QFrame#wizardConfirmBar QLabel {{ background: transparent; font-weight: 600; }}
QFrame#temporaryPasswordSlip {{
    background: {c.slip_bg}; border: 1px solid {c.warning_border}; border-radius: 10px;
}}
QFrame#temporaryPasswordSlip QLabel {{ background: transparent; }}
QLineEdit {{
    background: {c.input_bg}; border: 1px solid {c.card_border}; border-radius: 6px; padding: 4px 6px;
}}
QLineEdit:focus {{ border: 2px solid {c.focus}; padding: 3px 5px; }}
QLineEdit[readOnly="true"] {{ background: {c.window_bg}; }}
QLineEdit[invalid="true"] {{
    border: 2px solid {c.missing_text}; padding: 3px 5px; background: {c.missing_bg};
}}
QLineEdit[invalid="true"]:focus {{ border-color: {c.focus}; }}
QLineEdit#temporaryPassword {{
    font-family: "DejaVu Sans Mono", "Consolas", "Menlo", monospace; font-size: 14pt; font-weight: 600;
    letter-spacing: 1px; background: {c.input_bg};
}}
QPushButton[role="primary"] {{
    background: {c.accent}; color: {c.on_accent}; border-color: {c.accent}; font-weight: 600;
}}
QPushButton[role="primary"]:focus {{ border-color: {c.focus_on_accent}; }}
QPushButton[role="primary"]:disabled {{
    background: {c.primary_disabled_bg}; border-color: {c.primary_disabled_bg};
}}
QPushButton:disabled {{ color: {c.disabled_text}; }}
QLabel[role="optionLabel"] {{ font-weight: 600; }}
"""
