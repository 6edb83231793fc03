"""Approval paths with the WorkflowType events they fire, in order, and what the handlers receive."""
from __future__ import annotations

import pytest

from ai_support import FakeHost, make_app
from jitstudio.runtime.engines.approvals import ApprovalAborted, ApprovalDenied, ApprovalEngine, WorkflowError

REFUND = {
    "modelName": "models.Order",
    "nodeList": [
        {"name": "start", "title": "Requested", "type": 0},
        {"name": "managerApproval", "title": "Manager", "type": 1},
        {"name": "amountBranch", "title": "Over 500?", "type": 4},
        {"name": "financeApproval", "title": "Finance", "type": 1},
        {"name": "end", "title": "Done", "type": 7},
    ],
    "linkList": [
        {"linkId": "l1", "from": "start", "to": "managerApproval"},
        {"linkId": "l2", "from": "managerApproval", "to": "amountBranch"},
        {"linkId": "big", "from": "amountBranch", "to": "financeApproval", "condition": "Q(Q('amount', '>', 500))"},
        {"linkId": "small", "from": "amountBranch", "to": "end", "else": True},
        {"linkId": "l3", "from": "financeApproval", "to": "end"},
    ],
    "nodeConfig": {
        "managerApproval": {"approvers": {"users": ["manager"], "roles": []}},
        "financeApproval": {"approvers": {"users": [], "roles": ["finance"]}},
    },
}

PARALLEL = {
    "nodeList": [
        {"name": "start", "type": 0}, {"name": "split", "type": 5}, {"name": "legal", "type": 1},
        {"name": "sales", "type": 1}, {"name": "join", "type": 6}, {"name": "end", "type": 7},
    ],
    "linkList": [
        {"from": "start", "to": "split"}, {"from": "split", "to": "legal"}, {"from": "split", "to": "sales"},
        {"from": "legal", "to": "join"}, {"from": "sales", "to": "join"}, {"from": "join", "to": "end"},
    ],
    "nodeConfig": {"legal": {"approvers": {"users": ["lena"]}}, "sales": {"approvers": {"users": ["sam"]}}},
}

EVENTS = {
    "OnProcess": {"type": "events.WorkflowType", "model": "models.Order", "operate": "Process", "func": "services.S.process"},
    "OnChange": {"type": "events.WorkflowType", "model": "models.Order", "operate": "NodeChange", "func": "services.S.change"},
    "OnHandled": {"type": "events.WorkflowType", "model": "models.Order", "operate": "NodeHandled", "func": "services.S.handled"},
}
USERS = [{"name": "manager", "roles": ["manager"]}, {"name": "fiona", "roles": ["finance"]}, {"name": "admin", "roles": ["admin"]}]


def _describe(data):
    for key in ("triggerNode", "handleType", "status"):
        if key in data:
            yield key, data[key]


@pytest.fixture
def setup(tmp_path):
    make_app(tmp_path, app={"users": USERS}, workflows={"Refund": REFUND, "Sign": PARALLEL}, events=EVENTS)
    host = FakeHost(tmp_path)
    seen = []

    def recorder(kind):
        def handler(eventOutData):
            if kind == "Process":
                seen.append(("Process", eventOutData.status.value))
            elif kind == "NodeChange":
                seen.append(("NodeChange", eventOutData.triggerNode.value))
            else:
                seen.append(("NodeHandled", eventOutData.handleNode.value, eventOutData.handleType.value))
            assert eventOutData.row.value["id"] == eventOutData.row.pkData
        return handler

    host.handlers.update({"events.OnProcess": recorder("Process"), "events.OnChange": recorder("NodeChange"),
                          "events.OnHandled": recorder("NodeHandled")})
    return host, ApprovalEngine(host), seen


