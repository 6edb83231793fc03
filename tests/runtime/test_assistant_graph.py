"""Assistant turns through every node type, every AIAssistantType operate and the lifecycle's control answers."""
from __future__ import annotations

import pytest

from ai_support import FakeHost, make_app
from jitstudio.runtime.engines.ai import AssistantError, AssistantRunner, trackAnalyticsEvent
from test_agent_loop import GET_ORDER, answer, call

SENDER = "aiassistants.Shop"
OPERATES = ["init", "beforeRun", "afterRun", "triggerEvent", "error", "aiMessage", "onLogicalCondition",
            "onLogicalConditionResult", "analyticsEvent", "turnEnd", "check.beforeNodeRun", "check.afterNodeRun",
            "each.beforeNodeRun", "each.afterNodeRun", "lookup.beforeNodeRun", "lookup.afterNodeRun",
            "agent.beforeNodeRun", "agent.afterNodeRun"]


def events_on(backend=True, arrival=(), after=()):
    return {"backend": backend, "page": False, "arrivalOutputArgs": [{"name": f"a{i}", "value": v} for i, v in enumerate(arrival)],
            "afterRunOutputArgs": [{"name": f"b{i}", "value": v} for i, v in enumerate(after)]}


NODES = {
    "start": {"id": "start", "type": "start", "title": "Start"},
    "check": {"id": "check", "type": "ifelse", "title": "Any orders?", "events": events_on(arrival=["start.orderId"], after=["check.branch"])},
    "each": {"id": "each", "type": "iteration", "title": "Each order", "items": "start.orderIds", "events": events_on(after=["each.count"])},
    "lookup": {"id": "lookup", "type": "function", "title": "Look up", "function": "services.OrderSvc.getOrder",
               "args": {"orderId": "each.item"},
               "events": events_on(arrival=["each.index", "each.item"], after=["lookup.result.id", "lookup.result.status"])},
    "agent": {"id": "agent", "type": "aiagent", "title": "Order agent", "agent": "aiagents.Desk",
              "events": events_on(arrival=["start.userInput"], after=["agent.answer"])},
    "end": {"id": "end", "type": "end", "title": "End"},
}
EDGES = [
    {"sourceNode": "start", "targetNode": "check", "argMapping": {"orderId": "start.orderId"}},
    {"sourceNode": "check", "targetNode": "each", "sourcePort": "if", "condition": "Q(Q('orderId', '>', 0))"},
    {"sourceNode": "check", "targetNode": "end", "sourcePort": "else", "else": True, "argMapping": {"answer": "start.userInput"}},
    {"sourceNode": "each", "targetNode": "lookup", "sourcePort": "loop"},
    {"sourceNode": "each", "targetNode": "agent", "sourcePort": "out",
     "argMapping": {"input_data": "start.userInput", "orders": "each.results"}},
    {"sourceNode": "agent", "targetNode": "end", "argMapping": {"answer": "agent.answer"}},
]
AGENT = ({"prompt": "Orders: {orders}"}, {"llmConfig": {"provider": "replay", "replay": [
    call("services.OrderSvc.getOrder", {"orderId": 7}), answer("Orders 7 and 8 are paid.")]},
    "tools": [{"type": "service", "name": "services.OrderSvc", "enableFunctionList": {"getOrder": {}}}]})


@pytest.fixture
def assistant_app(tmp_path):
    """A small app whose assistant graph has every node type, and the handlers each node event reached."""
    events = {f"E{i}": {"type": "events.AIAssistantType", "sender": SENDER, "operate": op, "func": f"services.H.h{i}"}
              for i, op in enumerate(OPERATES)}
    make_app(tmp_path, assistants={"Shop": ({"inputArgs": [{"name": "userInput"}, {"name": "orderIds", "value": []}]},
                                            {"nodes": NODES, "edges": EDGES})},
             agents={"Desk": AGENT}, services={"OrderSvc": [GET_ORDER]}, events=events)
    host = FakeHost(tmp_path)
    host.functions["services.OrderSvc.getOrder"] = lambda orderId: {"id": orderId, "status": "paid"}
    seen = []
    for i, op in enumerate(OPERATES):
        host.handlers[f"events.E{i}"] = (lambda op: lambda *args: seen.append((op, args)))(op)
    return host, seen


def handle(host, operate, fn):
    host.handlers[f"events.E{OPERATES.index(operate)}"] = fn


