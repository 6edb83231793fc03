"""The example shop app end to end and offline: agent, assistant and approval commands on the real Runtime."""
from __future__ import annotations

import json

import pytest

from jitstudio.cli import main
from jitstudio.runtime import Runtime



def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def shop(shop, capsys):
    """The shop copy with a customer, a product and two paid orders, written through the command line."""
    app = shop
    run_json(capsys, "data", app, "create", "Customer", json.dumps({"name": "Ann", "email": "ann@example.com", "level": "regular", "creditLimit": 0}))
    run_json(capsys, "data", app, "create", "Product", json.dumps({"name": "Lamp", "sku": "L-1", "price": 300, "stock": 10, "active": 1}))
    for _ in range(2):
        order = run_json(capsys, "call", app, "services.OrderSvc.placeOrder", "--kwargs", json.dumps({"customerId": 1, "items": [{"productId": 1, "quantity": 2}]}))
        run_json(capsys, "call", app, "services.OrderSvc.payOrder", "--kwargs", json.dumps({"orderId": order["orderId"]}))
    return app


def test_agent_answers_offline_with_tool_events(shop, capsys):
    result = run_json(capsys, "agent", shop, "OrderAgent", "What is the status of order 1?", "--json")
    assert result["answer"].startswith("Order 1 is paid.")
    assert [(c["name"], c["arguments"]) for c in result["toolCalls"]] == [("services.OrderSvc.getOrder", {"orderId": 1})]
    assert json.loads(result["toolCalls"][0]["result"])["status"] == "paid"
    assert [(e["event"], e["operate"], e["status"]) for e in result["events"]] == [
        ("events.AgentToolPreCall", "preEvent", "success"), ("events.AgentToolPostCall", "postEvent", "queued")]
    code, out, _ = run(capsys, "agent", shop, "aiagents.OrderAgent", "Order 1?")
    assert code == 0 and out.splitlines() == ['[tool] services.OrderSvc.getOrder({"orderId": 1})', result["answer"]]
    audit = run_json(capsys, "data", shop, "list", "AuditLog", "--filter", "Q(Q('source', '=', 'services.OrderSvc.getOrder'))", "--json")
    assert sorted(row["action"] for row in audit) == ["postEvent", "postEvent", "preEvent", "preEvent"]
    records = run_json(capsys, "records", shop, "--event", "aiagents.OrderAgent", "--json")
    assert [r["status"] for r in records] == ["success", "success"]


def test_assistant_turns_keep_their_session(shop, capsys):
    turn = run_json(capsys, "assistant", shop, "ShopAssistant", "What is the status of order 1?", "--inputs", '{"orderId": 1}', "--json")
    assert turn["reply"].startswith("Order 1 is paid.") and turn["qualified"] is True
    assert [(s["type"], s["nodeId"]) for s in turn["history"]] == [
        ("TRIGGER_NODE", "start"), ("IF_ELSE_NODE", "checkOrderId"), ("TOOL_NODE", "lookupOrder"),
        ("TOOL_NODE", "orderAgent"), ("LLM_NODE", "orderAgent"), ("END_NODE", "end")]
    fired = [(e["event"], e["operate"]) for e in turn["events"]]
    assert fired == [("events.AssistantRunAudit", "beforeRun"), ("events.LookupNodeFinished", "lookupOrder.afterNodeRun"),
                     ("events.AgentToolPreCall", "preEvent"), ("events.AgentToolPostCall", "postEvent")]
    again = run_json(capsys, "assistant", shop, "ShopAssistant", "And without an id?", "--session", turn["sessionId"], "--json")
    assert again["sessionId"] == turn["sessionId"] and again["history"][0]["step"] == 7
    assert [s["nodeId"] for s in again["history"]] == ["start", "checkOrderId", "orderAgent", "orderAgent", "end"]
    records = run_json(capsys, "records", shop, "--event", "aiassistants.ShopAssistant", "--json")
    assert len(records) == 2 and all(r["status"] == "success" for r in records)


VOICE_SETUP = """
def customFunc(eventOutData):
    state = eventOutData.state
    if state.sessionType == "VOICE":
        state.memory["voice"] = f"set up for {state.sessionId}"
"""


