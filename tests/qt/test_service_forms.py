"""The service page extends a service through forms: add a function (entry and method together) and edit it in
the function editor, rename and remove one, fix a function missing its method or its entry, declare an event;
and a workflow page lists the approval events bound to it."""
import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QPushButton, QTreeWidget

from jitstudio.qt.funceditor import QtFunctionEditor

from qt_helpers import type_into


def button(page, name) -> QPushButton:
    found = page.findChild(QPushButton, name)
    assert found is not None, name
    return found


def rows(view: QTreeWidget) -> dict[str, list[str]]:
    return {view.topLevelItem(i).text(0): [view.topLevelItem(i).text(c) for c in range(view.columnCount())]
            for i in range(view.topLevelItemCount())}


def select(qtbot, panel, name: str) -> None:
    """Click the row once the panel's table (rebuilt on each reload) is on screen."""
    qtbot.waitUntil(lambda: panel().view.isVisible())
    view = panel().view
    item = next(view.topLevelItem(i) for i in range(view.topLevelItemCount()) if view.topLevelItem(i).text(0) == name)
    view.scrollToItem(item)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualItemRect(item).center())


def filled_by(qtbot, fill):
    """A run_form for the page: shows the form, lets `fill` act on it as a user would, and answers whether it
    closed accepted (as QDialog.exec would)."""
    seen = []

    def run(form) -> bool:
        qtbot.addWidget(form)
        form.show()
        qtbot.waitExposed(form)
        seen.append(form)
        fill(form)
        return form.result() == QDialog.DialogCode.Accepted

    run.seen = seen
    return run


def add_arg(qtbot, form, name: str, datatype: str) -> None:
    qtbot.mouseClick(form.args.add_button, Qt.MouseButton.LeftButton)
    row = form.args.table.rowCount() - 1
    form.args.set_cell(row, "name", name)
    combo = form.args.table.cellWidget(row, 2)
    assert isinstance(combo, QComboBox)
    combo.setCurrentText(datatype)


def test_add_function_with_two_args_writes_entry_and_method_and_opens_it(qtbot, window, shop):
    page = window.open_element("services.OrderSvc")
    messages = []

    def fill(form):
        type_into(qtbot, form.name_edit, "class")
        assert not form.ok_button.isEnabled() and "Python keyword" in form.message.text()
        type_into(qtbot, form.name_edit, "shipOrder")
        type_into(qtbot, form.title_edit, "Ship order")
        add_arg(qtbot, form, "orderId", "Numeric")
        add_arg(qtbot, form, "orderId", "Stext")
        assert not form.ok_button.isEnabled() and "appears twice" in form.message.text()
        form.args.set_cell(1, "name", "carrier")
        form.return_type.setCurrentText("JitDict")
        messages.append(form.message.text())
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)

    page.run_form = filled_by(qtbot, fill)
    qtbot.mouseClick(button(page, "addFunctionButton"), Qt.MouseButton.LeftButton)
    assert messages == [""]
    entry = json.loads((shop / "services/OrderSvc/e.json").read_text())["functionList"][-1]
    assert entry == {"name": "shipOrder", "title": "Ship order", "returnType": "JitDict", "args": [
        {"name": "orderId", "title": "orderId", "dataType": "Numeric", "required": True},
        {"name": "carrier", "title": "carrier", "dataType": "Stext", "required": True}]}
    assert "    def shipOrder(self, orderId, carrier):\n" in (shop / "services/OrderSvc/service.py").read_text()
    editor = page.tabs.currentWidget()
    assert isinstance(editor, QtFunctionEditor) and editor.function == "shipOrder" and editor.doc.is_valid
    assert rows(page.functions_panel.view)["shipOrder"][1] == "yes" and not page.is_dirty()


def test_rename_and_remove_change_both_files(qtbot, window, shop):
    page = window.open_element("services.OrderSvc")
    page.edit_function("getOrder")
    page.tabs.setCurrentIndex(0)

    def rename(form):
        assert form.name_edit.text() == "getOrder" and form.args.rows()[0]["dataType"] == "Numeric"
        type_into(qtbot, form.name_edit, "fetchOrder")
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)

    page.run_form = filled_by(qtbot, rename)
    select(qtbot, lambda: page.functions_panel, "getOrder")
    qtbot.mouseClick(button(page, "editFunctionEntryButton"), Qt.MouseButton.LeftButton)
    source = (shop / "services/OrderSvc/service.py").read_text()
    assert "def fetchOrder(self, orderId):" in source and "def getOrder" not in source
    assert '"name": "fetchOrder"' in (shop / "services/OrderSvc/e.json").read_text()
    assert "fetchOrder" in rows(page.functions_panel.view) and "getOrder" not in rows(page.functions_panel.view)
    assert page.function_tab.editor.function == "fetchOrder"  # the open function followed its new name

    asked = []
    page.ask = lambda parent, title, text: asked.append(text) or True
    page.tabs.setCurrentIndex(0)
    select(qtbot, lambda: page.functions_panel, "auditChange")
    qtbot.mouseClick(button(page, "removeFunctionButton"), Qt.MouseButton.LeftButton)
    assert "events.OrderStatusAudit" in asked[0]  # the confirmation names who still calls it
    assert "def auditChange" not in (shop / "services/OrderSvc/service.py").read_text()
    assert '"auditChange"' not in (shop / "services/OrderSvc/e.json").read_text()
    assert "auditChange" not in rows(page.functions_panel.view)