def test_a_turn_through_every_node_type(assistant_app):
    host, seen = assistant_app
    turn = AssistantRunner(host, SENDER).run("Status of my orders?", {"orderId": 7, "orderIds": [7, 8]})
    assert turn.reply == "Orders 7 and 8 are paid."
    assert turn.return_value == {"reply": "Orders 7 and 8 are paid.", "sessionId": turn.session_id, "qualified": True}
    assert [(s.step, s.type, s.nodeId) for s in turn.history] == [
        (1, "TRIGGER_NODE", "start"), (2, "IF_ELSE_NODE", "check"), (3, "TOOL_NODE", "lookup"), (4, "TOOL_NODE", "lookup"),
        (5, "ITERATION_NODE", "each"), (6, "TOOL_NODE", "agent"), (7, "LLM_NODE", "agent"), (8, "END_NODE", "end")]
    assert turn.history[0].raw["userInput"] == "Status of my orders?" and turn.history[0].messageIds
    assert turn.history[5].nodeDisplayName == "services.OrderSvc.getOrder"
    assert turn.history[6].messageIds and turn.history[4].raw["count"] == 2
    assert [op for op, _ in seen] == [
        "init", "beforeRun", "triggerEvent", "check.beforeNodeRun", "onLogicalCondition", "onLogicalConditionResult",
        "check.afterNodeRun", "each.beforeNodeRun", "lookup.beforeNodeRun", "lookup.afterNodeRun", "lookup.beforeNodeRun",
        "lookup.afterNodeRun", "each.afterNodeRun", "agent.beforeNodeRun", "aiMessage", "agent.afterNodeRun", "afterRun", "turnEnd"]
    by_op = {}
    for op, args in seen:
        by_op.setdefault(op, []).append(args)
    assert by_op["beforeRun"] == [("Status of my orders?",)] and by_op["afterRun"] == [()]
    assert by_op["check.beforeNodeRun"] == [(7,)] and by_op["check.afterNodeRun"] == [("each",)]
    assert by_op["lookup.beforeNodeRun"] == [(0, 7), (1, 8)]
    assert by_op["lookup.afterNodeRun"] == [(7, "paid"), (8, "paid")]
    assert by_op["each.afterNodeRun"] == [(2,)] and by_op["agent.afterNodeRun"] == [("Orders 7 and 8 are paid.",)]
    result = by_op["onLogicalConditionResult"][0][0]
    assert result.result.value is True and result.condition.value == "Q(Q('orderId', '>', 0))"
    assert result.executionTimeMs.value >= 0 and result.edge.value["target"] == "each"
    assert by_op["aiMessage"][0][0].message.value == "Orders 7 and 8 are paid."
    trigger = by_op["triggerEvent"][0][0]
    assert trigger.triggerName.value == "start" and trigger.triggerBody.value["orderIds"] == [7, 8]
    assert host.function_calls == [("services.OrderSvc.getOrder", (), {"orderId": 7}), ("services.OrderSvc.getOrder", (), {"orderId": 8}),
                                   ("services.OrderSvc.getOrder", (), {"orderId": 7})]
    assert [r["element"] for r in host.records] == [SENDER, "aiagents.Desk"]


def test_else_branch_and_session_continues(assistant_app):
    host, seen = assistant_app
    runner = AssistantRunner(host, SENDER)
    first = runner.run("hello", {"orderId": 0})
    assert first.reply == "hello" and [s.type for s in first.history] == ["TRIGGER_NODE", "IF_ELSE_NODE", "END_NODE"]
    seen.clear()
    second = AssistantRunner(host, SENDER).run("again", {"orderId": 0}, first.session_id)
    assert "init" not in [op for op, _ in seen]
    assert [s.step for s in second.history] == [4, 5, 6]
    state = seen[1][1][0].state if seen[1][0] == "triggerEvent" else None
    assert state is not None and [m["content"] for m in state.messages] == ["hello", "again"]


def test_trigger_event_disqualifies_and_changes_state(assistant_app):
    host, seen = assistant_app

    def qualify(data):
        data.state.memory["asked"] = data.state.memory.get("asked", 0) + 1
        return {"isQualified": data.triggerBody.value.get("orderId") != 13}

    handle(host, "triggerEvent", qualify)
    runner = AssistantRunner(host, SENDER)
    turn = runner.run("unlucky", {"orderId": 13})
    assert turn.qualified is False and turn.reply is None
    assert [(s.type, s.raw["qualified"]) for s in turn.history] == [("TRIGGER_NODE", False)]
    assert [op for op, _ in seen][-2:] == ["afterRun", "turnEnd"]
    assert "check.beforeNodeRun" not in [op for op, _ in seen]
    again = runner.run("fine", {"orderId": 0}, turn.session_id)
    assert again.qualified and runner.sessions.load(SENDER, turn.session_id).memory == {"asked": 2}