def test_agree_through_two_levels_fires_events_in_order(setup):
    host, engine, seen = setup
    order = host.orders.create(status="refunding", amount=800)
    inst = engine.submit("workflows.Refund", order, user="alice", comment="broken").instance
    assert inst["status"] == "In" and inst["active"] == ["managerApproval"]
    assert seen == [("NodeHandled", "start", "submit"), ("Process", "In"), ("NodeChange", "after.StartNode"),
                    ("NodeChange", "before.managerApproval")]
    assert [t["assignee"] for t in engine.pending("manager")] == ["manager"]
    seen.clear()

    inst = engine.act(inst["id"], "agree", user="manager").instance
    assert inst["active"] == ["financeApproval"] and [t["assignee"] for t in inst["pending"]] == ["fiona"]
    assert seen == [("NodeHandled", "managerApproval", "agree"), ("NodeChange", "after.managerApproval"),
                    ("NodeChange", "before.amountBranch"), ("NodeChange", "after.amountBranch"),
                    ("NodeChange", "before.financeApproval")]
    seen.clear()

    result = engine.act(inst["id"], "agree", user="fiona", comment="ok")
    assert result.instance["status"] == "Pass" and result.instance["result"] == "passed"
    assert seen == [("NodeHandled", "financeApproval", "agree"), ("NodeChange", "after.financeApproval"),
                    ("NodeChange", "before.end"), ("Process", "Pass")]
    assert [f.event for f in result.events.fired] == ["events.OnHandled", "events.OnChange", "events.OnChange", "events.OnProcess"]
    assert engine.pending() == []
    history = engine.instance(inst["id"])["history"]
    assert [(h["user"], h["action"]) for h in history] == [("alice", "submit"), ("manager", "agree"), ("fiona", "agree")]


def test_small_amount_takes_the_else_branch(setup):
    host, engine, seen = setup
    inst = engine.submit("workflows.Refund", host.orders.create(status="refunding", amount=20), user="alice").instance
    assert engine.act(inst["id"], "agree", user="manager").instance["status"] == "Pass"
    assert ("NodeChange", "before.financeApproval") not in seen


def test_refuse_ends_the_approval(setup):
    host, engine, seen = setup
    inst = engine.submit("workflows.Refund", host.orders.create(amount=800), user="alice").instance
    seen.clear()
    inst = engine.act(inst["id"], "refuse", user="manager", comment="no receipt").instance
    assert (inst["status"], inst["result"], inst["pending"]) == ("Refuse", "refused", [])
    assert seen == [("NodeHandled", "managerApproval", "refuse"), ("Process", "Refuse")]
    with pytest.raises(WorkflowError, match="has ended"):
        engine.act(inst["id"], "agree", user="manager")


def test_reject_sends_back_to_start_and_resubmit_continues(setup):
    host, engine, seen = setup
    order = host.orders.create(amount=100)
    inst = engine.submit("workflows.Refund", order, user="alice").instance
    seen.clear()
    inst = engine.act(inst["id"], "reject", user="manager", comment="add a photo").instance
    assert inst["status"] == "In" and inst["active"] == ["start"]
    assert [t["assignee"] for t in inst["pending"]] == ["alice"]
    assert seen == [("NodeHandled", "managerApproval", "reject"), ("NodeChange", "before.StartNode")]
    with pytest.raises(ApprovalDenied):
        engine.submit("workflows.Refund", order, user="bob")
    seen.clear()
    again = engine.submit("workflows.Refund", order, user="alice").instance
    assert again["id"] == inst["id"] and again["active"] == ["managerApproval"]
    assert seen == [("NodeHandled", "start", "submit"), ("NodeChange", "after.StartNode"), ("NodeChange", "before.managerApproval")]


def test_transmit_hands_the_task_to_another_user(setup):
    host, engine, seen = setup
    inst = engine.submit("workflows.Refund", host.orders.create(amount=100), user="alice").instance
    seen.clear()
    inst = engine.act(inst["id"], "transmit", user="manager", to="deputy").instance
    assert [t["assignee"] for t in inst["pending"]] == ["deputy"]
    assert seen == [("NodeHandled", "managerApproval", "transmit")]
    with pytest.raises(ApprovalDenied, match="manager is not an approver"):
        engine.act(inst["id"], "agree", user="manager")
    assert engine.act(inst["id"], "agree", user="deputy").instance["status"] == "Pass"


