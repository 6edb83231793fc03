"""Each of the five event kinds created through its wizard by clicking and typing; the files on disk load
without errors."""
import json

from PySide6.QtWidgets import QDialog

from jitstudio.project import load_project
from jitstudio.qt.wizards import (
    AgentEventWizard, ApprovalEventWizard, AssistantEventWizard, CustomEventWizard, ModelEventWizard,
)
from qt_helpers import choose, click, show_dialog, type_into


def _ejson(root, name):
    return json.loads((root / "events" / name / "e.json").read_text())


def _finish(qtbot, wizard):
    assert wizard.finish.isEnabled(), wizard.message.text()
    click(qtbot, wizard.finish)
    assert wizard.result() == QDialog.DialogCode.Accepted, wizard.message.text()


def test_model_event_wizard_writes_the_event(qtbot, project, shop):
    wizard = show_dialog(qtbot, ModelEventWizard, project)
    type_into(qtbot, wizard.name, "OrderShipped")
    type_into(qtbot, wizard.title_edit, "Tell the customer their order shipped")
    form = wizard.form
    choose(form.model, "models.Order")
    choose(form.operate, "UpdateAfter")
    click(qtbot, form.some_fields)
    form.fields.check("status")
    click(qtbot, form.filter.root_group.findChild(type(wizard.finish), "qAddCondition"))
    row = form.filter.root_group.findChildren(type(form.filter.text_edit), "qValue")[0]
    form.filter.root_group.findChildren(type(form.model), "qField")[0].setCurrentText("status")
    type_into(qtbot, row, "shipped")
    assert form.filter.text() == "Q(Q('status', '=', 'shipped'))"
    click(qtbot, wizard.execution.async_radio)
    _finish(qtbot, wizard)

    data = _ejson(shop, "OrderShipped")
    assert data["type"] == "events.ModelType" and data["sender"] == "models.Order"
    assert data["operate"] == "UpdateAfter" and data["fields"] == ["status"]
    assert data["filter"] == "Q(Q('status', '=', 'shipped'))"
    assert data["enable"] == 0 and data["asyncType"] is True and data["funcType"] == "Inner"
    assert "def customFunc(eventOutData)" in (shop / "events/OrderShipped/inner.py").read_text()
    assert load_project(shop).errors == []


def test_model_event_with_service_function(qtbot, project, shop):
    wizard = show_dialog(qtbot, ModelEventWizard, project)
    type_into(qtbot, wizard.name, "AuditOrders")
    choose(wizard.form.model, "models.Order")
    click(qtbot, wizard.function.service_radio)
    offered = [wizard.function.combo.itemData(i) for i in range(wizard.function.combo.count())]
    assert "services.OrderSvc.auditChange" in offered
    assert "services.OrderSvc.placeOrder" not in offered  # three parameters do not fit one eventOutData
    choose(wizard.function.combo, "services.OrderSvc.auditChange")
    _finish(qtbot, wizard)
    data = _ejson(shop, "AuditOrders")
    assert data["funcType"] == "Global" and data["func"] == "services.OrderSvc.auditChange"
    assert not (shop / "events/AuditOrders/inner.py").exists()
    assert load_project(shop).errors == []


def test_approval_event_wizard(qtbot, project, shop):
    wizard = show_dialog(qtbot, ApprovalEventWizard, project)
    type_into(qtbot, wizard.name, "ManagerActed")
    choose(wizard.form.workflow, "workflows.RefundApproval")
    choose(wizard.form.operate, "NodeHandled")
    assert wizard.form.handle_types.isVisible() and not wizard.form.trigger_nodes.isVisible()
    assert not wizard.finish.isEnabled()  # no handle type picked yet
    choose(wizard.form.handle_node, "managerApproval")
    wizard.form.handle_types.check("agree")
    wizard.form.handle_types.check("refuse")
    _finish(qtbot, wizard)
    data = _ejson(shop, "ManagerActed")
    assert data["model"] == "models.Order" and data["operate"] == "NodeHandled"
    assert data["handleNode"] == "managerApproval" and data["handleType"] == ["agree", "refuse"]
    assert load_project(shop).errors == []