def test_error_caught_when_the_handler_says_so(assistant_app):
    host, seen = assistant_app

    def broken(orderId):
        raise ConnectionError("order database is down")

    host.functions["services.OrderSvc.getOrder"] = broken
    errors = []
    handle(host, "error", lambda data: errors.append(data) or {"throwError": data.nodeId.value != "lookup"})
    turn = AssistantRunner(host, SENDER).run("status?", {"orderId": 7, "orderIds": [7]})
    assert str(errors[0].error) == "ConnectionError: order database is down" and errors[0].nodeId.value == "lookup"
    assert errors[0].error.text.value == str(errors[0].error)
    assert turn.reply == "Orders 7 and 8 are paid."
    caught = [s for s in turn.history if s.nodeId == "lookup"][0]
    assert caught.raw == {"error": "order database is down", "caught": True}
    assert "lookup.afterNodeRun" in [op for op, _ in seen]


def test_error_stops_the_turn_by_default(assistant_app):
    host, seen = assistant_app
    host.functions["services.OrderSvc.getOrder"] = lambda orderId: 1 / 0
    handle(host, "error", lambda data: {"throwError": True})
    runner = AssistantRunner(host, SENDER)
    with pytest.raises(ZeroDivisionError):
        runner.run("status?", {"orderId": 7, "orderIds": [7]})
    assert host.records[-1]["status"] == "fail"
    assert "afterRun" not in [op for op, _ in seen]
    session = runner.sessions.sessions(SENDER)[0]
    assert [s.type for s in runner.sessions.load(SENDER, session["id"]).history] == ["TRIGGER_NODE", "IF_ELSE_NODE"]


def test_turn_end_sets_the_return_value_and_watchers_never_break(assistant_app):
    host, seen = assistant_app

    def fail(*args):
        raise RuntimeError("watcher crashed")

    for op in ("init", "beforeRun", "aiMessage", "onLogicalCondition", "lookup.afterNodeRun", "afterRun"):
        handle(host, op, fail)
    handle(host, "turnEnd", lambda data: {"returnValue": {"ok": True, "steps": len(data.state.history)}})
    runner = AssistantRunner(host, SENDER)
    turn = runner.run("status?", {"orderId": 7, "orderIds": [7]})
    assert turn.return_value == {"ok": True, "steps": 7}
    failed = {f.operate for f in turn.events.fired if f.status == "fail"}
    assert failed == {"init", "beforeRun", "aiMessage", "onLogicalCondition", "lookup.afterNodeRun", "afterRun"}
    handle(host, "turnEnd", lambda data: "plain value")
    assert runner.run("again", {"orderId": 0}, turn.session_id).return_value == "plain value"


def test_track_analytics_event_from_a_handler(assistant_app):
    host, seen = assistant_app

    def on_message(data):
        trackAnalyticsEvent("answered", {"length": len(data.message.value)}, data.state.sessionId)

    handle(host, "aiMessage", on_message)
    turn = AssistantRunner(host, SENDER).run("status?", {"orderId": 7, "orderIds": [7]})
    analytics = [args[0].toDict() for op, args in seen if op == "analyticsEvent"]
    assert analytics == [{"eventName": "answered", "payload": {"length": 24}, "sessionId": turn.session_id}]
    assert "analyticsEvent" in [f.operate for f in turn.events.fired]
    with pytest.raises(AssistantError, match="outside an assistant turn"):
        trackAnalyticsEvent("x", {}, "s")


def test_unsupported_node_type_is_an_error(tmp_path):
    nodes = {"start": {"id": "start", "type": "start"}, "route": {"id": "route", "type": "router"}}
    make_app(tmp_path, assistants={"R": ({}, {"nodes": nodes, "edges": [{"sourceNode": "start", "targetNode": "route"}]})})
    with pytest.raises(AssistantError, match="router node, which the local runtime does not run"):
        AssistantRunner(FakeHost(tmp_path), "aiassistants.R").run("hi")
