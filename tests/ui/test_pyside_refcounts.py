"""PySide6 must not drop references to None or True (6.12.0 did, and crashed Python 3.11)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    ping = Signal()


def test_signal_emit_and_void_calls_keep_their_references(qapp: object) -> None:
    emitter = Emitter()
    emitter.ping.emit()
    emitter.setObjectName("warm-up")
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(1_000):
        emitter.ping.emit()
        emitter.setObjectName("x")
    # A leaking build loses one reference per call (1,000 here); noise is a handful.
    assert true_before - sys.getrefcount(True) < 100
    assert none_before - sys.getrefcount(None) < 100
