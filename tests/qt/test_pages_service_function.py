"""The service page opens a function of service.py in the function editor: from the functions table (double-
click or Edit function), saved by the page, edits kept when another function is opened, closing asks."""
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPushButton, QTreeWidget

from jitstudio.qt.funceditor import QtFunctionEditor
from jitstudio.qt.tabs import DIRTY_MARK


def functions_table(page):
    return page.findChild(QTreeWidget, "serviceFunctions")


def row_of(view, name):
    return next(view.topLevelItem(i) for i in range(view.topLevelItemCount()) if view.topLevelItem(i).text(0) == name)


def edit_line(qtbot, editor, line, text):
    editor.set_mode("code")
    cursor = QTextCursor(editor.code_view.document().findBlockByNumber(line - 1))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.code_view.setTextCursor(cursor)
    qtbot.keyClicks(editor.code_view, text)
    editor.flush_typing()


def test_double_click_opens_the_function_and_the_page_saves_it(qtbot, window, shop):
    page = window.open_element("services.OrderSvc")
    view = functions_table(page)
    item = row_of(view, "auditChange")
    rect = view.visualItemRect(item)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double-click's first press
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = page.tabs.currentWidget()
    assert isinstance(editor, QtFunctionEditor)
    assert (editor.function, editor.class_name) == ("auditChange", "OrderSvc")
    assert page.tabs.tabText(page.tabs.currentIndex()) == "ƒ auditChange"
    assert not editor.save_button.isVisibleTo(editor)
    assert editor.doc.cards and editor.doc.is_valid

    path = shop / "services/OrderSvc/service.py"
    before = path.read_text()
    first = editor.doc.cards[0]
    edit_line(qtbot, editor, first.line_span[0], "  # checked")
    assert page.is_dirty() and window.tabs.tabText(window.tabs.indexOf(page)).startswith(DIRTY_MARK)
    assert path.read_text() == before
    assert window.save_current()
    assert "  # checked" in path.read_text() and not page.is_dirty()
    assert path.read_text().replace("  # checked", "", 1) == before


def test_edit_function_button_and_switching_functions_keeps_edits(qtbot, window, shop):
    page = window.open_element("services.OrderSvc")
    view = functions_table(page)
    button = page.findChild(QPushButton, "editFunctionButton")
    assert not button.isEnabled()
    view.setCurrentItem(row_of(view, "auditChange"))
    assert button.isEnabled()
    button.click()
    first = page.tabs.currentWidget()
    edit_line(qtbot, first, first.doc.cards[0].line_span[0], "  # kept")
    other = next(name for name in window.project.get("services.OrderSvc").methods if name != "auditChange"
                 and not name.startswith("_"))
    second = page.edit_function(other)
    assert second is not first and page.tabs.indexOf(first) == -1 and page.tabs.currentWidget() is second
    assert "  # kept" in second.text() and second.is_dirty() and page.is_dirty()
    asked = []
    page.function_tab.ask = lambda parent, names: asked.append(names) or "cancel"
    assert not page.function_tab.close() and page.tabs.indexOf(second) >= 0
    page.function_tab.ask = lambda parent, names: "discard"
    assert page.function_tab.close() and page.tabs.indexOf(second) == -1
    assert asked and not page.is_dirty()
    assert "  # kept" not in (shop / "services/OrderSvc/service.py").read_text()


def test_a_missing_method_is_not_offered(qtbot, window, shop):
    page = window.open_element("services.OrderSvc")
    assert page.edit_function("noSuchFunction") is None
    assert page.tabs.count() == 1 + len(page.files)