def test_approval_node_change(qtbot, project, shop):
    wizard = show_dialog(qtbot, ApprovalEventWizard, project)
    type_into(qtbot, wizard.name, "ReachedFinance")
    choose(wizard.form.operate, "NodeChange")
    wizard.form.trigger_nodes.check("before.financeApproval")
    _finish(qtbot, wizard)
    assert _ejson(shop, "ReachedFinance")["triggerNode"] == ["before.financeApproval"]
    assert load_project(shop).errors == []


def test_custom_event_wizard(qtbot, project, shop):
    wizard = show_dialog(qtbot, CustomEventWizard, project)
    type_into(qtbot, wizard.name, "PaidAgain")
    choose(wizard.form.declared, "services.OrderSvc.orderPaid")
    click(qtbot, wizard.function.service_radio)
    choose(wizard.function.combo, "services.OrderSvc.onOrderPaid")
    _finish(qtbot, wizard)
    data = _ejson(shop, "PaidAgain")
    assert data["type"] == "events.NormalType" and data["sender"] == "services.OrderSvc.orderPaid"
    assert data["func"] == "services.OrderSvc.onOrderPaid"
    assert load_project(shop).errors == []


def test_assistant_event_wizard_node_level(qtbot, project, shop):
    wizard = show_dialog(qtbot, AssistantEventWizard, project)
    type_into(qtbot, wizard.name, "AgentAnswered")
    choose(wizard.form.assistant, "aiassistants.ShopAssistant")
    choose(wizard.form.level, "node")
    choose(wizard.form.node, "orderAgent")
    choose(wizard.form.node_operate, "afterNodeRun")
    assert "on" in wizard.form.node_hint.text()
    click(qtbot, wizard.function.inner_radio)
    _finish(qtbot, wizard)
    data = _ejson(shop, "AgentAnswered")
    assert data["sender"] == "aiassistants.ShopAssistant" and data["operate"] == "orderAgent.afterNodeRun"
    assert load_project(shop).errors == []


def test_assistant_event_wizard_lifecycle_with_service(qtbot, project, shop):
    wizard = show_dialog(qtbot, AssistantEventWizard, project)
    type_into(qtbot, wizard.name, "TurnDone")
    choose(wizard.form.level, "lifecycle")
    choose(wizard.form.lifecycle, "turnEnd")
    assert wizard.function.inner_radio.isChecked()  # new events start with their inner function
    click(qtbot, wizard.function.service_radio)
    _finish(qtbot, wizard)
    data = _ejson(shop, "TurnDone")
    assert data["operate"] == "turnEnd" and data["funcType"] == "Global"
    assert load_project(shop).errors == []


def test_agent_event_wizard_switches_the_tool_stage_on(qtbot, project, shop):
    wizard = show_dialog(qtbot, AgentEventWizard, project)
    type_into(qtbot, wizard.name, "RefundRequested")
    choose(wizard.form.agent, "aiagents.OrderAgent")
    choose(wizard.form.tool, "0")
    choose(wizard.form.stage, "postEvent")
    assert wizard.form.functions.checked() == ["getOrder"]  # getOrder's postEvent is on already
    assert not wizard.form.with_data.isChecked()  # as getOrder's postEvent has it
    wizard.form.functions.check("refundOrder")
    click(qtbot, wizard.function.service_radio)
    choose(wizard.function.combo, "services.OrderSvc.logAgentTool")
    _finish(qtbot, wizard)
    data = _ejson(shop, "RefundRequested")
    assert data["type"] == "events.AIAgentType" and data["stage"] == "postEvent"
    assert data["func"] == "services.OrderSvc.logAgentTool"
    config = json.loads((shop / "aiagents/OrderAgent/config.json").read_text())
    functions = config["tools"][0]["enableFunctionList"]
    assert functions["refundOrder"] == {"preEvent": {"withData": True}, "postEvent": {"withData": False}}
    assert functions["getOrder"]["postEvent"] == {"withData": False}
    assert load_project(shop).errors == []
