"""take_screenshot renders the window with a patient open, optionally with the tooltip card."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from clinic_desk.ui.screenshot import SIZE, ScreenshotError, take_screenshot


def test_screenshot_with_and_without_hover(qtbot, seeded, tmp_path):
    clinic, ids = seeded
    mrn = clinic.staff.chart(ids["red"]).mrn
    plain = take_screenshot(clinic, mrn, tmp_path / "plain.png")
    hover = take_screenshot(clinic, str(ids["red"]), tmp_path / "shots" / "hover.png", hover=True)
    assert plain.exists() and hover.exists()
    first, second = QImage(str(plain)), QImage(str(hover))
    ratio = first.width() / SIZE[0]
    assert (first.width(), first.height()) == (round(SIZE[0] * ratio), round(SIZE[1] * ratio))
    assert first.size() == second.size()
    assert first != second, "the tooltip card was not drawn into the hover screenshot"


def test_screenshot_of_an_unknown_patient_says_so(qtbot, seeded, tmp_path):
    clinic, _ids = seeded
    with pytest.raises(ScreenshotError, match="No patient"):
        take_screenshot(clinic, "NOPE-123", tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()
