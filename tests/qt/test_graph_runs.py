"""Runs on the drawing, with real runtime processes on a copy of the example shop: a live assistant turn drawn
as its nodes run, a backend switch turned on in the inspector making the node's event fire in the next turn,
a recorded run picked from the Runs menu, and a record browser's execution shown on its graph."""
from __future__ import annotations

import json

import pytest

from _shop_orders import place_paid_orders
from jitstudio.runtime import Runtime
from jitstudio.runtime.data.db import resolve_db_url
from jitstudio.runtime.records import RecordStore, records_url_for

ASSISTANT = "aiassistants.ShopAssistant"
WAIT_MS = 60_000


@pytest.fixture
def shop(shop):
    """The shop with a customer, a lamp and a paid order #1."""
    with Runtime(shop, async_worker=False) as rt:
        place_paid_orders(rt)
    return shop


def graph_of(window, name):
    page = window.open_element(name)
    editor = page.tabs.widget(0)
    assert page.tabs.tabText(0) == "Graph"
    return page, editor


def run_turn(qtbot, editor, message, inputs):
    runner = editor.runs.start_turn(message, inputs)
    assert runner is not None
    qtbot.waitUntil(lambda: not runner.is_running() and editor.runs.live_button.isEnabled(), timeout=WAIT_MS)
    return runner


def lookup_records(shop) -> int:
    url, _origin = resolve_db_url(shop, None, None)
    store = RecordStore(records_url_for(shop, url))
    try:
        return len(store.page(event="events.LookupNodeFinished", limit=500).records)
    finally:
        store.close()


def test_a_live_turn_draws_each_node_as_it_runs(qtbot, window):
    _page, editor = graph_of(window, ASSISTANT)

    runner = run_turn(qtbot, editor, "What is the status of order 1?", {"orderId": 1})

    states = {node: item.run for node, item in editor.scene.nodes.items()}
    assert {node: state[0] for node, state in states.items() if state} == {
        "start": "ok", "checkOrderId": "ok", "lookupOrder": "ok", "orderAgent": "ok", "end": "ok"}, runner.stdout
    assert "Order 1 is paid" in editor.run_banner.text()
    assert all(item.opacity() == 1.0 for item in editor.scene.nodes.values())
    taken = {(item.link.source, item.link.target) for item in editor.scene.links if item.taken}
    assert taken == {("start", "checkOrderId"), ("checkOrderId", "lookupOrder"), ("lookupOrder", "orderAgent"), ("orderAgent", "end")}

    # once the turn has ended, its record fills in what each node did and the executions fired there
    qtbot.waitUntil(lambda: editor.runs.run is not None, timeout=WAIT_MS)
    assert "tool services.OrderSvc.getOrder" in editor.scene.nodes["orderAgent"].run[1]
    assert editor.runs.records_of("lookupOrder")
    assert "Order 1 is paid" in editor.run_banner.text()


def test_a_node_that_fails_is_drawn_red_with_its_error(qtbot, window):
    _page, editor = graph_of(window, ASSISTANT)

    run_turn(qtbot, editor, "Where is order 99?", {"orderId": 99})

    status, text = editor.scene.nodes["lookupOrder"].run
    assert status == "failed" and "Order 99 does not exist" in text
    assert editor.scene.nodes["orderAgent"].run is None and editor.scene.nodes["orderAgent"].opacity() < 1.0
    assert "failed at lookupOrder" in editor.run_banner.text()


def test_the_backend_switch_turned_on_in_the_inspector_makes_the_node_event_fire(qtbot, window, shop):
    _page, editor = graph_of(window, ASSISTANT)
    editor.scene.select(["lookupOrder"])
    switch = editor.inspector.panel.backend
    assert switch.isChecked()

    switch.click()  # off: written to config.json at once
    assert json.loads((shop / "aiassistants/ShopAssistant/config.json").read_text())["nodes"]["lookupOrder"]["events"]["backend"] is False
    run_turn(qtbot, editor, "Order 1?", {"orderId": 1})
    assert lookup_records(shop) == 0

    editor.scene.select(["lookupOrder"])
    editor.inspector.panel.backend.click()  # on again
    run_turn(qtbot, editor, "Order 1?", {"orderId": 1})
    assert lookup_records(shop) == 1