def test_missing_method_and_missing_entry_are_marked_and_fixed_in_one_click(qtbot, window, shop, monkeypatch):
    source = shop / "services/OrderSvc/service.py"
    text = source.read_text()
    start, end = text.index("    def getOrder"), text.index("    def refundOrder")
    source.write_text(text[:start] + "    def exportOrders(self, since):\n        return []\n\n" + text[end:])
    window.open_app(shop, wait=True)
    page = window.open_element("services.OrderSvc")
    table = rows(page.functions_panel.view)
    assert table["getOrder"][1].startswith("⚠") and "no method" in table["getOrder"][1]
    assert table["exportOrders"][1].startswith("⚠") and "not in functionList" in table["exportOrders"][1]

    asked = []
    page.ask = lambda parent, title, text: asked.append(text) or True
    select(qtbot, lambda: page.functions_panel, "getOrder")
    edit_function = button(page, "editFunctionButton")
    assert edit_function.isEnabled()  # offers to create the method instead of being disabled
    qtbot.mouseClick(edit_function, Qt.MouseButton.LeftButton)
    assert asked and "no method getOrder" in asked[0]
    assert "    def getOrder(self, orderId):" in source.read_text()
    assert page.tabs.currentWidget().function == "getOrder"

    page.tabs.setCurrentIndex(0)
    page.function_tab.close()

    def declare(form):
        assert form.name_edit.isReadOnly() and form.name_edit.text() == "exportOrders"
        assert [r["name"] for r in form.args.rows()] == ["since"]
        form.args.set_cell(0, "dataType", "Datetime")
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)

    page.run_form = filled_by(qtbot, declare)
    select(qtbot, lambda: page.functions_panel, "exportOrders")
    fix = button(page, "fixFunctionButton")
    assert fix.isVisible() and fix.text() == "Add to functionList…"
    qtbot.mouseClick(fix, Qt.MouseButton.LeftButton)
    entry = json.loads((shop / "services/OrderSvc/e.json").read_text())["functionList"][-1]
    assert entry["name"] == "exportOrders" and entry["args"][0]["dataType"] == "Datetime"
    assert all(not r[1].startswith("⚠") for r in rows(page.functions_panel.view).values())


def test_declare_edit_and_remove_an_event(qtbot, window, shop):
    page = window.open_element("services.AuditSvc")

    def declare(form):
        type_into(qtbot, form.name_edit, "import")
        assert "Python keyword" in form.message.text() and not form.ok_button.isEnabled()
        type_into(qtbot, form.name_edit, "changeAudited")
        type_into(qtbot, form.title_edit, "Change audited")
        type_into(qtbot, form.desc_edit, "Published after an audit row is written.")
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)

    page.run_form = filled_by(qtbot, declare)
    qtbot.mouseClick(button(page, "declareEventButton"), Qt.MouseButton.LeftButton)
    data = json.loads((shop / "services/AuditSvc/e.json").read_text())
    assert data["eventDescs"] == [{"name": "changeAudited", "title": "Change audited",
                                   "desc": "Published after an audit row is written."}]
    assert rows(page.events_panel.view)["changeAudited"][1] == "Change audited"

    def retitle(form):
        type_into(qtbot, form.title_edit, "Audit written")
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)

    page.run_form = filled_by(qtbot, retitle)
    select(qtbot, lambda: page.events_panel, "changeAudited")
    qtbot.mouseClick(button(page, "editEventButton"), Qt.MouseButton.LeftButton)
    assert json.loads((shop / "services/AuditSvc/e.json").read_text())["eventDescs"][0]["title"] == "Audit written"

    page.ask = lambda parent, title, text: True
    select(qtbot, lambda: page.events_panel, "changeAudited")
    qtbot.mouseClick(button(page, "removeEventButton"), Qt.MouseButton.LeftButton)
    assert json.loads((shop / "services/AuditSvc/e.json").read_text())["eventDescs"] == []


def test_forms_refuse_while_the_page_has_unsaved_edits(qtbot, window, shop):
    page = window.open_element("services.AuditSvc")
    type_into(qtbot, page.title_edit, "Audit")
    before = (shop / "services/AuditSvc/e.json").read_text()
    shown = []

    def declare(form):
        type_into(qtbot, form.name_edit, "audited")
        type_into(qtbot, form.title_edit, "Audited")
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
        shown.append(form.message.text())

    page.run_form = filled_by(qtbot, declare)
    qtbot.mouseClick(button(page, "declareEventButton"), Qt.MouseButton.LeftButton)
    assert "unsaved edits" in shown[0] and page.run_form.seen[0].isVisible()
    assert (shop / "services/AuditSvc/e.json").read_text() == before


def test_workflow_page_lists_the_approval_events_bound_through_its_model(qtbot, window):
    page = window.open_element("workflows.RefundApproval")
    listed = set()
    for view in page.findChildren(QTreeWidget):
        listed |= set(rows(view))
    assert {"RefundNodeHandled", "RefundStatusChanged"} <= listed
