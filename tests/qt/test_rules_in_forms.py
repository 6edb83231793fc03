"""The forms show what the project's rules say, in the words `jitstudio check` uses for a file that breaks them."""
import json

from jitstudio.project import load_project
from jitstudio.project.rules import async_problem
from jitstudio.qt.wizards import ApprovalEventWizard, ModelEventWizard, NewServiceWizard
from qt_helpers import choose, click, show_dialog, type_into


def _messages(root) -> list[str]:
    return [p.message for p in load_project(root).problems]


def _sentence(message: str) -> str:
    return message[0].upper() + message[1:]


def test_model_wizard_and_check_on_async_before(qtbot, project, shop):
    wizard = show_dialog(qtbot, ModelEventWizard, project)
    type_into(qtbot, wizard.name, "EarlyAsync")
    choose(wizard.form.model, "models.Order")
    choose(wizard.form.operate, "AddBefore")
    click(qtbot, wizard.execution.async_radio)
    rule = async_problem("model", "AddBefore")

    assert wizard.message.text() == _sentence(rule)
    assert not wizard.finish.isEnabled()

    (shop / "events/EarlyAsync").mkdir()
    (shop / "events/EarlyAsync/e.json").write_text(json.dumps({
        "title": "Early", "type": "events.ModelType", "sender": "models.Order", "operate": "AddBefore",
        "funcType": "Global", "func": "services.OrderSvc.auditChange", "asyncType": True}, indent=2))
    assert _messages(shop) == [rule]


def test_event_page_async_switch_and_check(qtbot, window, shop):
    page = window.open_element("events.FillOrderNo")
    click(qtbot, page.async_switch)

    rule = async_problem("model", "AddBefore")
    assert page.status.text() == _sentence(rule) + "."
    assert not page.async_switch.isChecked()
    assert json.loads((shop / "events/FillOrderNo/e.json").read_text())["asyncType"] is False


def test_event_page_title_and_check(qtbot, window, shop):
    page = window.open_element("events.OrderStatusAudit")
    type_into(qtbot, page.title_edit, "")

    assert "Title: give the event a title" in page.status.text()
    assert not page.save()

    path = shop / "events/OrderStatusAudit/e.json"
    path.write_text(path.read_text().replace('"Audit order status changes"', '""'))
    assert _messages(shop) == ["give the event a title"]


def test_approval_wizard_and_check_on_node_change_without_transitions(qtbot, project, shop):
    wizard = show_dialog(qtbot, ApprovalEventWizard, project)
    type_into(qtbot, wizard.name, "AnyTransition")
    choose(wizard.form.operate, "NodeChange")

    assert wizard.message.text().startswith("Trigger nodes: pick at least one transition")
    assert not wizard.finish.isEnabled()
    rule = wizard.message.text().removeprefix("Trigger nodes: ")

    (shop / "events/AnyTransition").mkdir()
    (shop / "events/AnyTransition/e.json").write_text(json.dumps({
        "title": "Any", "type": "events.WorkflowType", "model": "models.Order", "operate": "NodeChange",
        "triggerNode": [], "funcType": "Global", "func": "services.OrderSvc.auditChange"}, indent=2))
    assert _messages(shop) == [rule]


def test_service_wizard_and_check_on_an_event_declared_twice(qtbot, project, shop):
    wizard = show_dialog(qtbot, NewServiceWizard, project)
    type_into(qtbot, wizard.name, "BillingSvc")
    for _ in range(2):
        click(qtbot, wizard.events.add_button)
    wizard.events.set_cell(0, "name", "billed")
    wizard.events.set_cell(1, "name", "billed")

    assert wizard.message.text() == "Declared events: event 'billed' is declared twice"
    assert not wizard.finish.isEnabled()

    path = shop / "services/OrderSvc/e.json"
    data = json.loads(path.read_text())
    data["eventDescs"] += [data["eventDescs"][0]]
    path.write_text(json.dumps(data, indent=2))
    assert _messages(shop) == [f"event '{data['eventDescs'][0]['name']}' is declared twice"]