def test_a_recorded_run_picked_from_the_runs_menu_is_drawn(qtbot, window):
    _page, editor = graph_of(window, ASSISTANT)
    run_turn(qtbot, editor, "Where is order 99?", {"orderId": 99})
    run_turn(qtbot, editor, "What is the status of order 1?", {"orderId": 1})
    editor.runs.clear()
    assert all(item.run is None for item in editor.scene.nodes.values())

    editor.runs.menu.aboutToShow.emit()
    qtbot.waitUntil(lambda: any("Turn" in a.text() for a in editor.runs.menu.actions()), timeout=WAIT_MS)
    turns = [a for a in editor.runs.menu.actions() if "Turn" in a.text()]
    assert len(turns) == 2 and "failed" in turns[1].text()
    turns[1].trigger()

    assert editor.scene.nodes["lookupOrder"].run[0] == "failed"
    taken = {(item.link.source, item.link.target) for item in editor.scene.links if item.taken}
    assert taken == {("start", "checkOrderId"), ("checkOrderId", "lookupOrder")}
    assert "Clear" in editor.run_banner.text()


def test_an_execution_in_the_record_browser_shows_its_run_on_the_graph(qtbot, window):
    _page, editor = graph_of(window, ASSISTANT)
    run_turn(qtbot, editor, "What is the status of order 1?", {"orderId": 1})
    editor.runs.clear()
    records = window.api.get_feature("records").open_records("events.LookupNodeFinished")
    qtbot.waitUntil(lambda: records.model.rowCount() == 1, timeout=WAIT_MS)
    records.table.selectRow(0)
    qtbot.waitUntil(lambda: hasattr(records.detail, "links") and "run:" in records.detail.links.text(), timeout=WAIT_MS)

    records.detail._link_activated(records.detail.links.text().split('href="')[-1].split('"')[0])

    qtbot.waitUntil(lambda: window.current_page() is not records and editor.scene.nodes["end"].run is not None, timeout=WAIT_MS)
    assert {node: item.run[0] for node, item in editor.scene.nodes.items()} == {
        "start": "ok", "checkOrderId": "ok", "lookupOrder": "ok", "orderAgent": "ok", "end": "ok"}


@pytest.fixture
def refund_approved(shop):
    """Order 1 (300) sent for a refund by ann, agreed by the store manager: the small refund's way to the end."""
    from jitstudio.runtime.engines.approvals import acting_as

    with Runtime(shop, async_worker=False) as rt:
        with acting_as("ann"):
            instance = rt.engines.approvals.submit("workflows.RefundApproval", 1, user="ann").instance["id"]
        with acting_as("manager"):
            rt.engines.approvals.act(instance, "agree", user="manager")
    return shop


def test_an_approval_picked_from_the_runs_menu_is_drawn_on_the_workflow(qtbot, window, refund_approved):
    _page, editor = graph_of(window, "workflows.RefundApproval")

    editor.runs.menu.aboutToShow.emit()
    qtbot.waitUntil(lambda: any("Approval" in a.text() for a in editor.runs.menu.actions()), timeout=WAIT_MS)
    [approval] = [a for a in editor.runs.menu.actions() if "Approval" in a.text()]
    approval.trigger()

    drawn = {node: item.run for node, item in editor.scene.nodes.items() if item.run}
    assert list(drawn) == ["start", "managerApproval", "amountBranch", "end"]
    assert "agree by manager" in drawn["managerApproval"][1]
    assert editor.scene.nodes["financeApproval"].opacity() < 1.0  # the large-refund way was not taken
    taken = {(item.link.source, item.link.target) for item in editor.scene.links if item.taken}
    assert ("amountBranch", "end") in taken and ("amountBranch", "financeApproval") not in taken
