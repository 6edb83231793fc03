"""The main window: tree by family with search and `+`, pages in tabs, Problems that open the file at the
line, the welcome page, recent apps and window layout remembered."""
import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMenu

from jitstudio.qt.main_window import MainWindow
from jitstudio.qt.pages import QtEventPage, QtFilePage
from jitstudio.qt.settings import Settings
from jitstudio.qt.tree import NEW_ACTIONS
from qt_helpers import choose, click, type_into


def test_tree_groups_by_family_and_events_by_kind(window):
    model = window.tree.model
    families = [model.item(i).text() for i in range(model.rowCount())]
    assert families[:6] == ["Models", "Services", "Events", "Approval workflows", "AI agents", "AI assistants"]
    events = model.item(2)
    kinds = [events.child(i).text() for i in range(events.rowCount())]
    assert kinds[0] == "Model events  (5)" and kinds[1].startswith("Approval events")
    assert "events.FillOrderNo" in window.tree.visible_full_names()


def test_search_filters_as_you_type(qtbot, window):
    type_into(qtbot, window.tree.search, "refund")
    names = window.tree.visible_full_names()
    assert set(names) == {"events.RefundNodeHandled", "events.RefundStatusChanged", "workflows.RefundApproval"}
    type_into(qtbot, window.tree.search, "stock guard")  # titles match too
    assert window.tree.visible_full_names() == ["events.StockGuard"]
    window.tree.search.clear()
    assert len(window.tree.visible_full_names()) == 23


def test_plus_menu_offers_every_kind(window):
    menu = window.tree.plus.menu()
    event_menu = menu.findChild(QMenu, "eventMenu")
    names = [a.objectName() for a in event_menu.actions()] + [a.objectName() for a in menu.actions() if a.objectName()]
    assert [n for n in NEW_ACTIONS if n in names] == NEW_ACTIONS
    assert [a.text() for a in event_menu.actions()] == ["Model event", "Approval event", "Custom event", "AI assistant event", "Agent tool event"]


def test_plus_event_wizard_creates_and_opens_the_page(qtbot, window, shop):
    def fill():
        wizard = QApplication.activeModalWidget()
        type_into(qtbot, wizard.name, "CustomerCreated")
        choose(wizard.form.model, "models.Customer")
        click(qtbot, wizard.finish)

    QTimer.singleShot(0, fill)
    created = window.get_feature("new_elements").new_element("event:model")
    assert created == "events.CustomerCreated"
    page = window.current_page()
    assert isinstance(page, QtEventPage) and page.key == "events.CustomerCreated"
    assert not page.enable_switch.isChecked()
    assert window.tree.selected_full_name() == "events.CustomerCreated"
    assert json.loads((shop / "events/CustomerCreated/e.json").read_text())["sender"] == "models.Customer"


def test_opening_from_the_tree_reuses_the_tab(qtbot, window):
    window.tree.select("models.Order")
    window.tree.view.activated.emit(window.tree.view.currentIndex())
    window.tree.view.activated.emit(window.tree.view.currentIndex())
    assert window.tabs.count() == 1 and window.current_page().key == "models.Order"
    assert "orderNo" in [window.current_page().sections.findChildren(type(window.get_feature("problems").pane.table))[0].topLevelItem(i).text(0) for i in range(3)]


def test_problems_refresh_when_files_change_and_open_at_the_line(qtbot, window, shop):
    problems = window.get_feature("problems").pane
    assert problems.count() == 0
    inner = shop / "events/FillOrderNo/inner.py"
    inner.write_text(inner.read_text() + "\ndef broken(:\n")
    qtbot.waitUntil(lambda: problems.count() == 1, timeout=8000)
    item = problems.table.topLevelItem(0)
    assert "invalid Python" in item.text(0) and item.text(1) == "events/FillOrderNo/inner.py"
    problems.table.itemActivated.emit(item, 0)
    page = window.current_page()
    assert isinstance(page, QtEventPage) and page.key == "events.FillOrderNo"
    line = int(item.text(2).split(":")[0])
    view = page.function_editor.code_view
    assert page.function_editor.mode() == "code" and view.textCursor().blockNumber() + 1 == line
    qtbot.waitUntil(lambda: any(m.line == line for m in view.markers()))


def test_a_json_problem_opens_the_file_page(qtbot, window, shop):
    path = shop / "events/CustomerAudit/e.json"
    path.write_text(path.read_text().replace('"operate": "FieldUpdateAfter"', '"operate": "Whenever"'))
    problems = window.get_feature("problems").pane
    qtbot.waitUntil(lambda: problems.count() >= 1, timeout=8000)
    item = problems.table.topLevelItem(0)
    problems.table.itemActivated.emit(item, 0)
    page = window.current_page()
    assert isinstance(page, QtFilePage) and page.title() == "e.json"
    assert '"Whenever"' in page.file.editor.textCursor().block().text()


def test_execution_records_opens_the_record_browser(qtbot, window):
    page = window.open_element("events.OrderStatusAudit")
    click(qtbot, page.records_button)
    current = window.current_page()
    assert current is not page and "OrderStatusAudit" in window.tabs.tabText(window.tabs.currentIndex())


def test_save_all_and_shortcuts(qtbot, window, shop):
    page = window.open_element("events.OrderStatusAudit")
    type_into(qtbot, page.title_edit, "Renamed audit")
    other = window.open_element("models.Order")
    type_into(qtbot, other.title_edit, "Sales order")
    assert window.actions_by_name["save_all"].shortcut().toString() == "Ctrl+Shift+S"
    window.actions_by_name["save_all"].trigger()
    assert json.loads((shop / "events/OrderStatusAudit/e.json").read_text())["title"] == "Renamed audit"
    assert json.loads((shop / "models/Order/e.json").read_text())["title"] == "Sales order"
    window.actions_by_name["find"].trigger()
    assert window.tree.search.hasFocus() or QApplication.focusWidget() is window.tree.search


def test_welcome_page_recent_apps_and_new_from_example(qtbot, tmp_path, shop):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.centre.currentWidget() is window.welcome
    assert window.welcome.recent.count() == 0 and window.welcome.no_recent.isVisibleTo(window.welcome)
    target = tmp_path / "myshop"
    assert window.new_from_example(target)
    qtbot.waitUntil(lambda: window.project is not None, timeout=8000)
    assert (target / "app.json").is_file() and window.project.root == target.resolve()
    assert Settings().recent_apps() == [target.resolve()]
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    again.show_welcome()
    assert again.welcome.recent.count() == 1
    assert again.recent_menu.actions()[0].text() == str(target.resolve())
    assert again.restoreGeometry(Settings().window_state()[0])


def test_app_main_rejects_a_missing_folder(tmp_path, capsys):
    from jitstudio.qt.app import main

    assert main([str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err
