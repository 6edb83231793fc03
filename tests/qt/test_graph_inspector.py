"""The graph inspector: each edit a user makes on a node or link leaves as one (pointer, value) set or one
pointer delete; showing the same node again with a changed config updates the form in place and emits nothing;
read-only disables editing."""
import copy
import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from jitstudio.qt.graph.inspector import QtGraphInspector
from qt_helpers import choose, click, type_into

WORKFLOW, ASSISTANT = "workflows.RefundApproval", "aiassistants.ShopAssistant"


@pytest.fixture
def configs(shop):
    return {WORKFLOW: json.loads((shop / "workflows/RefundApproval/config.json").read_text()),
            ASSISTANT: json.loads((shop / "aiassistants/ShopAssistant/config.json").read_text())}


@pytest.fixture
def inspector(qtbot, project):
    widget = QtGraphInspector()
    qtbot.addWidget(widget)
    widget.resize(340, 900)
    widget.show()
    widget.emitted = []
    widget.sig_set.connect(lambda pointer, value: widget.emitted.append(("set", pointer, value)))
    widget.sig_delete.connect(lambda pointer: widget.emitted.append(("delete", pointer)))
    widget.sig_open_event.connect(lambda name: widget.emitted.append(("open", name)))
    widget.project = project
    return widget


def _workflow(inspector, configs, node="managerApproval"):
    inspector.set_context(inspector.project, inspector.project.get(WORKFLOW))
    inspector.show_node("workflow", node, configs[WORKFLOW])
    return inspector.panel


def _assistant(inspector, configs, node="lookupOrder"):
    inspector.set_context(inspector.project, inspector.project.get(ASSISTANT))
    inspector.show_node("assistant", node, configs[ASSISTANT])
    return inspector.panel


def _enter(qtbot, edit: QLineEdit, text: str) -> None:
    type_into(qtbot, edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def _click_check(qtbot, check_list, value) -> None:
    """Click the check box of the item holding `value`, where a user would."""
    row = check_list.values().index(value)
    rect = check_list.visualItemRect(check_list.item(row))
    qtbot.mouseClick(check_list.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y()))


def test_node_title_commits_once_on_enter_and_only_when_changed(qtbot, inspector, configs):
    panel = _workflow(inspector, configs)
    _enter(qtbot, panel.title, "Manager decides")
    qtbot.keyClick(panel.title, Qt.Key.Key_Return)
    assert inspector.emitted == [("set", "/nodeList/1/title", "Manager decides")]
    _enter(qtbot, panel.title, "Manager decides")
    assert len(inspector.emitted) == 1


def test_checking_an_approver_writes_the_approvers_of_manager_approval(qtbot, inspector, configs):
    panel = _workflow(inspector, configs)
    assert panel.users.checked() == ["manager"]
    assert [panel.users.item(i).text() for i in range(panel.users.count())][2] == "Fiona (finance) (fiona)"
    _click_check(qtbot, panel.users, "fiona")
    _click_check(qtbot, panel.roles, "finance")
    assert inspector.emitted == [
        ("set", "/nodeConfig/managerApproval/approvers", {"users": ["manager", "fiona"], "roles": []}),
        ("set", "/nodeConfig/managerApproval/approvers", {"users": ["manager", "fiona"], "roles": ["finance"]}),
    ]


def test_an_approval_node_without_approvers_warns_and_its_first_approver_creates_its_config(qtbot, inspector, configs):
    del configs[WORKFLOW]["nodeConfig"]["financeApproval"]
    panel = _workflow(inspector, configs, "financeApproval")
    assert panel.warning.isVisible()
    _click_check(qtbot, panel.users, "fiona")
    assert inspector.emitted == [("set", "/nodeConfig/financeApproval", {"approvers": {"users": ["fiona"], "roles": []}})]
    assert not panel.warning.isVisible()


