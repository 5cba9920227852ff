"""Fixtures of the wizard's keyboard tests: the demo clinic in a window of a given size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

#: ``(clinic, ids, window)``: the demo clinic, its patients by kind, and a window onto it.
Desk = tuple[Any, dict[str, int], Any]


@pytest.fixture
def desk_of_size(demo: Any, make_window: Any) -> Callable[[int, int], Desk]:
    """Make the demo clinic's window ``width`` × ``height`` pixels (no mail is sent)."""

    def make(width: int, height: int) -> Desk:
        clinic, ids = demo
        window = make_window(clinic, send_mail=False)
        window.resize(width, height)
        return clinic, ids, window

    return make
