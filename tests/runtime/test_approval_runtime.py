"""Approvals on the real Runtime: the workflows.X element API and an aborting handler undoing real writes."""
from __future__ import annotations

import json

import pytest

from _shop_orders import place_paid_orders
from jitstudio.runtime import Runtime
from jitstudio.runtime.engines.approvals import ApprovalAborted, acting_as

BLOCKER = '''def customFunc(eventOutData):
    if eventOutData.status.value == "Pass" and float(eventOutData.row.amount.value) > 500:
        raise ValueError("refunds over 500 need the owner's signature first")
'''


@pytest.fixture
def runtime(shop):
    app = shop
    blocker = app / "events" / "ZBlockBigRefunds"
    blocker.mkdir()
    (blocker / "e.json").write_text(json.dumps({"title": "Block big refunds", "type": "events.WorkflowType", "model": "models.Order",
                                                "operate": "Process", "funcType": "Inner", "enable": 1, "backendBundleEntry": "."}))
    (blocker / "inner.py").write_text(BLOCKER)
    (blocker / "__init__.py").write_text("from .inner import customFunc\n")
    rt = Runtime(app, async_worker=False)
    place_paid_orders(rt, (2, 1))
    yield rt
    rt.drain()
    rt.close()


def test_workflow_element_api_from_service_code(runtime):
    ai = runtime.engines
    flow = runtime.app.getElement("workflows.RefundApproval")
    assert flow.getStartNodeId() == "start"
    assert [n["name"] for n in flow.getNextNodes("amountBranch")] == ["financeApproval", "end"]
    assert [n["name"] for n in flow.getPrevNodes("end")] == ["amountBranch", "financeApproval"]
    assert flow.getNode("managerApproval")["kind"] == "approval" and flow.getApproveNodeIdList() == ["managerApproval", "financeApproval"]
    with acting_as("ann"):
        result = runtime.call("services.OrderSvc.refundOrder", kwargs={"orderId": 2, "reason": "too dark"})
    assert result["status"] == "refunding" and result["needsFinance"] is False
    task = ai.approvals.pending("manager")[0]
    assert ai.approvals.instance(task["instanceId"])["submitter"] == "ann"
    row = runtime.model("models.Order").getByPK(2)
    flow.doHandle(2, "managerApproval", row, {"user": "manager", "comment": "fine"})
    assert runtime.model("models.Order").getByPK(2).value["status"] == "refunded"


def test_aborting_handler_undoes_the_action_and_the_handlers_writes(runtime):
    ai = runtime.engines
    ai.approvals.add_user("fiona", ["finance"])
    with acting_as("ann"):
        runtime.call("services.OrderSvc.refundOrder", kwargs={"orderId": 1, "reason": "broken"})
    instance = ai.approvals.pending("manager")[0]["instanceId"]
    ai.approvals.act(instance, "agree", user="manager")
    before = ai.approvals.instance(instance)
    with pytest.raises(ApprovalAborted, match="need the owner's signature") as caught:
        ai.approvals.act(instance, "agree", user="fiona")
    assert caught.value.event == "events.ZBlockBigRefunds"
    assert ai.approvals.instance(instance) == before
    assert runtime.model("models.Order").getByPK(1).value["status"] == "refunding"
    assert runtime.records.count(event="events.ZBlockBigRefunds", status="fail") == 1
    assert runtime.records.count(event="workflows.RefundApproval", status="fail") == 1
