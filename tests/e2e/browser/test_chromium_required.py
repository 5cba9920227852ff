"""Without Chromium the browser tests skip and say why; with CI=true they fail instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.browser.conftest import require_chromium


def test_a_missing_chromium_skips_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(pytest.skip.Exception, match=r"Chromium is not installed at .*bootstrap\.sh"):
        require_chromium(tmp_path / "chromium", in_ci=False)


def test_in_ci_a_missing_chromium_fails(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="CI=true: the browser tests never skip"):
        require_chromium(tmp_path / "chromium", in_ci=True)
