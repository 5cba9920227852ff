"""The main window against a real SQLite clinic: open, search, live updates, errors, settings."""

from __future__ import annotations

import getpass
import threading

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtWidgets import QApplication, QToolTip

from clinic_desk import Clinic, ClinicDeskError
from tests.ui.helpers import icon_of, wait_for_colour


@pytest.mark.parametrize("color", ["red", "gold", "blue"])
def test_open_patient_shows_its_colour(qtbot, seeded, make_window, color):
    clinic, ids = seeded
    window = make_window(clinic)
    with qtbot.waitSignal(window.patient_opened, timeout=5000) as blocker:
        window.open_patient(ids[color])
    assert blocker.args == [ids[color]]
    assert icon_of(window).property("portalStatus") == color
    assert window.dash.showing_patient
    assert not window.dash.busy_bar.isVisible()
    assert window.dash.photo_block.name_label.text() not in window.windowTitle()  # shoulder-surfing


def test_icon_is_unknown_while_loading(qtbot, seeded, make_window):
    clinic, ids = seeded
    window = make_window(clinic)
    window.open_patient(ids["red"])
    assert icon_of(window).property("portalStatus") == ""
    assert not window.dash.busy_bar.isVisible()  # a quick load shows no busy bar (it would flicker)
    wait_for_colour(qtbot, window, "red")
    assert not window.dash.busy_bar.isVisible()


def test_photo_block_and_contact_card(qtbot, seeded, make_window):
    clinic, ids = seeded
    window = make_window(clinic)
    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(ids["red"])
    block = window.dash.photo_block
    assert block.name_label.text() == "Maria O'Neil"
    assert "Mo" in block.preferred_label.text()
    assert block.age_label.text().startswith("45 years")  # the test clock says 2026-03-02
    assert "Mar 14, 1980" in block.age_label.text()
    assert block.mrn_label.text().startswith("MRN ")
    assert block.status_pill.text() == "Active"
    assert not block.avatar.has_photo()
    card = window.dash.contact_card
    assert card.is_marked_missing("email")
    assert not card.is_marked_missing("zip")
    assert "Missing" in card.values["email"].text()
    assert card.values["zip"].text() == "02139"
    assert "Cambridge, MA" in card.values["address"].text()