def test_cancel_by_the_submitter_only(setup):
    host, engine, seen = setup
    inst = engine.submit("workflows.Refund", host.orders.create(amount=100), user="alice").instance
    with pytest.raises(ApprovalDenied, match="only alice"):
        engine.act(inst["id"], "cancel", user="manager")
    seen.clear()
    inst = engine.act(inst["id"], "cancel", user="alice").instance
    assert (inst["status"], inst["result"]) == ("Refuse", "cancelled")
    assert seen == [("NodeHandled", "start", "manualEnd"), ("Process", "Refuse")]


def test_admin_may_cancel(setup):
    host, engine, _ = setup
    inst = engine.submit("workflows.Refund", host.orders.create(amount=100), user="alice").instance
    assert engine.act(inst["id"], "manualEnd", user="admin").instance["result"] == "cancelled"


def test_parallel_branches_join_before_the_end(setup):
    host, engine, seen = setup
    inst = engine.submit("workflows.Sign", host.orders.create(amount=1), user="alice").instance
    assert sorted(inst["active"]) == ["legal", "sales"]
    inst = engine.act(inst["id"], "agree", user="sam").instance
    assert inst["status"] == "In" and inst["active"] == ["legal"]
    seen.clear()
    inst = engine.act(inst["id"], "agree", user="lena").instance
    assert inst["status"] == "Pass"
    assert seen == [("NodeHandled", "legal", "agree"), ("NodeChange", "after.legal"), ("NodeChange", "before.join"),
                    ("NodeChange", "after.join"), ("NodeChange", "before.end"), ("Process", "Pass")]


def test_unassigned_user_is_refused_and_nothing_changes(setup):
    host, engine, seen = setup
    inst = engine.submit("workflows.Refund", host.orders.create(amount=800), user="alice").instance
    seen.clear()
    with pytest.raises(ApprovalDenied, match="mallory is not an approver of instance 1 now \\(waiting for managerApproval: manager\\)"):
        engine.act(inst["id"], "agree", user="mallory")
    assert seen == []
    assert engine.instance(inst["id"])["active"] == ["managerApproval"]


def test_failing_handler_aborts_and_undoes_everything(setup):
    host, engine, seen = setup
    order = host.orders.create(status="refunding", amount=800)
    inst = engine.submit("workflows.Refund", order, user="alice").instance
    engine.act(inst["id"], "agree", user="manager")

    def on_change(eventOutData):
        row = eventOutData.row
        row.status.value = "refunded"
        row.save()

    def on_process(eventOutData):
        raise ValueError("the payment provider is down, try again later")

    host.handlers["events.OnChange"] = on_change
    host.handlers["events.OnProcess"] = on_process
    before = engine.instance(inst["id"])
    with pytest.raises(ApprovalAborted, match="payment provider is down") as caught:
        engine.act(inst["id"], "agree", user="fiona")
    assert caught.value.event == "events.OnProcess"
    after = engine.instance(inst["id"])
    assert after == before
    assert host.orders.getByPK(order).value["status"] == "refunding"
    assert [t["assignee"] for t in engine.pending()] == ["fiona"]
    assert host.records[-1]["status"] == "fail"


def test_approver_role_with_nobody_in_it_is_a_clear_error(tmp_path):
    make_app(tmp_path, workflows={"Refund": REFUND})
    host = FakeHost(tmp_path)
    engine = ApprovalEngine(host)
    inst = engine.submit("workflows.Refund", host.orders.create(amount=900), user="alice").instance
    with pytest.raises(WorkflowError, match="no approver for node 'financeApproval'.*role finance"):
        engine.act(inst["id"], "agree", user="manager")
    engine.add_user("fred", ["finance"], "Fred")
    assert engine.act(inst["id"], "agree", user="manager").instance["active"] == ["financeApproval"]
    assert {"name": "fred", "title": "Fred", "roles": ["finance"]} in engine.users()