def test_showing_the_same_node_again_updates_in_place_keeps_focus_and_scroll_and_emits_nothing(qtbot, inspector, configs):
    inspector.resize(340, 260)
    panel = _assistant(inspector, configs)
    title, switch = panel.title, panel.backend
    bar = inspector.scroller.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    title.setFocus()
    changed = copy.deepcopy(configs[ASSISTANT])
    changed["nodes"]["lookupOrder"]["title"] = "Find the order"
    changed["nodes"]["lookupOrder"]["events"]["backend"] = False
    changed["nodes"]["lookupOrder"]["args"]["orderId"] = "checkOrderId.branch"
    inspector.show_node("assistant", "lookupOrder", changed)
    assert inspector.panel is panel and panel.title is title and panel.backend is switch
    assert title.text() == "Find the order" and title.hasFocus()
    assert not switch.isChecked()
    assert panel.args.rows[0][1].text() == "checkOrderId.branch"
    assert bar.value() == bar.maximum() // 2
    assert inspector.emitted == []


def test_showing_another_node_rebuilds_the_form(inspector, configs):
    first = _assistant(inspector, configs)
    inspector.show_node("assistant", "orderAgent", configs[ASSISTANT])
    assert inspector.panel is not first and inspector.panel.agent is not None


def test_typing_not_yet_committed_survives_a_refresh(qtbot, inspector, configs):
    panel = _workflow(inspector, configs)
    type_into(qtbot, panel.title, "Half typed")
    inspector.show_node("workflow", "managerApproval", configs[WORKFLOW])
    assert panel.title.text() == "Half typed"
    assert inspector.emitted == []


def test_link_condition_edited_through_the_builder_rows(qtbot, inspector, configs):
    inspector.set_context(inspector.project, inspector.project.get(WORKFLOW))
    inspector.show_link("workflow", 2, configs[WORKFLOW])
    builder = inspector.panel.condition.builder
    assert "amount" in builder.fields
    value = builder.findChild(QLineEdit, "qValue")
    _enter(qtbot, value, "800")
    assert inspector.emitted == [("set", "/linkList/2/condition", "Q(Q('amount', '>', 800))")]
    choose(builder.findChild(QComboBox, "qOp"), ">=")
    assert inspector.emitted[-1] == ("set", "/linkList/2/condition", "Q(Q('amount', '>=', 800))")
    assert len(inspector.emitted) == 2


def test_link_condition_typed_as_text_and_cleared(qtbot, inspector, configs):
    inspector.set_context(inspector.project, inspector.project.get(WORKFLOW))
    inspector.show_link("workflow", 2, configs[WORKFLOW])
    text = inspector.panel.condition.builder.text_edit
    _enter(qtbot, text, "Q(Q('status', '=', 'paid'))")
    _enter(qtbot, text, "")
    assert inspector.emitted == [("set", "/linkList/2/condition", "Q(Q('status', '=', 'paid'))"),
                                 ("delete", "/linkList/2/condition")]


def test_else_check_box_sets_else_and_drops_the_condition(qtbot, inspector, configs):
    inspector.set_context(inspector.project, inspector.project.get(WORKFLOW))
    inspector.show_link("workflow", 2, configs[WORKFLOW])
    click(qtbot, inspector.panel.is_else)
    assert inspector.emitted == [("set", "/linkList/2/else", True), ("delete", "/linkList/2/condition")]
    inspector.show_link("workflow", 3, configs[WORKFLOW])
    assert inspector.panel.is_else.isChecked() and not inspector.panel.condition.isEnabled()
    click(qtbot, inspector.panel.is_else)
    assert inspector.emitted[-1] == ("delete", "/linkList/3/else")


def test_backend_switch_of_lookup_order(qtbot, inspector, configs):
    panel = _assistant(inspector, configs)
    assert panel.backend.isChecked() and not panel.page.isChecked()
    click(qtbot, panel.backend)
    assert inspector.emitted == [("set", "/nodes/lookupOrder/events/backend", False)]
    changed = copy.deepcopy(configs[ASSISTANT])
    changed["nodes"]["lookupOrder"]["events"]["backend"] = False
    inspector.show_node("assistant", "lookupOrder", changed)
    assert not panel.backend.isChecked() and len(inspector.emitted) == 1


def test_page_switch_on_a_node_without_events_creates_them(qtbot, inspector, configs):
    del configs[ASSISTANT]["nodes"]["checkOrderId"]["events"]
    panel = _assistant(inspector, configs, "checkOrderId")
    click(qtbot, panel.page)
    assert inspector.emitted == [("set", "/nodes/checkOrderId/events", {"page": True})]


