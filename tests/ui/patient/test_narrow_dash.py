"""Issue 13: the dash at 1024×768 (troubleshooting panel open) neither scrolls sideways nor clips."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from clinic_desk import Clinic
from clinic_desk.ui.colors import LIGHT, ThemeColors
from clinic_desk.ui.patient.contact_card import MISSING_REQUIRED
from clinic_desk.ui.patient.emails_card import TO, elide_address
from clinic_desk.ui.theme import apply_theme, reset_theme
from tests.ui.helpers import open_in

# A long folder, as a clinic's shared drive gives: the status bar must cut it, not the warning.
LONG_FOLDER = "Riverside Family Practice - Front Desk Shared Files - Patient Portal Database"


@pytest.fixture(autouse=True)
def theme(qapp: QApplication) -> Iterator[ThemeColors]:
    """The app's stylesheet, as staff see it (its paddings are what made the dash too wide)."""
    yield apply_theme(qapp, LIGHT)
    reset_theme(qapp)


@pytest.fixture
def long_path_clinic(tmp_path: Path, clock: Any) -> Iterator[Clinic]:
    """A real SQLite clinic in a deep, long-named folder, no email server set up."""
    folder = tmp_path / LONG_FOLDER / LONG_FOLDER
    folder.mkdir(parents=True)
    clinic = Clinic.open(f"sqlite:///{folder / 'clinic.db'}", clock=clock)
    yield clinic
    clinic.close()


def _narrow_window(qtbot: Any, make_window: Any, clinic: Clinic, patient_id: int, width: int = 1024) -> Any:
    window = make_window(clinic, persist=False, send_mail=False)
    window.resize(width, 768)
    open_in(qtbot, window, patient_id)
    window.show_troubleshooting()
    dock = window.troubleshooting_dock
    qtbot.waitUntil(lambda: dock.isVisible() and window.width() == width)
    window.resizeDocks([dock], [280], Qt.Orientation.Horizontal)
    return window


def _inside(outer: QRect, inner: QRect) -> bool:
    return outer.contains(inner.topLeft()) and outer.contains(inner.bottomRight())


@pytest.mark.parametrize("width", [1024, 900])
def test_a_missing_email_patient_fits_with_the_panel_open(qtbot, make_window, demo, width):
    clinic, ids = demo
    window = _narrow_window(qtbot, make_window, clinic, ids["red_missing_email"], width)
    dash = window.dash
    viewport = dash.dash_scroll.viewport()
    qtbot.waitUntil(lambda: viewport.width() < width - 280)  # the panel takes its share
    qtbot.waitUntil(lambda: dash.dash_scroll.horizontalScrollBar().maximum() == 0)
    email = dash.contact_card.values["email"]
    assert email.text() == MISSING_REQUIRED
    assert dash.contact_card.is_marked_missing("email")
    # Every word shows: the label has its whole width, and that width lies inside the dash.
    qtbot.waitUntil(lambda: email.width() >= email.sizeHint().width())
    shown = QRect(email.mapTo(viewport, QPoint(0, 0)), email.size())
    assert shown.left() >= 0
    assert shown.right() < viewport.width()
    assert dash.stacked
    # Stacked: the contact card under the photo block, both as wide as the dash.
    photo, card = dash.photo_block, dash.contact_card
    assert card.geometry().top() > photo.geometry().bottom()
    assert card.width() == photo.width()


def test_a_wide_dash_keeps_the_contact_card_beside_the_photo(qtbot, make_window, seeded):
    clinic, ids = seeded
    window = make_window(clinic, persist=False, send_mail=False)
    window.resize(1366, 768)
    window.troubleshooting_dock.hide()  # the whole width for the dash, whatever an earlier test left
    open_in(qtbot, window, ids["red"])
    dash = window.dash
    qtbot.waitUntil(lambda: dash.dash_scroll.viewport().width() > 1000)
    assert not dash.stacked
    assert dash.contact_card.geometry().left() > dash.photo_block.geometry().right()
    assert dash.dash_scroll.horizontalScrollBar().maximum() == 0


def test_the_dash_stacks_and_unstacks_as_the_panel_opens_and_closes(qtbot, make_window, seeded):
    clinic, ids = seeded
    window = _narrow_window(qtbot, make_window, clinic, ids["red"])
    dash = window.dash
    qtbot.waitUntil(lambda: dash.stacked)
    window.troubleshooting_dock.close()
    qtbot.waitUntil(lambda: not dash.stacked)
    assert dash.dash_scroll.horizontalScrollBar().maximum() == 0


def test_the_outbox_warning_shows_whole_at_1024_beside_a_long_database_path(
    qtbot, make_window, long_path_clinic
):
    window = make_window(long_path_clinic, persist=False, send_mail=False)
    window.resize(1024, 768)
    bar = window.statusBar()
    database = window.database_label
    qtbot.waitUntil(lambda: LONG_FOLDER in database.text())
    warning = window.findChild(type(database).__mro__[1], "outboxStatus")
    assert warning is not None
    qtbot.waitUntil(lambda: warning.isVisible() and "not set up" in warning.text())
    qtbot.waitUntil(lambda: window.width() == 1024)
    qtbot.waitUntil(lambda: _inside(bar.rect(), warning.geometry()))
    assert warning.width() >= warning.sizeHint().width()
    # The path gives way, cut in the middle: its start and its file name stay; the tooltip has it all.
    assert database.is_elided()
    assert database.shown_text().startswith("Database: ")
    assert database.shown_text().endswith("clinic.db")
    assert LONG_FOLDER in database.toolTip()
    assert database.geometry().right() < warning.geometry().left()


def test_an_address_gives_way_before_its_domain(qapp):
    metrics = QFontMetrics(qapp.font())
    address = "maria.gonzalez@gmial.com"
    whole = metrics.horizontalAdvance(address)
    assert elide_address(address, metrics, whole) == address
    cut = elide_address(address, metrics, whole - 20)
    assert cut.endswith("…@gmial.com")
    assert cut.startswith("maria")
    assert metrics.horizontalAdvance(cut) <= whole - 20
    assert elide_address(address, metrics, metrics.horizontalAdvance("…@gmial.com")) == "…@gmial.com"


@pytest.mark.parametrize("width", [1024, 1100])
def test_the_emails_table_keeps_the_domain_with_the_panel_open(qtbot, make_window, demo, width):
    clinic, ids = demo
    window = _narrow_window(qtbot, make_window, clinic, ids["red_unconfirmed"], width)
    table = window.dash.emails_card.table
    qtbot.waitUntil(lambda: table.topLevelItemCount() > 0 and table.isVisible())
    qtbot.waitUntil(lambda: window.dash.dash_scroll.viewport().width() < width - 280)
    item = table.topLevelItem(0)
    address = item.text(TO)
    assert address == "maria.gonzalez@gmial.com"
    index = table.indexFromItem(item, TO)

    def painted() -> QStyleOptionViewItem:
        option = QStyleOptionViewItem()
        option.initFrom(table.viewport())
        option.rect = table.visualRect(index)
        table.itemDelegateForColumn(TO).initStyleOption(option, index)
        return option

    # The columns are fitted again as the dock settles: wait for the layout, not a moment of it.
    qtbot.waitUntil(lambda: painted().text.endswith("@gmial.com"))  # the domain, where typos show
    option = painted()
    # What is painted fits the cell as it is, so the style does not cut it again.
    assert option.fontMetrics.horizontalAdvance(option.text) <= option.rect.width()
