"""The application's small stylesheet: calm background, white cards, readable type."""

from __future__ import annotations

from clinic_desk.ui.colors import (
    ACCENT,
    BANNER_BG,
    BANNER_BORDER,
    CARD_BG,
    CARD_BORDER,
    MISSING_BG,
    MISSING_TEXT,
    PATIENT_STATUS_COLORS,
    TEXT,
    TEXT_MUTED,
    WINDOW_BG,
)


def _pills() -> str:
    return "\n".join(
        f'QLabel[role="pill"][patientStatus="{status}"] {{ background: {bg}; color: {fg}; '
        f"border: 1px solid {bg}; border-radius: 7px; padding: 1px 10px; }}"
        for status, (bg, fg) in PATIENT_STATUS_COLORS.items()
    )


STYLESHEET = f"""
QMainWindow, #dashContent, #dashEmptyPage, #troubleshootingBody {{ background: {WINDOW_BG}; }}
QWidget {{ color: {TEXT}; }}
QFrame[card="true"] {{
    background: {CARD_BG};
    border: 1px solid {CARD_BORDER};
    border-radius: 10px;
}}
QFrame[card="true"] QLabel {{ background: transparent; border: none; }}
QLabel[role="cardTitle"] {{
    color: {TEXT_MUTED}; font-weight: 600; font-size: 10pt;
}}
QLabel[role="patientName"] {{ font-size: 17pt; font-weight: 600; }}
QLabel[role="muted"], QLabel[role="fieldCaption"] {{ color: {TEXT_MUTED}; }}
QLabel[role="portalCaption"] {{ font-weight: 600; font-size: 11pt; }}
QLabel[role="pill"] {{ border-radius: 7px; padding: 1px 10px; font-weight: 600; font-size: 9pt; }}
{_pills()}
QFrame[role="rule"] {{ border: none; border-top: 1px solid {CARD_BORDER}; max-height: 1px; }}
QFrame[card="true"] QLabel[missing="true"] {{
    color: {MISSING_TEXT}; background: {MISSING_BG}; font-weight: 600;
    border-radius: 6px; padding: 3px 8px;
}}
QFrame[card="true"] QLabel[empty="true"] {{ color: {TEXT_MUTED}; font-style: italic; }}
#dashEmptyTitle {{ font-size: 15pt; font-weight: 600; color: {TEXT_MUTED}; }}
#errorBanner {{ background: {BANNER_BG}; border: 1px solid {BANNER_BORDER}; border-radius: 8px; }}
#errorBanner QLabel {{ background: transparent; color: {MISSING_TEXT}; font-weight: 600; }}
QProgressBar#busyIndicator {{ border: none; background: transparent; }}
QProgressBar#busyIndicator::chunk {{ background: {ACCENT}; }}
QToolBar#mainToolBar {{
    background: {CARD_BG}; border: none; border-bottom: 1px solid {CARD_BORDER};
    padding: 0px; spacing: 0px;
}}
#appTitle {{ font-size: 12pt; font-weight: 600; color: {TEXT}; }}
QLineEdit#patientSearch {{
    background: {WINDOW_BG}; border: 1px solid {CARD_BORDER}; border-radius: 8px;
    padding: 6px 8px; font-size: 10.5pt; selection-background-color: {ACCENT};
}}
QLineEdit#patientSearch:focus {{ border: 2px solid {ACCENT}; background: {CARD_BG}; padding: 5px 7px; }}
QListWidget#patientSearchResults {{
    background: {CARD_BG}; border: 1px solid {CARD_BORDER}; border-radius: 8px; padding: 4px; outline: none;
}}
QListWidget#patientSearchResults::item {{ padding: 6px 10px; border-radius: 6px; }}
QListWidget#patientSearchResults::item:selected {{ background: {ACCENT}; color: #FFFFFF; }}
QListWidget#patientSearchResults::item:hover:!selected {{ background: {WINDOW_BG}; }}
QFrame#patientSearchPopup {{ background: {CARD_BG}; border: 1px solid {CARD_BORDER}; border-radius: 8px; }}
QFrame#patientSearchPopup QListWidget#patientSearchResults {{ border: none; padding: 0px; }}
QLabel#patientSearchStatus {{ color: {TEXT}; border-top: 1px solid {CARD_BORDER}; padding: 6px 10px 2px; }}
QTreeWidget#portalEmails {{ border: none; background: {CARD_BG}; alternate-background-color: {WINDOW_BG}; }}
QTreeWidget#portalEmails::item {{ padding: 4px 2px; }}
QHeaderView::section {{
    background: {CARD_BG}; color: {TEXT_MUTED}; border: none; border-bottom: 1px solid {CARD_BORDER};
    padding: 4px 2px; font-weight: 600;
}}
QDockWidget#troubleshootingWizard {{ font-weight: 600; }}
QDockWidget#troubleshootingWizard::title {{
    background: {CARD_BG}; padding: 8px 12px; border-bottom: 1px solid {CARD_BORDER};
    border-left: 1px solid {CARD_BORDER};
}}
QStatusBar {{ background: {CARD_BG}; border-top: 1px solid {CARD_BORDER}; color: {TEXT_MUTED}; }}
QStatusBar QLabel {{ color: {TEXT_MUTED}; padding: 2px 8px; }}
QPushButton {{
    background: {CARD_BG}; border: 1px solid {CARD_BORDER}; border-radius: 6px; padding: 5px 14px;
}}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; padding: 4px 13px; }}
QToolTip {{
    background: {CARD_BG}; color: {TEXT}; border: 1px solid {CARD_BORDER}; padding: 8px;
}}
"""
