"""The event page: enable and async switches write e.json, the trigger form saves in place, unsaved edits
are marked and kept, and changes made on disk by another program show up."""
import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from jitstudio.project import load_project, set_enable
from jitstudio.qt.pages import QtEventPage
from jitstudio.qt.tabs import DIRTY_MARK
from qt_helpers import choose, click, type_into


def _ejson(shop, name):
    return json.loads((shop / "events" / name / "e.json").read_text())


def test_enable_switch_writes_ejson(qtbot, window, shop):
    page = window.open_element("events.OrderStatusAudit")
    assert isinstance(page, QtEventPage)
    assert page.enable_switch.isChecked()
    click(qtbot, page.enable_switch)
    assert _ejson(shop, "OrderStatusAudit")["enable"] == 0
    click(qtbot, page.enable_switch)
    assert _ejson(shop, "OrderStatusAudit")["enable"] == 1
    click(qtbot, page.async_switch)
    assert _ejson(shop, "OrderStatusAudit")["asyncType"] is True
    assert not page.is_dirty()


def test_new_event_starts_off_and_can_be_switched_on(qtbot, window, shop):
    from jitstudio.project import create_event

    create_event(shop, "Fresh", "model", sender="models.Order", operate="AddAfter")
    window.session.load_now()
    page = window.open_element("events.Fresh")
    assert not page.enable_switch.isChecked()
    click(qtbot, page.enable_switch)
    assert _ejson(shop, "Fresh")["enable"] == 1
    assert load_project(shop).get("events.Fresh").enabled


def test_before_event_refuses_async(qtbot, window, shop):
    page = window.open_element("events.StockGuard")
    click(qtbot, page.async_switch)
    assert not page.async_switch.isChecked()
    assert "cannot be asynchronous" in page.status.text()
    assert _ejson(shop, "StockGuard")["asyncType"] is False


def test_trigger_form_edits_are_marked_and_saved(qtbot, window, shop):
    page = window.open_element("events.OrderStatusAudit")
    index = window.tabs.indexOf(page)
    original = (shop / "events/OrderStatusAudit/e.json").read_text()
    choose(page.form.operate, "UpdateAfter")
    assert page.is_dirty() and window.tabs.tabText(index).startswith(DIRTY_MARK)
    page.form.fields.check("amount")
    assert (shop / "events/OrderStatusAudit/e.json").read_text() == original  # nothing written before Save
    click(qtbot, page.save_button)
    data = _ejson(shop, "OrderStatusAudit")
    assert data["operate"] == "UpdateAfter" and data["fields"] == ["status", "amount"]
    assert data["func"] == "services.OrderSvc.auditChange"
    assert not page.is_dirty() and not window.tabs.tabText(index).startswith(DIRTY_MARK)
    assert load_project(shop).errors == []


def test_inner_code_is_edited_and_saved_atomically(qtbot, window, shop):
    page = window.open_element("events.FillOrderNo")
    editor = page.function_editor
    assert page.code_stack.currentWidget() is editor and editor.mode() == "visual"
    assert not editor.save_button.isVisibleTo(editor)
    editor.set_mode("code")
    view = editor.code_view
    assert "def customFunc(eventOutData)" in view.text()
    view.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.keyClicks(view, "x = (")
    qtbot.waitUntil(lambda: any(m.severity == "error" for m in view.markers()))
    assert page.is_dirty() and not editor.doc.is_valid
    qtbot.keyClicks(view, ")")
    qtbot.waitUntil(lambda: not any(m.severity == "error" for m in view.markers()))
    assert page.is_dirty() and page.save_button.isEnabled()
    choose(page.form.operate, "AddAfter")
    window.activateWindow()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # the window's Save: the whole page
    assert "x = ()" in (shop / "events/FillOrderNo/inner.py").read_text()
    assert _ejson(shop, "FillOrderNo")["operate"] == "AddAfter"
    assert not page.is_dirty() and not editor.is_dirty()


def test_revert_drops_unsaved_function_edits(qtbot, window, shop):
    page = window.open_element("events.FillOrderNo")
    path = shop / "events/FillOrderNo/inner.py"
    original = path.read_text()
    editor = page.function_editor
    editor.set_mode("code")
    editor.code_view.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor.code_view, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.code_view, "# scratch")
    editor.flush_typing()
    type_into(qtbot, page.title_edit, "Scratch title")
    index = window.tabs.indexOf(page)
    assert page.is_dirty() and window.tabs.tabText(index).startswith(DIRTY_MARK)
    click(qtbot, page.revert_button)
    assert editor.text() == original and not editor.is_dirty()
    assert page.title_edit.text() == _ejson(shop, "FillOrderNo")["title"]
    assert not page.is_dirty() and not window.tabs.tabText(index).startswith(DIRTY_MARK)
    assert path.read_text() == original


