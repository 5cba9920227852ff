"""Print a short text (the temporary password slip) with the system's print dialog."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

#: ``print_function(parent, title, text) -> bool``: True when the page went to the printer.
PrintFunction = Callable[[QWidget, str, str], bool]


def slip_html(title: str, text: str) -> str:
    """The printed page: a heading, then the lines of ``text``."""
    lines = "".join(f"<p style='font-size:14pt'>{escape(line)}</p>" for line in text.splitlines())
    return f"<h2>{escape(title)}</h2>{lines}"


def print_with_dialog(parent: QWidget, title: str, text: str) -> bool:
    """Ask for a printer with QPrintDialog, then print ``text`` (modal: tests inject another function)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    document = QTextDocument()
    document.setHtml(slip_html(title, text))
    document.print_(printer)
    return True
