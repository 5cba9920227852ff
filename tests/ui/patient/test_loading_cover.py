"""Opening the next patient covers the last one's cards with "Loading patient…" rather than
hiding them: the cards stay laid out (no second layout and polish of every card per open),
yet nothing of the last patient can be seen, focused or pressed while the next one loads."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from clinic_desk import Clinic
from tests.services.helpers import add_ready_patient
from tests.ui.helpers import open_in


@pytest.fixture
def window(make_window: Any, clinic: Clinic) -> Any:
    return make_window(clinic, persist=False, send_mail=False)


class _Hides(QObject):
    """Counts the Hide events a widget gets."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide:
            self.count += 1
        return False


def _pixels(widget: Any) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def _on_top_at_centre(dash: Any) -> Any:
    pages = dash.pages
    return pages.childAt(QPoint(pages.width() // 2, pages.height() // 2))


def test_the_next_patient_loads_behind_a_cover_and_the_cards_are_never_hidden(qtbot, clinic, window):
    ana = add_ready_patient(clinic)
    eva = add_ready_patient(clinic, first="Eva", email="eva@example.com")
    open_in(qtbot, window, ana)
    dash = window.dash
    hides = _Hides()
    dash.photo_block.installEventFilter(hides)
    dash.contact_card.edit_button.setFocus()
    assert QApplication.focusWidget() is dash.contact_card.edit_button

    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(eva)
        # Before the read comes back: Ana's cards are covered, not taken away.
        cover = dash.loading_cover
        assert cover.isVisible() and cover.title.text() == "Loading patient…"
        assert cover.geometry() == dash.pages.rect()
        top = _on_top_at_centre(dash)
        assert top is cover or cover.isAncestorOf(top)
        assert not dash.showing_patient
        assert dash.pages.currentIndex() == 1
        # Opaque: what the cards' area shows is the cover alone, no glimpse of Ana.
        assert _pixels(dash.pages) == _pixels(cover)
        # The keyboard is taken off Ana's buttons: Enter cannot edit anyone's contact details.
        assert QApplication.focusWidget() is cover

    assert not cover.isVisible() and dash.showing_patient
    assert dash.photo_block.name_label.text() == "Eva Lopez"
    assert hides.count == 0
    dash.photo_block.removeEventFilter(hides)


def test_a_failed_load_behind_the_cover_shows_no_one(qtbot, clinic, window):
    ana = add_ready_patient(clinic)
    open_in(qtbot, window, ana)
    with qtbot.waitSignal(window.session.load_failed):
        window.open_patient(99_999)
    dash = window.dash
    assert not dash.loading_cover.isVisible()
    assert dash.pages.currentIndex() == 0 and dash.empty_page.isVisible()
    assert dash.empty_page.title.text() == "The patient could not be loaded"
    assert not dash.photo_block.isVisible() and not dash.showing_patient


def test_the_first_patient_loads_on_the_empty_page_and_closing_takes_the_cover_away(qtbot, clinic, window):
    ana = add_ready_patient(clinic)
    dash = window.dash
    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(ana)
        # No cards yet: nothing to cover, the empty page says it.
        assert dash.pages.currentIndex() == 0 and dash.empty_page.title.text() == "Loading patient…"
        assert not dash.loading_cover.isVisible()
    eva = add_ready_patient(clinic, first="Eva", email="eva@example.com")
    window.open_patient(eva)
    assert dash.loading_cover.isVisible()
    window.close_patient()
    assert not dash.loading_cover.isVisible() and dash.pages.currentIndex() == 0
    assert not dash.showing_patient
