"""The adoption chart: its numbers in words, its empty record, and what it paints in each theme."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QColor, QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip

from clinic_desk.domain.roster import Adoption, AdoptionMonth
from clinic_desk.ui.colors import DARK, LIGHT, STATUS_COLORS
from clinic_desk.ui.roster.adoption_chart import AdoptionChart
from clinic_desk.ui.roster.adoption_words import shares
from clinic_desk.ui.theme import apply_theme, reset_theme

YEAR = (
    AdoptionMonth(date(2025, 12, 1), red=52, gold=31, blue=17),
    *(AdoptionMonth(date(2026, m, 1), red=40 - 2 * m, gold=30, blue=30 + 2 * m) for m in range(1, 11)),
    AdoptionMonth(date(2026, 11, 1), red=13, gold=25, blue=62),
)


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    reset_theme(qapp)


def _chart(qtbot, adoption: Adoption | None) -> AdoptionChart:
    chart = AdoptionChart()
    qtbot.addWidget(chart)
    chart.resize(560, 280)
    chart.show_adoption(adoption)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def _pixels(chart: AdoptionChart) -> Counter[str]:
    image = chart.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return Counter(
        QColor(image.pixel(x, y)).name().upper() for y in range(image.height()) for x in range(image.width())
    )


def test_the_description_says_every_month_in_words_newest_first(qtbot):
    chart = _chart(qtbot, Adoption(YEAR, median_days_to_first_login=11.6))
    words = chart.accessibleDescription()
    assert words.index("November 2026: 62% blue, 25% gold, 13% red") < words.index("December 2025: 17% blue")
    assert "December 2025: 17% blue, 31% gold, 52% red" in words
    assert words.count("% blue") == 12
    assert words.endswith("first portal login: 12 days.")
    assert chart.objectName() == "adoptionChart"
    assert chart.accessibleName() == "Portal adoption chart"


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((1, 1, 1), {"red": 33, "gold": 33, "blue": 34}),
        ((0, 0, 0), {"red": 0, "gold": 0, "blue": 0}),
        ((1, 0, 99), {"red": 1, "gold": 0, "blue": 99}),
        ((2, 1, 0), {"red": 67, "gold": 33, "blue": 0}),
    ],
)
def test_shares_are_whole_percentages_that_add_up(counts, expected):
    red, gold, blue = counts
    got = shares(AdoptionMonth(date(2026, 1, 1), red=red, gold=gold, blue=blue))
    assert got == expected
    assert sum(got.values()) in (0, 100)


def test_no_median_is_said_plainly(qtbot):
    chart = _chart(qtbot, Adoption(YEAR[-1:], median_days_to_first_login=None))
    assert chart.accessibleDescription().endswith("No patient has logged in for the first time yet.")


@pytest.mark.parametrize("adoption", [None, Adoption((), median_days_to_first_login=None)])
def test_an_empty_record_says_so_and_paints_no_bars(qtbot, adoption):
    chart = _chart(qtbot, adoption)
    assert chart.accessibleDescription() == "No portal history recorded yet."
    pixels = _pixels(chart)
    assert not any(pixels[STATUS_COLORS[color]] for color in ("red", "gold", "blue"))


def test_the_bars_are_painted_in_the_status_colours_in_proportion(qtbot):
    chart = _chart(
        qtbot, Adoption((YEAR[-1],) * 6, median_days_to_first_login=3)
    )  # 62% blue 25% gold 13% red
    pixels = _pixels(chart)
    blue, gold, red = (pixels[STATUS_COLORS[color]] for color in ("blue", "gold", "red"))
    assert blue > 2 * gold > 0 and gold > 1.5 * red > 0
    assert 0.15 < red / blue < 0.3  # about 13:62, the glyphs aside

    all_red = _chart(qtbot, Adoption((AdoptionMonth(date(2026, 11, 1), red=9, gold=0, blue=0),) * 6, None))
    pixels = _pixels(all_red)
    assert pixels[STATUS_COLORS["red"]] > 20 * max(1, pixels[STATUS_COLORS["blue"]])


def test_the_chart_follows_the_theme(qtbot, themed):
    apply_theme(themed, LIGHT)
    chart = _chart(qtbot, Adoption(YEAR, median_days_to_first_login=5))
    light = _pixels(chart)
    assert light[LIGHT.card_border.upper()] > 100  # the grid lines
    apply_theme(themed, DARK)
    dark = _pixels(chart)
    assert dark[DARK.card_border.upper()] > 100
    assert dark[LIGHT.card_border.upper()] == 0
    assert dark[STATUS_COLORS["blue"]] > 1000


def test_the_chart_shows_a_clinic_s_recorded_months(qtbot, clinic, clock):
    from tests.services.helpers import GOOD_PASSWORD, add_ready_patient

    chart = _chart(qtbot, None)
    pid = add_ready_patient(clinic, actor="frontdesk")
    clinic.staff.add_patient(
        first_name="Ned", last_name="Noemail", date_of_birth="1970-01-01", actor="frontdesk"
    )
    assert clinic.record_daily_status()
    clock.advance(days=31)
    clinic.staff.set_credentials(pid, username="ana.lopez", password=GOOD_PASSWORD, actor="frontdesk")
    assert clinic.portal.login("ana.lopez", GOOD_PASSWORD)
    assert clinic.record_daily_status()
    chart.show_adoption(clinic.adoption())
    words = chart.accessibleDescription()
    assert "April 2026: 50% blue, 0% gold, 50% red; March 2026: 0% blue, 50% gold, 50% red." in words
    assert words.endswith("first portal login: 31 days.")


def test_a_bar_s_tooltip_says_its_month_and_how_many_patients(qtbot):
    chart = _chart(qtbot, Adoption(YEAR, median_days_to_first_login=4))
    chart.grab()  # painted: the bars have their places
    [rect] = [r for r, m in chart._bars if m.month == date(2026, 11, 1)]
    pos = rect.center().toPoint()
    chart.event(QHelpEvent(QEvent.Type.ToolTip, pos, chart.mapToGlobal(pos)))
    assert QToolTip.text() == "November 2026: 62% blue, 25% gold, 13% red (100 active patients)"
    QToolTip.hideText()
    assert chart.month_at(QPointF(2, 2)) is None


def test_a_narrow_chart_still_shows_every_colour_in_its_legend(qtbot):
    all_blue = Adoption(
        (AdoptionMonth(date(2026, 11, 1), red=0, gold=0, blue=9),), median_days_to_first_login=2
    )
    chart = _chart(qtbot, all_blue)
    chart.resize(chart.minimumSizeHint())
    pixels = _pixels(chart)
    assert pixels[STATUS_COLORS["red"]] > 20 and pixels[STATUS_COLORS["gold"]] > 20  # the legend's glyphs