def test_function_picker_and_argument_rows(qtbot, inspector, configs):
    panel = _assistant(inspector, configs)
    choose(panel.function, "services.OrderSvc.refundOrder")
    name_edit, value_edit = panel.args.rows[0]
    assert name_edit.text() == "orderId" and value_edit.text() == "start.orderId"
    _enter(qtbot, value_edit, "checkOrderId.branch")
    click(qtbot, panel.args.add_button)
    click(qtbot, panel.args.grid.itemAtPosition(0, 3).widget())
    assert inspector.emitted == [
        ("set", "/nodes/lookupOrder/function", "services.OrderSvc.refundOrder"),
        ("set", "/nodes/lookupOrder/args/orderId", "checkOrderId.branch"),
        ("set", "/nodes/lookupOrder/args/arg1", ""),
        ("delete", "/nodes/lookupOrder/args/orderId"),
    ]


def test_argument_values_offer_outputs_of_the_nodes_before(inspector, configs):
    panel = _assistant(inspector, configs)
    menu = panel.args.rows[0][1].picker_menu()
    offered = [a.data() for a in menu.actions() if a.data()]
    assert "start.orderId" in offered and "start.userInput" in offered and "checkOrderId.branch" in offered
    assert not any(str(o).startswith(("lookupOrder.", "orderAgent.")) for o in offered)
    completer = panel.args.rows[0][1].completer()
    completer.setCompletionPrefix("orderid")
    assert {completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())} == {"start.orderId", "checkOrderId.branch"}


def test_edge_arg_mapping_rows(qtbot, inspector, configs):
    inspector.set_context(inspector.project, inspector.project.get(ASSISTANT))
    inspector.show_link("assistant", 3, configs[ASSISTANT])
    rows = inspector.panel.mapping.rows
    assert [(n.text(), v.text()) for n, v in rows] == [("input_data", "start.userInput"), ("orderContext", "lookupOrder.result")]
    _enter(qtbot, rows[1][1], "lookupOrder.result.status")
    _enter(qtbot, rows[1][0], "order")
    click(qtbot, inspector.panel.mapping.grid.itemAtPosition(0, 3).widget())
    assert inspector.emitted == [
        ("set", "/edges/3/argMapping/orderContext", "lookupOrder.result.status"),
        ("set", "/edges/3/argMapping", {"input_data": "start.userInput", "order": "lookupOrder.result"}),
        ("delete", "/edges/3/argMapping/input_data"),
    ]


def test_adding_a_mapping_offers_the_target_nodes_inputs_first(qtbot, inspector, configs):
    inspector.set_context(inspector.project, inspector.project.get(ASSISTANT))
    inspector.show_link("assistant", 1, configs[ASSISTANT])
    click(qtbot, inspector.panel.mapping.add_button)
    assert inspector.emitted == [("set", "/edges/1/argMapping/orderId", "")]


def test_edge_condition_checked_against_the_if_else_inputs(qtbot, inspector, configs):
    inspector.set_context(inspector.project, inspector.project.get(ASSISTANT))
    inspector.show_link("assistant", 1, configs[ASSISTANT])
    condition = inspector.panel.condition
    assert "orderId" in condition.builder.fields
    _enter(qtbot, condition.builder.text_edit, "Q(Q('orderId', '>', ")
    assert inspector.emitted == []  # does not parse: nothing written
    _enter(qtbot, condition.builder.text_edit, "Q(Q('orderId', '>=', 1))")
    assert inspector.emitted == [("set", "/edges/1/condition", "Q(Q('orderId', '>=', 1))")]


def test_output_parameter_rows(qtbot, inspector, configs):
    panel = _assistant(inspector, configs)
    click(qtbot, panel.arrival.add_button)
    _enter(qtbot, panel.after_run.rows[2][0], "total")
    _enter(qtbot, panel.after_run.rows[2][1], "lookupOrder.result.total")
    click(qtbot, panel.after_run.grid.itemAtPosition(0, 3).widget())
    after = configs[ASSISTANT]["nodes"]["lookupOrder"]["events"]["afterRunOutputArgs"]
    assert inspector.emitted == [
        ("set", "/nodes/lookupOrder/events/arrivalOutputArgs", [{"name": "orderId", "value": "start.orderId"},
                                                                  {"name": "param1", "value": ""}]),
        ("set", "/nodes/lookupOrder/events/afterRunOutputArgs/2/name", "total"),
        ("set", "/nodes/lookupOrder/events/afterRunOutputArgs/2/value", "lookupOrder.result.total"),
        ("set", "/nodes/lookupOrder/events/afterRunOutputArgs", after[1:]),
    ]


