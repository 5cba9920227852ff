"""The first start's welcome screen: three paths by keyboard, plain refusals, nothing half-written."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from clinic_desk import places
from clinic_desk.ui.welcome.welcome_screen import Started, WelcomeScreen

GOOD = {
    "clinic_name": "Riverside Family Practice",
    "sender_address": "portal@riverside.example.org",
    "portal_url": "https://portal.riverside.example.org",
    "full_name": "Rosa Diaz",
    "username": "rosa",
    "password": "Blue-river-2026!",
}


def _screen(qtbot: Any) -> WelcomeScreen:
    screen = WelcomeScreen()
    qtbot.addWidget(screen)
    screen.resize(1024, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen)
    screen.show_choices()
    return screen


def _alt(qtbot: Any, screen: QWidget, key: Qt.Key) -> None:
    qtbot.keyClick(QApplication.focusWidget() or screen, key, Qt.KeyboardModifier.AltModifier)


def _create_path(qtbot: Any, screen: WelcomeScreen) -> None:
    """Alt+C: the button's mnemonic clicks it after its short press animation."""
    _alt(qtbot, screen, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: screen.new_clinic.clinic_name.hasFocus())


def _type_form(qtbot: Any, screen: WelcomeScreen, values: dict[str, str]) -> None:
    form = screen.new_clinic
    fields = (*form.clinic_fields(), *form.administrator.fields())
    names = ("clinic_name", "sender_address", "portal_url", "full_name", "username")
    typed = [values[name] for name in names]
    typed += [values["password"], values.get("again", values["password"])]
    assert form.clinic_name.hasFocus()
    for field, text in zip(fields, typed, strict=True):
        assert field.hasFocus(), field.objectName()
        if text:
            qtbot.keyClicks(field, text)
        if field is not fields[-1]:
            qtbot.keyClick(field, Qt.Key.Key_Tab)


def _no_clinic_file_written() -> None:
    folder = places.data_folder()
    leftovers = sorted(path.name for path in folder.iterdir()) if folder.exists() else []
    assert leftovers == [], leftovers
    assert places.is_first_start()


def test_the_three_paths_are_big_buttons_with_a_line_each(qtbot: Any) -> None:
    screen = _screen(qtbot)
    assert screen.objectName() == "welcomeScreen"
    texts = [button.text() for button in screen.path_buttons.values()]
    assert texts == [
        "&Create a new clinic on this computer",
        "Co&nnect to the clinic's server",
        "Try the &demo clinic",
    ]
    for button in screen.path_buttons.values():
        assert button.description() and button.accessibleDescription() == button.description()
        assert button.height() >= 48
    assert screen.path_buttons["createClinicPath"].hasFocus()
    # Tab then Enter picks the focused path too.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert screen.path_buttons["connectServerPath"].hasFocus()


def test_create_a_clinic_by_keyboard_signs_in_its_administrator(qtbot: Any, opened: list[Any]) -> None:
    screen = _screen(qtbot)
    _create_path(qtbot, screen)
    _type_form(qtbot, screen, GOOD)
    with qtbot.waitSignal(screen.started, timeout=20_000) as started:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    result: Started = started.args[0]
    opened.append(result.clinic)
    assert result.new_clinic
    assert result.staff.username == "rosa" and result.staff.role == "admin"
    assert places.default_clinic_file().is_file()
    assert not places.is_first_start()  # the next start opens the clinic directly
    settings = result.clinic.settings
    assert settings.clinic_name == GOOD["clinic_name"]
    assert settings.sender_address == GOOD["sender_address"]
    assert settings.portal_url == GOOD["portal_url"]
    names = {path.name for path in places.data_folder().iterdir()}  # the open clinic's -wal/-shm too
    assert {name.split("-")[0] for name in names} == {places.CLINIC_FILE}
    assert screen.new_clinic.administrator.password.text() == ""


def test_a_refused_password_is_said_plainly_and_writes_nothing(qtbot: Any) -> None:
    screen = _screen(qtbot)
    _create_path(qtbot, screen)
    _type_form(qtbot, screen, {**GOOD, "password": "short"})
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    form = screen.new_clinic
    qtbot.waitUntil(lambda: not form.busy and "Creating" not in form.message.text(), timeout=20_000)
    assert "password" in form.message.text().lower()
    assert form.message.isVisible()
    assert form.administrator.password.hasFocus()
    _no_clinic_file_written()


def test_an_empty_clinic_name_is_said_plainly_and_writes_nothing(qtbot: Any) -> None:
    screen = _screen(qtbot)
    _create_path(qtbot, screen)
    _type_form(qtbot, screen, {**GOOD, "clinic_name": ""})
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    form = screen.new_clinic
    qtbot.waitUntil(lambda: not form.busy and "Creating" not in form.message.text(), timeout=20_000)
    assert form.message.text() == "Clinic name: enter a name."
    assert form.clinic_name.hasFocus()
    _no_clinic_file_written()


def test_two_different_passwords_are_caught_before_anything_runs(qtbot: Any) -> None:
    screen = _screen(qtbot)
    _create_path(qtbot, screen)
    _type_form(qtbot, screen, {**GOOD, "again": "Blue-river-2027!"})
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert "different" in screen.new_clinic.message.text()
    _no_clinic_file_written()
    # Back (Alt+B) returns to the three paths.
    _alt(qtbot, screen, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.choices)


def test_connect_opens_the_connection_dialog_and_a_saved_choice_starts(qtbot: Any) -> None:
    screen = _screen(qtbot)
    _alt(qtbot, screen, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: screen.findChild(QWidget, "connectionDialog") is not None)
    dialog = screen.findChild(QWidget, "connectionDialog")
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(screen.started, timeout=10_000) as started:
        dialog.save()  # "This computer only", as it opens: the same as pressing Save
    assert started.args[0] == Started()  # the window opens the saved connection, as on any start
    assert places.connection_settings_file().is_file()
    assert not places.is_first_start()


def test_the_demo_is_built_in_its_own_file_with_a_progress_line(
    qtbot: Any, small_demo: None, opened: list[Any]
) -> None:
    screen = _screen(qtbot)
    with qtbot.waitSignal(screen.started, timeout=60_000) as started:
        _alt(qtbot, screen, Qt.Key.Key_D)
        qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.demo_page)
        assert "demo clinic" in screen.demo_line.text()
    clinic = started.args[0].clinic
    opened.append(clinic)
    assert started.args[0].staff is None  # the demo staff sign in themselves
    assert places.demo_clinic_file().is_file()
    assert not places.default_clinic_file().exists()  # never the real clinic's file
    assert str(places.demo_clinic_file()) in clinic.describe_database()
