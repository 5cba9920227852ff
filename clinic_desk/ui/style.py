"""The application's stylesheet: calm background, white cards, readable type, visible focus.

:func:`build_stylesheet` makes it for one set of colours (light or dark, see
:mod:`clinic_desk.ui.theme`); :data:`STYLESHEET` is the light one.
"""

from __future__ import annotations

from clinic_desk.ui.colors import LIGHT, PATIENT_STATUS_COLORS, ThemeColors
from clinic_desk.ui.focus_style import focus_rules

#: An email needs room: a field whose objectName ends in "email"/"Email" (or says "mail") is this wide.
EMAIL_FIELD_MIN_WIDTH = "14em"  # about 28 characters


def _pills(dark: bool) -> str:
    # On a dark window the pale pill would glare: its text colour becomes the fill, with white words.
    return "\n".join(
        f'QLabel[role="pill"][patientStatus="{status}"] {{ background: {fg if dark else bg}; '
        f"color: {'#FFFFFF' if dark else fg}; border: 1px solid {fg if dark else bg}; "
        f"border-radius: 7px; padding: 1px 10px; }}"
        for status, (bg, fg) in PATIENT_STATUS_COLORS.items()
    )


def _base(c: ThemeColors) -> str:
    return f"""
QMainWindow, QDialog, #dashContent, #dashEmptyPage, #dashLoadingCover,
#troubleshootingBody {{ background: {c.window_bg}; }}
QWidget {{ color: {c.text}; }}
QFrame[card="true"] {{
    background: {c.card_bg};
    border: 1px solid {c.card_border};
    border-radius: 10px;
}}
QFrame[card="true"] QLabel {{ background: transparent; border: none; }}
QLabel[role="cardTitle"] {{
    color: {c.text_muted}; font-weight: 600; font-size: 10pt;
}}
QLabel[role="patientName"] {{ font-size: 17pt; font-weight: 600; }}
QLabel[role="muted"], QLabel[role="fieldCaption"] {{ color: {c.text_muted}; }}
QLabel[role="portalCaption"] {{ font-weight: 600; font-size: 11pt; }}
QLabel[role="pill"] {{ border-radius: 7px; padding: 1px 10px; font-weight: 600; font-size: 9pt; }}
{_pills(c.name == "dark")}
QFrame[role="rule"] {{ border: none; border-top: 1px solid {c.card_border}; max-height: 1px; }}
QFrame[card="true"] QLabel[missing="true"] {{
    color: {c.missing_text}; background: {c.missing_bg}; font-weight: 600;
    border-radius: 6px; padding: 3px 8px;
}}
QFrame[card="true"] QLabel[empty="true"] {{ color: {c.text_muted}; font-style: italic; }}
#dashEmptyTitle {{ font-size: 15pt; font-weight: 600; color: {c.text_muted}; }}
#errorBanner {{ background: {c.missing_bg}; border: 1px solid {c.banner_border}; border-radius: 8px; }}
#errorBanner QLabel {{ background: transparent; color: {c.missing_text}; font-weight: 600; }}
QProgressBar#busyIndicator {{ border: none; background: transparent; }}
QProgressBar#busyIndicator::chunk {{ background: {c.accent}; }}
QToolBar#mainToolBar {{
    background: {c.card_bg}; border: none; border-bottom: 1px solid {c.card_border};
    padding: 0px; spacing: 0px;
}}
#appTitle {{ font-size: 12pt; font-weight: 600; color: {c.text}; }}
#clinicNameLabel {{ font-size: 10.5pt; color: {c.text_muted}; }}
QLineEdit#patientSearch {{
    background: {c.window_bg}; border: 1px solid {c.card_border}; border-radius: 8px;
    padding: 6px 8px; font-size: 10.5pt;
}}
QLineEdit#patientSearch:focus {{ background: {c.input_bg}; padding: 5px 7px; }}
QListWidget#patientSearchResults {{
    background: {c.card_bg}; border: 1px solid {c.card_border}; border-radius: 8px; padding: 4px;
    outline: none;
}}
QListWidget#patientSearchResults::item {{ padding: 6px 10px; border-radius: 6px; }}
QListWidget#patientSearchResults::item:selected {{ background: {c.accent}; color: {c.on_accent}; }}
QListWidget#patientSearchResults::item:hover:!selected {{ background: {c.hover_bg}; }}
QFrame#patientSearchPopup {{
    background: {c.card_bg}; border: 1px solid {c.card_border}; border-radius: 8px;
}}
QFrame#patientSearchPopup QListWidget#patientSearchResults {{ border: none; padding: 0px; }}
QLabel#patientSearchStatus {{
    color: {c.text}; border-top: 1px solid {c.card_border}; padding: 6px 10px 2px;
}}
QTreeWidget#portalEmails {{
    border: 2px solid transparent; background: {c.card_bg}; alternate-background-color: {c.window_bg};
}}
QTreeWidget#portalEmails::item {{ padding: 4px 2px; }}
QHeaderView::section {{
    background: {c.card_bg}; color: {c.text_muted}; border: none; border-bottom: 1px solid {c.card_border};
    padding: 4px 2px; font-weight: 600;
}}
QDockWidget#troubleshootingWizard {{ font-weight: 600; }}
QDockWidget#troubleshootingWizard::title {{
    background: {c.card_bg}; padding: 8px 12px; border-bottom: 1px solid {c.card_border};
    border-left: 1px solid {c.card_border};
}}
QStatusBar {{ background: {c.card_bg}; border-top: 1px solid {c.card_border}; color: {c.text_muted}; }}
QStatusBar QLabel {{ color: {c.text_muted}; padding: 2px 8px; }}
QPushButton {{
    background: {c.card_bg}; border: 1px solid {c.card_border}; border-radius: 6px; padding: 5px 14px;
}}
QPushButton:hover {{ border-color: {c.accent}; }}
QPushButton:disabled {{ color: {c.disabled_text}; }}
QToolTip {{
    background: {c.card_bg}; color: {c.text}; border: 1px solid {c.card_border}; padding: 8px;
}}
QMenuBar {{ background: {c.card_bg}; }}
QMenuBar::item:selected {{ background: {c.hover_bg}; }}
QMenu {{ background: {c.card_bg}; border: 1px solid {c.card_border}; padding: 4px 0px; }}
QMenu::item {{ padding: 5px 24px 5px 20px; }}
QMenu::item:selected {{ background: {c.accent}; color: {c.on_accent}; }}
QMenu::item:disabled {{ color: {c.disabled_text}; }}
QMenu::separator {{ height: 1px; background: {c.card_border}; margin: 4px 8px; }}
QLineEdit, QTextEdit, QPlainTextEdit, QSpinBox, QDateEdit, QComboBox {{
    background: {c.input_bg}; border: 1px solid {c.card_border}; border-radius: 6px; padding: 4px 6px;
    selection-background-color: {c.accent}; selection-color: {c.on_accent};
}}
QLineEdit:read-only {{ background: {c.window_bg}; }}
QLineEdit:disabled, QComboBox:disabled, QSpinBox:disabled, QDateEdit:disabled {{ color: {c.disabled_text}; }}
QComboBox QAbstractItemView {{
    background: {c.card_bg}; border: 1px solid {c.card_border};
    selection-background-color: {c.accent}; selection-color: {c.on_accent};
}}
QLineEdit[objectName$="email"], QLineEdit[objectName$="Email"], QLineEdit[objectName*="mail"] {{
    min-width: {EMAIL_FIELD_MIN_WIDTH};
}}
#troubleshootingWizardPanel QLineEdit {{ min-width: 0px; }}
QTabWidget::pane {{ border: 1px solid {c.card_border}; background: {c.card_bg}; }}
QTabBar::tab {{
    background: {c.window_bg}; border: 1px solid {c.card_border}; padding: 5px 12px;
    border-top-left-radius: 6px; border-top-right-radius: 6px;
}}
QTabBar::tab:selected {{ background: {c.card_bg}; font-weight: 600; }}
QAbstractItemView {{
    background: {c.card_bg}; alternate-background-color: {c.window_bg};
    selection-background-color: {c.accent}; selection-color: {c.on_accent};
}}
QGroupBox {{ border: 1px solid {c.card_border}; border-radius: 6px; margin-top: 10px; padding-top: 6px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0px 4px; color: {c.text_muted}; }}
QMessageBox, QProgressDialog {{ background: {c.window_bg}; }}
"""


def build_stylesheet(colors: ThemeColors) -> str:
    """The whole application stylesheet for ``colors``; the focus rules come last so they win."""
    return _base(colors) + focus_rules(colors)


STYLESHEET = build_stylesheet(LIGHT)
