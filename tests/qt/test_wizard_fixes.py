"""The "+ Event" wizards as a new user meets them: Enter finishes instead of adding a filter row, AI events
start with their inner function, the agent tool function chosen is the one the event page shows, and the
dialogs grow (or scroll) instead of squashing rows and cutting wrapped text. The event page's switches say
what they do."""
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from jitstudio.project import load_project
from jitstudio.qt.pages import QtEventPage
from jitstudio.qt.wizards import AgentEventWizard, ApprovalEventWizard, AssistantEventWizard, ModelEventWizard
from jitstudio.qt.wizards.qbuilder import _ConditionRow
from qt_helpers import choose, click, show_dialog, type_into


def _ejson(shop, name):
    return json.loads((shop / "events" / name / "e.json").read_text())


def _tool_functions(shop):
    return json.loads((shop / "aiagents/OrderAgent/config.json").read_text())["tools"][0]["enableFunctionList"]


def _condition_rows(wizard):
    return wizard.form.filter.root_group.findChildren(_ConditionRow)


def _shows_all_its_lines(label):
    return label.height() >= label.heightForWidth(label.width())


def _laid_out(holds) -> bool:
    """Whether `holds()` once the layouts have settled (they do when the posted layout requests are handled)."""
    for _ in range(10):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    return holds()


# -- Enter


def test_enter_in_the_title_finishes_the_wizard(qtbot, project, shop):
    wizard = show_dialog(qtbot, ModelEventWizard, project)
    type_into(qtbot, wizard.name, "OrderShipped")
    type_into(qtbot, wizard.title_edit, "Tell the customer")
    qtbot.keyClick(wizard.title_edit, Qt.Key.Key_Return)
    assert _condition_rows(wizard) == []
    assert wizard.result() == QDialog.DialogCode.Accepted, wizard.message.text()
    assert _ejson(shop, "OrderShipped")["title"] == "Tell the customer"


def test_enter_adds_nothing_while_the_wizard_cannot_finish(qtbot, project, shop):
    wizard = show_dialog(qtbot, ModelEventWizard, project)
    type_into(qtbot, wizard.title_edit, "No name yet")
    qtbot.keyClick(wizard.title_edit, Qt.Key.Key_Enter)
    assert _condition_rows(wizard) == []
    assert wizard.isVisible() and wizard.result() != QDialog.DialogCode.Accepted
    type_into(qtbot, wizard.name, "Named")
    assert wizard.finish.isEnabled(), wizard.message.text()


# -- the execution function of new AI events


@pytest.mark.parametrize("wizard_class", [AssistantEventWizard, AgentEventWizard])
def test_new_ai_events_run_their_inner_function(qtbot, project, shop, wizard_class):
    wizard = show_dialog(qtbot, wizard_class, project)
    assert wizard.function.inner_radio.isChecked() and wizard.function.func() is None
    if wizard_class is AssistantEventWizard:
        choose(wizard.form.level, "node")  # used to switch the handler to another service function
        assert wizard.function.inner_radio.isChecked()
    type_into(qtbot, wizard.name, "FreshAiEvent")
    qtbot.keyClick(wizard.name, Qt.Key.Key_Return)
    assert wizard.result() == QDialog.DialogCode.Accepted, wizard.message.text()
    data = _ejson(shop, "FreshAiEvent")
    assert data["funcType"] == "Inner" and "func" not in data
    assert "def customFunc(" in (shop / "events/FreshAiEvent/inner.py").read_text()


# -- agent tool functions


def test_the_tool_function_chosen_is_the_one_the_event_page_shows(qtbot, project, shop):
    wizard = show_dialog(qtbot, AgentEventWizard, project)
    type_into(qtbot, wizard.name, "PlaceOrderCalled")
    choose(wizard.form.agent, "aiagents.OrderAgent")
    choose(wizard.form.stage, "preEvent")
    wizard.form.functions.check("placeOrder")
    click(qtbot, wizard.finish)
    assert wizard.result() == QDialog.DialogCode.Accepted, wizard.message.text()
    assert _tool_functions(shop)["placeOrder"] == {"preEvent": {"withData": True}}

    page = QtEventPage(load_project(shop), "events.PlaceOrderCalled")
    qtbot.addWidget(page)
    # every function whose preEvent is on fires the event: the page shows them all, placeOrder among them
    assert page.form.functions.checked() == ["placeOrder", "getOrder", "refundOrder"]
    assert not page.is_dirty()