def test_photo_replaces_the_initials(qtbot, seeded, make_window):
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    clinic, ids = seeded
    image = QImage(60, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#2E7D32"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    clinic.staff.set_photo(ids["blue"], bytes(data.data()), actor="frontdesk")
    window = make_window(clinic)
    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(ids["blue"])
    avatar = window.dash.photo_block.avatar
    assert avatar.has_photo()
    assert avatar.accessibleName() == "Photo of Ann Lee"
    centre = avatar.grab().toImage().pixelColor(avatar.width() // 2, avatar.height() // 2)
    assert centre.green() > centre.red() and centre.green() > centre.blue()


def test_status_bar_names_database_and_user(qtbot, seeded, make_window):
    clinic, _ids = seeded
    window = make_window(clinic)
    qtbot.waitUntil(lambda: "Local file" in window.database_label.text())
    assert clinic.describe_database() in window.database_label.text()
    assert getpass.getuser() in window.user_label.text()


def test_search_by_keyboard_alone(qtbot, seeded, make_window):
    clinic, ids = seeded
    window = make_window(clinic)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = window.findChild(type(window.search.field), "patientSearch")
    assert field is window.search.field
    assert field.hasFocus()
    qtbot.keyClicks(field, "Hugh")
    qtbot.waitUntil(lambda: window.search.results_visible() and window.search.results.patient_rows() > 0)
    qtbot.keyClick(field, Qt.Key.Key_Down)
    assert window.search.results.currentRow() == 0
    with qtbot.waitSignal(window.patient_opened) as blocker:
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert blocker.args == [ids["gold"]]
    assert icon_of(window).property("portalStatus") == "gold"
    assert not window.search.results_visible()


def test_enter_on_an_mrn_opens_that_patient(qtbot, seeded, make_window):
    clinic, ids = seeded
    mrn = clinic.staff.chart(ids["blue"]).mrn
    window = make_window(clinic)
    window.search.field.setFocus()
    qtbot.keyClicks(window.search.field, mrn)
    with qtbot.waitSignal(window.patient_opened) as blocker:
        qtbot.keyClick(window.search.field, Qt.Key.Key_Return)
    assert blocker.args == [ids["blue"]]


def test_search_says_when_nothing_matches(qtbot, seeded, make_window):
    clinic, _ids = seeded
    window = make_window(clinic)
    qtbot.keyClicks(window.search.field, "Zzyzx")
    qtbot.waitUntil(window.search.results_visible)
    results = window.search.results
    assert results.patient_rows() == 0
    assert "No patient matches" in results.item(0).text()
    qtbot.keyClick(window.search.field, Qt.Key.Key_Escape)
    assert not window.search.results_visible()


def test_gui_thread_stays_responsive_during_a_slow_load(qtbot, seeded, make_window, monkeypatch):
    clinic, ids = seeded
    entered, release = threading.Event(), threading.Event()
    real_snapshot = clinic.patient_snapshot

    def slow_snapshot(patient_id, **options):
        with clinic.transaction() as session:  # hold a real DB transaction open on the worker
            session.connection()
            entered.set()
            release.wait(10)
        return real_snapshot(patient_id, **options)

    monkeypatch.setattr(clinic, "patient_snapshot", slow_snapshot)
    window = make_window(clinic)
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    try:
        window.open_patient(ids["blue"])
        qtbot.waitUntil(entered.is_set)
        before = len(ticks)
        qtbot.waitUntil(lambda: len(ticks) >= before + 10)  # the event loop runs while the worker waits
        assert icon_of(window).property("portalStatus") == ""
        qtbot.waitUntil(window.dash.busy_bar.isVisible)  # a slow load says so after a moment
        qtbot.keyClicks(window.search.field, "An")  # typing still works
        assert window.search.field.text() == "An"
    finally:
        release.set()
        timer.stop()
    wait_for_colour(qtbot, window, "blue")


def test_live_update_from_another_workstation(qtbot, seeded, make_window, sqlite_url, clock):
    clinic, ids = seeded
    window = make_window(clinic)
    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(ids["gold"])
    icon = icon_of(window)
    pos = icon.rect().center()
    icon.event(QHelpEvent(QEvent.Type.ToolTip, pos, icon.mapToGlobal(pos)))
    assert "never logged in" in QToolTip.text()

    other = Clinic.open(sqlite_url, clock=clock)
    try:
        other.staff.set_portal_access(
            ids["gold"], enabled=False, actor="maria", reason="patient_request", note="Asked to pause"
        )
    finally:
        other.close()

    wait_for_colour(qtbot, window, "red")
    assert "turned off by staff" in icon.accessibleDescription().lower() or "off" in icon.accessibleName()
    doc = QTextDocument()
    doc.setHtml(QToolTip.text())
    assert "Portal access was turned off by maria" in doc.toPlainText()
    QToolTip.hideText()


def test_live_update_from_this_clinic_object(qtbot, seeded, make_window):
    clinic, ids = seeded
    window = make_window(clinic)
    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(ids["red"])
    clinic.staff.update_contact(ids["red"], email="maria@example.com", actor="frontdesk")
    qtbot.waitUntil(lambda: window.dash.contact_card.values["email"].text() == "maria@example.com")
    assert not window.dash.contact_card.is_marked_missing("email")
    clinic.staff.set_portal_access(ids["red"], enabled=True, actor="frontdesk")
    wait_for_colour(qtbot, window, "gold")


def test_polling_stops_when_the_window_closes(qtbot, seeded, make_window):
    clinic, ids = seeded
    window = make_window(clinic)
    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(ids["blue"])
    assert window.session.polling
    window.close()
    assert not window.session.polling


def test_error_shows_a_banner_and_retry_recovers(qtbot, seeded, make_window, monkeypatch):
    clinic, ids = seeded
    real_snapshot = clinic.patient_snapshot
    failing = {"on": True}

    def flaky_snapshot(patient_id, **options):
        if failing["on"]:
            raise ConnectionError("server closed the connection")
        return real_snapshot(patient_id, **options)

    monkeypatch.setattr(clinic, "patient_snapshot", flaky_snapshot)
    window = make_window(clinic)
    with qtbot.waitSignal(window.session.load_failed) as blocker:
        window.open_patient(ids["gold"])
    banner = window.findChild(type(window.dash.banner), "errorBanner")
    assert banner.isVisible()
    assert "could not reach the clinic database" in banner.message()
    assert "Traceback" not in blocker.args[0]
    assert not window.dash.busy_bar.isVisible()
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.inherits("QMessageBox")]

    failing["on"] = False
    with qtbot.waitSignal(window.patient_opened):
        qtbot.mouseClick(banner.retry_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    assert icon_of(window).property("portalStatus") == "gold"


def test_unknown_patient_is_said_in_words(qtbot, seeded, make_window):
    clinic, _ids = seeded
    window = make_window(clinic)
    with qtbot.waitSignal(window.session.load_failed) as blocker:
        window.open_patient(99_999)
    assert "No patient" in blocker.args[0]
    assert window.dash.banner.isVisible()


def test_clicking_the_icon_opens_troubleshooting(qtbot, seeded, make_window):
    clinic, ids = seeded
    window = make_window(clinic)
    dock = window.findChild(type(window.troubleshooting_dock), "troubleshootingWizard")
    dock.hide()
    with qtbot.waitSignal(window.patient_opened):
        window.open_patient(ids["red"])
    qtbot.mouseClick(icon_of(window), Qt.MouseButton.LeftButton)
    assert dock.isVisible()
    assert "Maria O'Neil" in dock.widget().title.text()


def test_troubleshooting_panel_can_be_replaced(qtbot, seeded, make_window):
    from PySide6.QtWidgets import QLabel

    clinic, _ids = seeded
    made = []

    def factory(clinic_, model, parent):
        made.append(model)
        return QLabel("wizard", parent)

    window = make_window(clinic, panel_factory=factory)
    assert window.troubleshooting_dock.widget().text() == "wizard"
    assert made == [window.session.model]


def test_geometry_and_dock_state_persist_in_temp_settings(qtbot, seeded, make_window, _fresh_settings):
    clinic, _ids = seeded
    window = make_window(clinic)
    window.resize(640, 480)  # inside the 800x600 offscreen screen
    window.troubleshooting_dock.hide()
    window.close()
    assert list(_fresh_settings.rglob("*.ini")), "settings were not written to the temp folder"
    assert QSettings().fileName().startswith(str(_fresh_settings))

    again = make_window(clinic)
    assert (again.width(), again.height()) == (640, 480)
    assert not again.troubleshooting_dock.isVisible()


def test_no_error_escapes_as_an_exception(seeded, make_window, qtbot):
    clinic, _ids = seeded
    window = make_window(clinic)
    assert isinstance(window.session.model.error, str)
    assert issubclass(ClinicDeskError, Exception)