def test_agent_picker(qtbot, inspector, configs):
    del configs[ASSISTANT]["nodes"]["orderAgent"]["agent"]
    panel = _assistant(inspector, configs, "orderAgent")
    assert panel.agent.currentText() == "(none)"
    choose(panel.agent, "aiagents.OrderAgent")
    assert inspector.emitted == [("set", "/nodes/orderAgent/agent", "aiagents.OrderAgent")]


def test_iteration_items(qtbot, inspector, configs):
    configs[ASSISTANT]["nodes"]["eachItem"] = {"id": "eachItem", "type": "iteration", "title": "Each item"}
    configs[ASSISTANT]["edges"].append({"sourceNode": "lookupOrder", "targetNode": "eachItem"})
    panel = _assistant(inspector, configs, "eachItem")
    assert "lookupOrder.result" in [a.data() for a in panel.items.picker_menu().actions() if a.data()]
    _enter(qtbot, panel.items, "lookupOrder.result.items")
    assert inspector.emitted == [("set", "/nodes/eachItem/items", "lookupOrder.result.items")]


def test_subscribed_events_open_their_page(qtbot, inspector, configs):
    panel = _assistant(inspector, configs)
    assert [b.text() for b in panel.events.buttons] == ["⚡ Check orders the assistant looked up"]
    click(qtbot, panel.events.buttons[0])
    panel = _workflow(inspector, configs)
    assert [b.toolTip() for b in panel.events.buttons] == ["events.RefundNodeHandled"]
    click(qtbot, panel.events.buttons[0])
    assert inspector.emitted == [("open", "events.LookupNodeFinished"), ("open", "events.RefundNodeHandled")]
    assert _assistant(inspector, configs, "orderAgent").events.buttons == []


def test_branch_node_lists_its_links_and_opens_one(qtbot, inspector, configs):
    panel = _workflow(inspector, configs, "amountBranch")
    selected = []
    inspector.sig_select_link.connect(selected.append)
    assert [b.text() for b in panel.links.buttons] == ["→ Finance approval:  amount > 500", "→ Refund decided:  else (otherwise)"]
    click(qtbot, panel.links.buttons[0])
    assert selected == [2] and inspector.key == ("workflow", "link", 2)
    assert inspector.panel.condition.builder.text() == "Q(Q('amount', '>', 500))"


def test_read_only_disables_editing(qtbot, inspector, configs):
    panel = _assistant(inspector, configs)
    inspector.set_read_only(True)
    assert panel.title.isReadOnly() and not panel.backend.isEnabled() and not panel.function.isEnabled()
    assert not panel.args.add_button.isEnabled() and panel.events.buttons[0].isEnabled()
    _enter(qtbot, panel.title, "Changed")
    click(qtbot, panel.backend)
    assert inspector.emitted == []
    inspector.show_link("assistant", 1, configs[ASSISTANT])
    assert not inspector.panel.is_else.isEnabled() and inspector.panel.condition.builder.text_edit.isReadOnly()
    inspector.set_read_only(False)
    assert inspector.panel.is_else.isEnabled()


def test_show_nothing_and_unknown_nodes(inspector, configs):
    _workflow(inspector, configs)
    inspector.show_node("workflow", "gone", configs[WORKFLOW])
    assert inspector.panel is None and "gone" in inspector.nothing.text()
    inspector.show_nothing("Pick something")
    assert inspector.nothing.text() == "Pick something"


def test_undo_key_drops_typing_first_then_goes_up_to_the_editor(qtbot, inspector, configs):
    panel = _workflow(inspector, configs)
    type_into(qtbot, panel.title, "Half typed")
    qtbot.keyClick(panel.title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.title.text() == "Store manager approval"
    qtbot.keyClick(panel.title, Qt.Key.Key_Return)
    assert inspector.emitted == []
