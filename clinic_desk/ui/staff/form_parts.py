"""Small pieces the staff forms share: labelled fields, the message line, a busy state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from clinic_desk.ui.own_style import follow_theme, message_sheet

FIELD_WIDTH = 280


def line_edit(parent: QWidget, object_name: str, label: str, *, secret: bool = False) -> QLineEdit:
    """A field with an objectName and accessible name; ``secret`` hides what is typed."""
    edit = QLineEdit(parent)
    edit.setObjectName(object_name)
    edit.setAccessibleName(label.replace("&", ""))
    edit.setMinimumWidth(FIELD_WIDTH)
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        # No completion or copying out of a password field.
        edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    return edit


def caption(parent: QWidget, text: str, buddy: QLineEdit) -> QLabel:
    """The label above a field; its mnemonic (Alt+letter) moves the cursor there."""
    label = QLabel(text, parent)
    label.setObjectName(f"{buddy.objectName()}Label")
    label.setBuddy(buddy)
    return label


def message_line(parent: QWidget, object_name: str) -> QLabel:
    """The line under a form that says what went wrong (hidden while empty)."""
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName("Message")
    label.hide()
    return label


def say(label: QLabel, words: str, role: str = "error") -> None:
    """Show ``words`` on a message line in the colour of ``role`` ("" hides it)."""
    label.setText(words)
    label.setAccessibleDescription(words)
    label.setProperty("role", role)
    follow_theme(label, message_sheet(role))
    label.setVisible(bool(words))


def button(parent: QWidget, object_name: str, text: str, description: str = "") -> QPushButton:
    """A push button with an objectName, accessible name and description."""
    push = QPushButton(text, parent)
    push.setObjectName(object_name)
    push.setAccessibleName(text.replace("&", ""))
    if description:
        push.setAccessibleDescription(description)
        push.setToolTip(description)
    return push
