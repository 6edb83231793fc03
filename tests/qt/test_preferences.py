"""File → Preferences… (Ctrl+,): theme, interface and editor font sizes, line wrap and visible whitespace in
the code editors; applied while the dialog is open, kept for the next start, and --dark/--light on the command
line win for one run."""
import pytest
from PySide6.QtGui import QKeySequence, QTextOption
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from jitstudio.qt.preferences import QtPreferencesDialog, apply_preferences
from jitstudio.qt.settings import Settings
from jitstudio.qt.theme import apply_theme, is_dark
from jitstudio.qt.widgets.code_editor import CodeEditor
from qt_helpers import choose


@pytest.fixture
def app_as_before():
    """The preferences change the whole application: put its theme and font back for the next tests."""
    app = QApplication.instance()
    font = app.font()
    yield app
    apply_preferences(app, {"theme": "light", "ui_font_size": 0, "editor_font_size": 0, "line_wrap": False,
                            "show_whitespace": False})
    app.setFont(font)
    apply_theme(app, dark=False)


def open_preferences(qtbot, window) -> QtPreferencesDialog:
    action = window.actions_by_name["preferences"]
    assert action.shortcut() == QKeySequence("Ctrl+,")
    assert action in window.menus.menus["File"].actions()
    action.trigger()
    dialog = window.findChild(QtPreferencesDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitExposed(dialog)
    return dialog


def test_preferences_are_in_the_file_menu_and_the_theme_changes_at_once(qtbot, window, app_as_before):
    dialog = open_preferences(qtbot, window)
    assert not is_dark()
    choose(dialog.theme, "dark")
    assert is_dark() and is_dark(window.tree.view.palette())
    choose(dialog.theme, "light")
    assert not is_dark()


def test_font_sizes_and_editor_options_apply_to_open_editors(qtbot, window, app_as_before):
    page = window.open_element("events.OrderPaidNotify")
    editors = page.findChildren(CodeEditor)
    assert editors
    dialog = open_preferences(qtbot, window)
    dialog.ui_font_size.setValue(14)
    assert QApplication.font().pointSize() == 14
    dialog.editor_font_size.setValue(17)
    dialog.line_wrap.setChecked(True)
    dialog.show_whitespace.setChecked(True)
    for editor in editors:
        assert editor.font().pointSize() == 17
        assert editor.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
        assert editor.document().defaultTextOption().flags() & QTextOption.Flag.ShowTabsAndSpaces
    later = window.open_element("services.OrderSvc")  # a page opened afterwards gets them too
    assert all(editor.font().pointSize() == 17 for editor in later.findChildren(CodeEditor))


def test_preferences_are_kept_for_the_next_start_and_the_command_line_wins_for_one_run(qtbot, window, app_as_before):
    dialog = open_preferences(qtbot, window)
    choose(dialog.theme, "dark")
    dialog.editor_font_size.setValue(15)
    dialog.line_wrap.setChecked(True)
    dialog.close()

    stored = Settings().preferences()  # what the next start reads
    assert stored["theme"] == "dark" and stored["editor_font_size"] == 15 and stored["line_wrap"] is True
    app = QApplication.instance()
    apply_theme(app, dark=False)
    apply_preferences(app, stored)
    assert is_dark()
    apply_preferences(app, stored, theme="light")  # jitstudio --light
    assert not is_dark()
    assert Settings().preferences()["theme"] == "dark"  # only for that run


def test_the_dialog_shows_what_is_stored(qtbot, window, app_as_before):
    Settings().save_preferences({"theme": "dark", "ui_font_size": 12, "editor_font_size": 0, "line_wrap": False,
                                 "show_whitespace": True})
    dialog = QtPreferencesDialog(Settings(), window)
    assert dialog.theme.currentData() == "dark"
    assert dialog.ui_font_size.value() == 12
    assert dialog.editor_font_size.text() == "System default"
    assert dialog.show_whitespace.isChecked() and not dialog.line_wrap.isChecked()