def test_the_event_page_switches_a_tool_function_off(qtbot, project, shop):
    page = QtEventPage(project, "events.AgentToolPreCall")
    qtbot.addWidget(page)
    page.show()
    assert "getOrder" in page.form.functions.checked()
    page.form.functions.check("getOrder", False)
    assert page.is_dirty()
    assert page.save(), page.status.text()
    functions = _tool_functions(shop)
    assert "preEvent" not in functions["getOrder"] and functions["getOrder"]["postEvent"] == {"withData": False}
    assert functions["refundOrder"] == {"preEvent": {"withData": True}}


# -- layout


def test_filter_rows_keep_their_height_when_a_service_function_is_chosen(qtbot, project):
    wizard = show_dialog(qtbot, ModelEventWizard, project)
    for _ in range(3):
        click(qtbot, wizard.form.filter.root_group.findChild(type(wizard.finish), "qAddCondition"))
    click(qtbot, wizard.function.service_radio)
    qtbot.waitUntil(lambda: wizard.function.combo.isVisible())
    rows = _condition_rows(wizard)
    assert len(rows) == 3
    assert _laid_out(lambda: all(row.height() >= row.minimumSizeHint().height() for row in rows))
    assert wizard.height() <= wizard.screen().availableGeometry().height()


def test_many_filter_rows_scroll_inside_a_dialog_that_fits_the_screen(qtbot, project):
    wizard = show_dialog(qtbot, ModelEventWizard, project)
    for _ in range(12):
        click(qtbot, wizard.form.filter.root_group.findChild(type(wizard.finish), "qAddCondition"))
    rows = _condition_rows(wizard)
    assert _laid_out(lambda: all(row.height() >= row.minimumSizeHint().height() for row in rows)
              and wizard.body_scroll.verticalScrollBar().maximum() > 0 and _shows_all_its_lines(wizard.message))
    assert wizard.height() <= wizard.screen().availableGeometry().height()


def test_wrapped_error_and_node_hint_show_every_line(qtbot, project):
    wizard = show_dialog(qtbot, ModelEventWizard, project)
    choose(wizard.form.model, "models.Order")
    wizard.form.filter.set_text("Q(Q('nosuchfield_with_a_long_name', '=', 1), Q.AND, Q('another_missing_field', '>', 0))")
    wizard.validate()
    note = wizard.form.filter.note
    assert "unknown field" in note.text() and "unknown field" in wizard.message.text()
    assert _laid_out(lambda: _shows_all_its_lines(note) and _shows_all_its_lines(wizard.message))

    assistant = show_dialog(qtbot, AssistantEventWizard, project)
    choose(assistant.form.level, "node")
    choose(assistant.form.node, "checkOrderId")
    hint = assistant.form.node_hint
    assert "never fires" in hint.text()
    assert _laid_out(lambda: _shows_all_its_lines(hint))


def test_approval_trigger_nodes_show_at_least_four_rows(qtbot, project):
    wizard = show_dialog(qtbot, ApprovalEventWizard, project)
    choose(wizard.form.workflow, "workflows.RefundApproval")
    choose(wizard.form.operate, "NodeChange")
    nodes = wizard.form.trigger_nodes
    assert nodes.count() > 4
    assert _laid_out(lambda: nodes.viewport().height() >= 4 * nodes.sizeHintForRow(0))


# -- the event page's switches


def test_enabled_and_async_switches_say_what_they_do(qtbot, project):
    page = QtEventPage(project, "events.OrderStatusAudit")
    qtbot.addWidget(page)
    enabled, run_async = page.enable_switch.toolTip(), page.async_switch.toolTip()
    assert "fires this event" in enabled and "ignored" in enabled
    assert "after the triggering operation commits" in run_async and "rolls back" in run_async
