"""The wizard panel's own stylesheet (set on the panel, on top of the application's)."""

from __future__ import annotations

from clinic_desk.ui.colors import ACCENT, CARD_BORDER, MISSING_BG, MISSING_TEXT, STATUS_COLORS, TEXT_MUTED

WARNING_BG = "#FFF4D6"
WARNING_TEXT = "#6B4A00"
SUCCESS_BG = "#E3F2E8"
SUCCESS_TEXT = "#1E6B3A"
CONFIRM_BG = "#E8F0FB"
SLIP_BG = "#FFFBEA"
FOCUS = ACCENT


def _badges() -> str:
    return "\n".join(
        f'QLabel#wizardColor[portalStatus="{color}"] {{ background: {tint}; color: #FFFFFF; }}'
        for color, tint in STATUS_COLORS.items()
        if color
    )


PANEL_STYLESHEET = f"""
#troubleshootingWizardPanel {{ border-left: 1px solid {CARD_BORDER}; font-weight: normal; }}
#wizardBody {{ background: transparent; }}
QLabel#wizardTitle {{ font-size: 12pt; font-weight: 600; }}
QLabel#wizardColor {{
    border-radius: 7px; padding: 2px 10px; font-weight: 600; font-size: 9pt;
    background: {STATUS_COLORS[""]}; color: #FFFFFF;
}}
{_badges()}
QLabel[role="sectionTitle"] {{ color: {TEXT_MUTED}; font-weight: 600; font-size: 9.5pt; }}
QLabel[role="stepCaption"] {{ color: {TEXT_MUTED}; font-weight: 600; font-size: 8.5pt; }}
QLabel[role="stepTitle"] {{ font-weight: 600; font-size: 10.5pt; }}
QLabel[role="tipTitle"] {{ font-weight: 600; }}
QLabel[role="muted"], QLabel[role="detailLabel"], QLabel[role="fieldHelp"] {{ color: {TEXT_MUTED}; }}
QLabel[role="warning"] {{
    background: {WARNING_BG}; color: {WARNING_TEXT}; border-radius: 6px; padding: 6px 8px;
}}
QLabel[role="error"] {{
    background: {MISSING_BG}; color: {MISSING_TEXT}; border-radius: 6px; padding: 6px 8px;
    font-weight: 600;
}}
QLabel[role="fieldError"] {{ color: {MISSING_TEXT}; font-weight: 600; }}
QLabel[role="success"] {{
    background: {SUCCESS_BG}; color: {SUCCESS_TEXT}; border-radius: 6px; padding: 6px 8px;
    font-weight: 600;
}}
QFrame#wizardFeedbackBox {{ border-radius: 6px; background: #F3F5F8; border: 1px solid {CARD_BORDER}; }}
QFrame#wizardFeedbackBox[role="success"] {{ background: {SUCCESS_BG}; border-color: {SUCCESS_BG}; }}
QFrame#wizardFeedbackBox[role="warning"] {{ background: {WARNING_BG}; border-color: {WARNING_BG}; }}
QFrame#wizardFeedbackBox[role="error"] {{ background: {MISSING_BG}; border-color: {MISSING_BG}; }}
QLabel[role="feedback"] {{ background: transparent; font-weight: 600; }}
QLabel[role="feedback"][outcome="success"] {{ color: {SUCCESS_TEXT}; }}
QLabel[role="feedback"][outcome="warning"] {{ color: {WARNING_TEXT}; }}
QLabel[role="feedback"][outcome="error"] {{ color: {MISSING_TEXT}; }}
QLabel[role="busy"] {{ color: {ACCENT}; font-weight: 600; }}
QLabel[role="matchResult"] {{
    background: #F7F9FC; border: 1px solid {CARD_BORDER}; border-radius: 6px; padding: 6px 8px;
}}
QLabel[role="matchResult"][outcome="can_create"] {{ background: {SUCCESS_BG}; color: {SUCCESS_TEXT}; }}
QFrame#wizardConfirmBar {{ background: {CONFIRM_BG}; border: 1px solid {ACCENT}; border-radius: 8px; }}
QFrame#wizardConfirmBar QLabel {{ background: transparent; font-weight: 600; }}
QFrame#temporaryPasswordSlip {{ background: {SLIP_BG}; border: 1px solid #E6C96B; border-radius: 10px; }}
QFrame#temporaryPasswordSlip QLabel {{ background: transparent; }}
QLineEdit {{
    background: #FFFFFF; border: 1px solid {CARD_BORDER}; border-radius: 6px; padding: 4px 6px;
}}
QLineEdit:focus {{ border: 2px solid {FOCUS}; padding: 3px 5px; }}
QLineEdit[readOnly="true"] {{ background: #F3F5F8; }}
QLineEdit[invalid="true"] {{ border: 2px solid {MISSING_TEXT}; padding: 3px 5px; background: {MISSING_BG}; }}
QLineEdit#temporaryPassword {{
    font-family: "DejaVu Sans Mono", "Consolas", "Menlo", monospace; font-size: 14pt; font-weight: 600;
    letter-spacing: 1px; background: #FFFFFF;
}}
QPushButton[role="primary"] {{
    background: {ACCENT}; color: #FFFFFF; border-color: {ACCENT}; font-weight: 600;
}}
QPushButton[role="primary"]:disabled {{ background: #9DB8DC; border-color: #9DB8DC; }}
QPushButton:disabled {{ color: #9AA4AE; }}
QLabel[role="optionLabel"] {{ font-weight: 600; }}
"""
