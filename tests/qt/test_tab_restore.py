"""Moving between tabs with Ctrl+Tab in most-recently-used order, and an app's open tabs reopened with it."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from jitstudio.qt.main_window import MainWindow
from jitstudio.qt.widgets.code_editor import CodeEditor

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
PAGES = ["models.Order", "events.OrderStatusAudit", "services.OrderSvc"]


def focused(window):
    window.activateWindow()
    widget = window.tabs.currentWidget()
    widget.setFocus()
    return QApplication.focusWidget() or widget


def current_key(window) -> str:
    return window.tabs.currentWidget().key


def ctrl_tab(qtbot, window, modifiers=CTRL, key=Qt.Key.Key_Tab) -> None:
    qtbot.keyPress(focused(window), key, modifiers)


def release_ctrl(qtbot, window) -> None:
    qtbot.keyRelease(focused(window), Qt.Key.Key_Control)


def test_ctrl_tab_goes_back_to_the_tab_used_before(qtbot, window):
    for key in PAGES:
        window.open_element(key)
    window.open_element("events.OrderStatusAudit")  # order of use: audit, svc, order
    assert [p.key for p in window.tabs.recent_pages()] == ["events.OrderStatusAudit", "services.OrderSvc", "models.Order"]
    ctrl_tab(qtbot, window)
    release_ctrl(qtbot, window)
    assert current_key(window) == "services.OrderSvc"
    ctrl_tab(qtbot, window)
    release_ctrl(qtbot, window)
    assert current_key(window) == "events.OrderStatusAudit"  # toggles between the two most recent
    ctrl_tab(qtbot, window)
    ctrl_tab(qtbot, window)  # Ctrl still held: one further back
    assert current_key(window) == "models.Order"
    release_ctrl(qtbot, window)
    assert window.tabs.recent_pages()[0].key == "models.Order"
    ctrl_tab(qtbot, window, CTRL | SHIFT, Qt.Key.Key_Backtab)  # backwards: the least recent
    release_ctrl(qtbot, window)
    assert current_key(window) == "services.OrderSvc"


def test_ctrl_tab_works_from_inside_a_code_editor(qtbot, window):
    window.open_element("models.Order")
    page = window.open_location("app.json", 1)
    editor = next(e for e in page.findChildren(CodeEditor) if e.isVisible())
    window.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor)
    text = editor.toPlainText()
    qtbot.keyPress(editor, Qt.Key.Key_Tab, CTRL)
    qtbot.keyRelease(editor, Qt.Key.Key_Control)
    assert current_key(window) == "models.Order" and editor.toPlainText() == text


def test_closing_a_tab_shows_the_one_used_before_it(qtbot, window):
    for key in PAGES:
        window.open_element(key)
    window.open_element("models.Order")
    window.open_element("services.OrderSvc")
    window.close_current()
    assert current_key(window) == "models.Order"


def test_the_open_tabs_and_the_current_one_come_back_with_the_app(qtbot, window, shop, tmp_path):
    for key in PAGES:
        window.open_element(key)
    file_page = window.open_location("app.json", 1)
    window.open_element("events.OrderStatusAudit")
    keys = [page.key for page in window.tabs.pages()]
    assert file_page.key in keys and len(keys) == 4
    window.close()

    again = MainWindow()
    again.tabs.ask = lambda parent, names: "discard"
    qtbot.addWidget(again)
    again.open_app(shop, wait=True)
    again.show()
    qtbot.waitUntil(lambda: again.tabs.count() == 4)
    assert [page.key for page in again.tabs.pages()] == keys
    assert current_key(again) == "events.OrderStatusAudit" and again.current_page() is again.tabs.currentWidget()

    other = tmp_path / "other"  # another app has tabs of its own: none yet
    assert again.new_from_example(other)
    qtbot.waitUntil(lambda: again.project is not None and again.project.root == other.resolve())
    qtbot.wait(50)
    assert again.tabs.count() == 0
    again.open_element("models.Order")
    assert again.open_app(shop, wait=True)  # back to the first app, as it was left
    qtbot.waitUntil(lambda: again.tabs.count() == 4)
    assert current_key(again) == "events.OrderStatusAudit"
    assert again.close_app() and again.open_app(other, wait=True)
    qtbot.waitUntil(lambda: again.tabs.count() == 1)
    assert current_key(again) == "models.Order"