def test_a_new_event_starts_from_the_template_and_saves_it(qtbot, window, shop):
    from jitstudio.project import create_event

    create_event(shop, "Fresh", "model", sender="models.Order", operate="AddAfter")
    (shop / "events/Fresh/inner.py").unlink()
    window.session.load_now()
    page = window.open_element("events.Fresh")
    assert page.is_dirty() and "def customFunc(eventOutData)" in page.function_editor.text()
    assert window.save_current()
    assert "def customFunc(eventOutData)" in (shop / "events/Fresh/inner.py").read_text()
    assert (shop / "events/Fresh/__init__.py").is_file() and not page.is_dirty()


def test_switching_to_a_service_function_shows_the_method(qtbot, window, shop):
    page = window.open_element("events.OrderStatusAudit")
    assert page.code_stack.currentWidget() is page.editor and page.editor.isReadOnly()
    assert page.function_editor is None
    assert "def auditChange(self, eventOutData):" in page.editor.text()
    assert "def payOrder" not in page.editor.text()
    click(qtbot, page.function.inner_radio)
    assert page.code_stack.currentWidget() is page.function_editor and page.is_dirty()


def test_open_service_edits_the_method_on_the_service_page(qtbot, window):
    page = window.open_element("events.OrderStatusAudit")
    page.open_service_button.click()
    service = window.current_page()
    assert service.key == "services.OrderSvc"
    editor = service.tabs.currentWidget()
    assert editor.function == "auditChange" and editor.class_name == "OrderSvc"
    assert editor.doc.is_valid and editor.doc.cards


def test_closing_a_page_with_edits_asks(qtbot, window, shop):
    page = window.open_element("events.OrderStatusAudit")
    type_into(qtbot, page.title_edit, "Audit every order status change")
    asked = []
    window.tabs.ask = lambda parent, names: asked.append(names) or "cancel"
    window.close_current()
    assert asked == [["OrderStatusAudit"]] and window.tabs.find("events.OrderStatusAudit") is page
    window.tabs.ask = lambda parent, names: "save"
    window.close_current()
    assert window.tabs.find("events.OrderStatusAudit") is None
    assert _ejson(shop, "OrderStatusAudit")["title"] == "Audit every order status change"


def test_change_on_disk_reloads_a_clean_page_and_keeps_unsaved_edits(qtbot, window, shop):
    page = window.open_element("events.CustomerAudit")
    set_enable(window.project.get("events.CustomerAudit"), False)
    qtbot.waitUntil(lambda: not page.enable_switch.isChecked(), timeout=5000)

    type_into(qtbot, page.title_edit, "My unsaved title")
    path = shop / "events/CustomerAudit/e.json"
    path.write_text(path.read_text().replace('"operate": "FieldUpdateAfter"', '"operate": "UpdateAfter"'))
    qtbot.waitUntil(lambda: page.changed_bar.isVisibleTo(page), timeout=5000)
    assert page.title_edit.text() == "My unsaved title"
    page.changed_bar.sig_reload.emit()
    assert page.form.operate.currentData() == "UpdateAfter"
    assert page.title_edit.text() == "Audit VIP customer changes"


def test_execution_records_button_routes_to_the_window(qtbot, window, monkeypatch):
    opened = []
    records = window.get_feature("records")
    monkeypatch.setattr(records, "open_records", lambda name: opened.append(name))
    page = window.open_element("events.OrderStatusAudit")
    page.sig_open_records.disconnect()
    page.sig_open_records.connect(records.open_records)
    click(qtbot, page.records_button)
    assert opened == ["events.OrderStatusAudit"]


def test_test_run_payload_is_prefilled_for_the_event(qtbot, window):
    page = window.open_element("events.OrderPaidNotify")
    click(qtbot, page.test_button)
    payload = json.loads(page.test_panel.payload.text())
    assert payload["model"] == "models.Order" and payload["optType"] == "UpdateAfter"
    assert set(payload["prevData"]) >= {"id", "status", "amount"} and payload["postData"]["status"] is None
    agent = window.open_element("events.AgentToolPreCall")
    click(qtbot, agent.test_button)
    assert json.loads(agent.test_panel.payload.text())["toolName"].startswith("services.OrderSvc.")
