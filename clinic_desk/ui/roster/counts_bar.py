"""The live counts above the roster: by colour, by why access is off, and by trouble spot.

Each count is a button: clicking it (or Enter, or Space) filters the roster to it; clicking
the chosen one again, or "Show all", clears the filter. One count is chosen at a time.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from clinic_desk.domain import codes
from clinic_desk.domain.roster import ROSTER_TROUBLES, RosterFilter
from clinic_desk.ui.roster.flow_layout import FlowLayout
from clinic_desk.ui.roster.roster_model import color_icon
from clinic_desk.ui.roster.roster_words import COLOR_WORDS, REASON_WORDS, TROUBLE_WORDS

#: The kinds of count, the RosterFilter field each sets, and the group's title.
GROUPS = (
    ("color", "Portal", codes.COLORS),
    ("reason", "Why access is off", codes.RED_REASONS),
    ("trouble", "Trouble spots", ROSTER_TROUBLES),
)
_WORDS = {"color": COLOR_WORDS, "reason": REASON_WORDS, "trouble": TROUBLE_WORDS}


class CountButton(QPushButton):
    """One count; Enter clicks it as Space does (it is not in a dialog)."""

    def __init__(self, kind: str, code: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.kind, self.code = kind, code
        self.words = _WORDS[kind][code]
        self.count: int | None = None
        self.setObjectName(f"rosterCount_{code}")
        self.setCheckable(True)
        self.setAutoDefault(False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        if kind == "color":
            self.setIcon(color_icon(code))
        self.show_count(None)

    def show_count(self, count: int | None) -> None:
        """Show ``count`` (None: not read yet)."""
        self.count = count
        number = "…" if count is None else f"{count:,}"
        self.setText(f"{self.words}  {number}")
        self.setAccessibleName(f"{self.words}: {number}")
        shown = "patients" if count != 1 else "patient"
        self.setAccessibleDescription(f"Show only these {shown} (press again to show all)")
        self.setToolTip(f"{number} {shown} — click to show only them, again to show all")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
            return
        super().keyPressEvent(event)


class RosterCountsBar(QWidget):
    """The three rows of count buttons and "Show all".

    Signals:
        filter_chosen(str, object): a count was chosen (kind "color"/"reason"/"trouble", code),
            or cleared ("", None).
    """

    filter_chosen = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rosterCounts")
        self.setAccessibleName("Portal counts")
        self.setAccessibleDescription(
            "How many patients are in each portal state; press one to list only them"
        )
        self.buttons: dict[str, CountButton] = {}
        self.total_label = QLabel(self)
        self.total_label.setObjectName("rosterTotal")
        self.total_label.setAccessibleName("Patients in the roster")
        self.show_all_button = QPushButton("Show &all", self)
        self.show_all_button.setObjectName("rosterShowAll")
        self.show_all_button.setAccessibleName("Show all")
        self.show_all_button.setAccessibleDescription("Clear the count filter and list every patient")
        self.show_all_button.setAutoDefault(False)
        self.show_all_button.clicked.connect(self.clear)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        for line, (kind, title, code_list) in enumerate(GROUPS):
            label = QLabel(f"{title}:", self)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setContentsMargins(0, 6, 0, 0)
            label.setObjectName(f"rosterCountsTitle_{kind}")
            grid.addWidget(label, line, 0)
            # The buttons wrap to a second line in a narrow window (1024 pixels).
            holder = QWidget(self)
            holder.setObjectName(f"rosterCountsGroup_{kind}")
            holder.setAccessibleName(title)
            row = FlowLayout(holder)
            for code in code_list:
                button = CountButton(kind, code, holder)
                button.clicked.connect(lambda _checked=False, b=button: self._on_count_clicked(b))
                self.buttons[code] = button
                row.addWidget(button)
            grid.addWidget(holder, line, 1)
            label.setBuddy(self.buttons[code_list[0]])
        top = QHBoxLayout()
        top.addWidget(self.total_label)
        top.addStretch(1)
        top.addWidget(self.show_all_button)
        grid.addLayout(top, 0, 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        self._chosen: CountButton | None = None
        self._sync_checks()

    def show_counts(self, counts: Any) -> None:
        """Show a ``RosterCounts`` (``.by_color``, ``.by_reason``, ``.by_trouble``, ``.total``)."""
        found = {"color": counts.by_color, "reason": counts.by_reason, "trouble": counts.by_trouble}
        for button in self.buttons.values():
            button.show_count(int(found[button.kind].get(button.code, 0)))
        total = int(counts.total)
        self.total_label.setText(f"{total:,} patient{'s' if total != 1 else ''}")

    def chosen(self) -> tuple[str, str] | None:
        """The chosen count's (kind, code), or None."""
        return (self._chosen.kind, self._chosen.code) if self._chosen else None

    def apply_to(self, wanted: RosterFilter) -> RosterFilter:
        """``wanted`` narrowed to the chosen count."""
        if self._chosen is None:
            return wanted
        kind, code = self._chosen.kind, self._chosen.code
        return RosterFilter(
            color=code if kind == "color" else None,  # type: ignore[arg-type]
            reason=code if kind == "reason" else None,
            trouble=code if kind == "trouble" else None,
            text=wanted.text,
        )

    def choose(self, code: str | None) -> None:
        """Choose the count of ``code`` (None: none), as a click would."""
        button = self.buttons.get(code) if code else None
        if button is not self._chosen:
            self._chosen = button
            self._sync_checks()
            self.filter_chosen.emit(button.kind if button else "", code if button else None)
        self._sync_checks()

    def clear(self) -> None:
        """No count chosen: the roster lists everyone (matching the text)."""
        self.choose(None)

    def _on_count_clicked(self, button: CountButton) -> None:
        self.choose(None if button is self._chosen else button.code)

    def _sync_checks(self) -> None:
        for button in self.buttons.values():
            button.setChecked(button is self._chosen)
        self.show_all_button.setEnabled(self._chosen is not None)
