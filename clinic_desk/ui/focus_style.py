"""Visible focus for every control a receptionist can tab to (WCAG 2.4.7 and 2.4.11).

Each focusable kind gets a ring of the theme's ``focus`` colour, at least 3:1 against the
window and the cards; a blue (primary or default) button gets ``focus_on_accent``, which
stands out from the blue fill too. Unfocused controls keep a border of the same width
(transparent or a quiet colour), so nothing shifts when focus arrives.
"""

from __future__ import annotations

from clinic_desk.ui.colors import ThemeColors

#: The kinds of controls the app-wide focus rules cover (tests render each one focused).
FOCUSABLE_KINDS = (
    "QPushButton",
    "QToolButton",
    "QLineEdit",
    "QComboBox",
    "QCheckBox",
    "QRadioButton",
    "QAbstractItemView",
    "QTextEdit",
    "QPlainTextEdit",
    "QScrollArea",
    "QSpinBox",
    "QDateEdit",
)


def focus_rules(c: ThemeColors) -> str:
    """The focus rules for ``c``: appended last to the application stylesheet."""
    return f"""
QPushButton:focus {{ border: 2px solid {c.focus}; padding: 4px 13px; }}
QPushButton[role="primary"] {{ font-weight: 600; }}
QPushButton[role="primary"]:focus, QPushButton:default:focus {{ border-color: {c.focus_on_accent}; }}
QPushButton[role="primary"]:focus {{ border-width: 3px; padding: 3px 12px; }}
QToolButton {{ border: 2px solid transparent; border-radius: 6px; padding: 2px; }}
QToolButton:focus {{ border-color: {c.focus}; }}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDateEdit:focus {{
    border: 2px solid {c.focus}; padding: 3px 5px;
}}
QLineEdit#patientSearch:focus {{ border: 2px solid {c.focus}; padding: 5px 7px; }}
QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 5px; padding: 1px 3px; }}
QCheckBox:focus, QRadioButton:focus {{ border-color: {c.focus}; }}
QAbstractItemView, QTextEdit, QPlainTextEdit {{ border: 1px solid {c.card_border}; padding: 1px; }}
QAbstractItemView:focus, QTextEdit:focus, QPlainTextEdit:focus {{
    border: 2px solid {c.focus}; padding: 0px;
}}
QHeaderView {{ border: none; padding: 0px; }}
QTreeWidget#portalEmails {{ border: 2px solid transparent; padding: 0px; }}
QTreeWidget#portalEmails:focus {{ border-color: {c.focus}; }}
QListWidget#patientSearchResults {{ border: 1px solid {c.card_border}; padding: 4px; }}
QListWidget#patientSearchResults:focus {{ border: 2px solid {c.focus}; padding: 3px; }}
QScrollArea:focus {{ border: 2px solid {c.focus}; }}
"""
