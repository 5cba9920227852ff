"""What the import dialog tests share: files written in the test, a keyboard, opening the dialog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

TIMEOUT = 20_000
ALT = Qt.KeyboardModifier.AltModifier


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    """A small CSV file as another system would export it."""
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


class Keys:
    """Keys to whatever has the focus, as a receptionist would press them."""

    def __init__(self, qtbot: Any, dialog: Any) -> None:
        self.qtbot = qtbot
        self.dialog = dialog
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT)

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        return widget if widget is not None else self.dialog

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.focused(), key, modifier)

    def alt(self, key: Qt.Key) -> None:
        """A mnemonic (Alt+letter) of the dialog's buttons."""
        self.press(key, ALT)

    def type(self, text: str) -> None:
        box = self.focused()
        assert isinstance(box, QLineEdit), f"typing into {box.objectName()!r}, not a box"
        box.selectAll()
        self.qtbot.keyClicks(box, text)


def open_dialog(qtbot: Any, window: Any) -> Any:
    """File ▸ Import patients…; waits until the dialog shows with the file box focused."""
    window.patient_import.action.trigger()
    dialog = window.patient_import.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def choose_file_by_keys(qtbot: Any, keys: Keys, dialog: Any, path: Path) -> Any:
    """Alt+F, type the path, Enter: waits for the preview."""
    keys.alt(Qt.Key.Key_F)
    assert keys.focused() is dialog.path_field
    keys.type(str(path))
    with qtbot.waitSignal(dialog.preview_shown, timeout=TIMEOUT) as shown:
        keys.press(Qt.Key.Key_Return)
    return shown.args[0]


def column_of(dialog: Any, field: str) -> int:
    """The preview table's column showing ``field``."""
    return 2 + dialog.preview_model.fields.index(field)


def charts_in(clinic: Any) -> int:
    """How many charts the clinic holds (every colour)."""
    return sum(clinic.count_by_color().values())


def samples_folder() -> Path | None:
    """The team's shared sample files (``../shared/samples/import`` beside the project), if present."""
    project = Path(__file__).resolve().parents[3]
    for root in (project.parent, project.parent.parent):  # a clone, or a worktree one level deeper
        folder = root / "shared" / "samples" / "import"
        if folder.is_dir():
            return folder
    return None
