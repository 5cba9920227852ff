"""The background-task helper: answers come back on the GUI thread, errors too, nothing dangles."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication

from clinic_desk.ui.tasks import TaskManager, run_in_background, task_manager, wait_for_tasks


def test_result_arrives_on_the_gui_thread(qtbot):
    gui = QThread.currentThread()
    seen = {}

    def work():
        seen["worker"] = QThread.currentThread()
        return 42

    def done(value):
        seen["value"] = value
        seen["callback"] = QThread.currentThread()

    run_in_background(work, done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["value"] == 42
    assert seen["worker"] is not gui
    assert seen["callback"] is gui


def test_error_goes_to_on_error(qtbot):
    errors = []

    def boom():
        raise ValueError("nope")

    run_in_background(boom, lambda _value: pytest.fail("on_done must not run"), errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)


def test_answer_for_a_deleted_owner_is_dropped(qtbot):
    release = threading.Event()
    called = []
    owner = QObject()
    run_in_background(lambda: release.wait(5), called.append, owner=owner)
    owner.deleteLater()
    QApplication.processEvents()
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    release.set()
    assert wait_for_tasks(5000)
    assert called == []


def test_wait_for_done_drains_everything(qtbot):
    manager = TaskManager(max_threads=2)
    results = []
    for number in range(6):
        manager.run(lambda n=number: n * n, results.append)
    assert manager.wait_for_done(5000)
    assert sorted(results) == [0, 1, 4, 9, 16, 25]
    assert manager.pending_count == 0


def test_all_done_signal(qtbot):
    manager = task_manager()
    with qtbot.waitSignal(manager.all_done):
        run_in_background(lambda: None, lambda _none: None)