def test_assistant_session_type_and_app_trigger(shop, capsys):
    event = shop / "events" / "VoiceSetup"
    event.mkdir()
    (event / "e.json").write_text(json.dumps({"title": "Voice setup", "type": "events.AIAssistantType", "funcType": "Inner",
                                              "sender": "aiassistants.ShopAssistant", "operate": "init", "enable": 1}))
    (event / "inner.py").write_text(VOICE_SETUP)
    (event / "__init__.py").write_text("from .inner import customFunc\n")
    question = ("What is the status of order 1?", "--inputs", '{"orderId": 1}')
    voice = run_json(capsys, "assistant", shop, "ShopAssistant", *question, "--session-type", "voice", "--json")
    assert voice["sessionType"] == "VOICE" and voice["history"][0]["type"] == "TRIGGER_NODE"
    with Runtime(shop, async_worker=False) as rt:
        memory = rt.engines.assistant("aiassistants.ShopAssistant").sessions.load("aiassistants.ShopAssistant", voice["sessionId"]).memory
    assert memory == {"voice": f"set up for {voice['sessionId']}"}
    code, _, err = run(capsys, "assistant", shop, "ShopAssistant", "Typing now", "--session", voice["sessionId"], "--session-type", "TEXT")
    assert code == 2 and "is a VOICE session" in err
    with pytest.raises(SystemExit) as exited:
        run(capsys, "assistant", shop, "ShopAssistant", "Hi", "--session-type", "EMAIL")
    assert exited.value.code == 2 and "invalid choice: 'EMAIL'" in capsys.readouterr().err
    crm = run_json(capsys, "assistant", shop, "ShopAssistant", *question, "--from-app", "crm", "--json")
    assert crm["sessionType"] == "TEXT" and (crm["history"][0]["type"], crm["history"][0]["appName"]) == ("APP_TRIGGER_NODE", "crm")


def test_refund_approval_through_two_levels(shop, capsys):
    submitted = run_json(capsys, "approval", shop, "submit", "RefundApproval", "1", "--user", "ann", "--comment", "broken")
    instance = submitted["instance"]["id"]
    assert submitted["instance"]["active"] == ["managerApproval"]
    tasks = run_json(capsys, "approval", shop, "list", "--user", "manager", "--json")
    assert [(t["instanceId"], t["node"]) for t in tasks] == [(instance, "managerApproval")]

    code, _, err = run(capsys, "approval", shop, "agree", instance, "--user", "mallory")
    assert code == 1 and "mallory is not an approver" in err
    assert run_json(capsys, "approval", shop, "list", "--json")[0]["assignee"] == "manager"

    agreed = run_json(capsys, "approval", shop, "agree", instance, "--user", "manager")
    assert agreed["instance"]["active"] == ["financeApproval"]
    assert [e["event"] for e in agreed["events"]] == ["events.RefundNodeHandled"]
    assert [t["node"] for t in run_json(capsys, "approval", shop, "list", "--user", "fiona", "--json")] == ["financeApproval"]
    passed = run_json(capsys, "approval", shop, "agree", instance, "--user", "fiona", "--comment", "ok")
    assert passed["instance"]["status"] == "Pass"
    assert [(e["event"], e["status"]) for e in passed["events"]] == [("events.RefundStatusChanged", "success")]
    assert run_json(capsys, "data", shop, "get", "Order", "1")["status"] == "refunded"
    shown = run_json(capsys, "approval", shop, "show", instance)
    assert [(h["user"], h["action"]) for h in shown["history"]] == [("ann", "submit"), ("manager", "agree"), ("fiona", "agree")]


def test_send_back_transfer_refuse_and_cancel(shop, capsys):
    first = run_json(capsys, "approval", shop, "submit", "RefundApproval", "1", "--user", "ann")["instance"]["id"]
    back = run_json(capsys, "approval", shop, "reject", first, "--user", "manager", "--comment", "photo please")
    assert back["instance"]["active"] == ["start"] and back["instance"]["pending"][0]["assignee"] == "ann"
    run_json(capsys, "approval", shop, "submit", "RefundApproval", "1", "--user", "ann")
    moved = run_json(capsys, "approval", shop, "transmit", first, "--user", "manager", "--to", "deputy")
    assert [t["assignee"] for t in moved["instance"]["pending"]] == ["deputy"]
    refused = run_json(capsys, "approval", shop, "refuse", first, "--user", "deputy")
    assert (refused["instance"]["status"], refused["instance"]["result"]) == ("Refuse", "refused")
    assert run_json(capsys, "data", shop, "get", "Order", "1")["status"] == "paid"

    second = run_json(capsys, "approval", shop, "submit", "RefundApproval", "2", "--user", "ann")["instance"]["id"]
    code, _, err = run(capsys, "approval", shop, "cancel", second, "--user", "manager")
    assert code == 1 and "only ann" in err
    cancelled = run_json(capsys, "approval", shop, "cancel", second, "--user", "ann")
    assert cancelled["instance"]["result"] == "cancelled"
    assert run_json(capsys, "approval", shop, "list", "--json") == []
