"""The agent loop with the replay provider: tools, their pre/post events, errors and the turn limit."""
from __future__ import annotations

import json
import os

import pytest

from ai_support import FakeHost, make_app
from jitstudio.runtime.engines.ai import AgentError, AgentRunner, ReplayProvider, ToolConfigError, render_prompt

GET_ORDER = {"name": "getOrder", "title": "Get order", "desc": "One order by id.",
             "args": [{"name": "orderId", "title": "Order ID", "dataType": "Numeric", "required": True}]}
NOTE = {"name": "addNote", "title": "Add note", "args": [
    {"name": "orderId", "dataType": "Numeric", "required": True},
    {"name": "tags", "dataType": "JitList", "generic": "Stext"},
    {"name": "meta", "dataType": "JitDict", "variableConfig": {"variableList": [{"name": "by", "dataType": "Stext"}]}}]}


def call(name, arguments, call_id="call_1"):
    return {"role": "assistant", "content": None, "tool_calls": [
        {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}]}


def answer(text):
    return {"role": "assistant", "content": text}


def agent_app(tmp_path, replay, *, functions=None, max_turns=4, prompt="Desk of {shopName}. Context: {ctx}. Keep {braces}."):
    config = {"llmConfig": {"provider": "replay", "replay": replay}, "maxTurns": max_turns,
              "tools": [{"type": "service", "name": "services.OrderSvc", "enableFunctionList": functions if functions is not None else {
                  "getOrder": {"preEvent": {"withData": True}, "postEvent": {"withData": True}}}}]}
    ejson = {"inputArgs": [{"name": "shopName", "dataType": "Stext", "value": "Shop"}, {"name": "ctx", "dataType": "JitDict"}],
             "outputArgs": [{"name": "answer", "dataType": "Ltext"}], "prompt": prompt}
    events = {
        "Pre": {"type": "events.AIAgentType", "sender": "aiagents.Desk", "stage": "preEvent", "func": "services.Log.pre"},
        "Post": {"type": "events.AIAgentType", "sender": "aiagents.Desk", "stage": "postEvent", "func": "services.Log.post"},
        "OtherAgent": {"type": "events.AIAgentType", "sender": "aiagents.Other", "stage": "preEvent", "func": "services.Log.pre"},
    }
    make_app(tmp_path, agents={"Desk": (ejson, config)}, events=events, services={"OrderSvc": [GET_ORDER, NOTE]})
    host = FakeHost(tmp_path)
    seen = []
    host.handlers["events.Pre"] = lambda data: seen.append(data.toDict())
    host.handlers["events.Post"] = lambda data: seen.append(data.toDict())
    host.functions["services.OrderSvc.getOrder"] = lambda orderId: {"id": orderId, "status": "paid"}
    return host, seen


def test_tool_call_with_events_and_data(tmp_path):
    host, seen = agent_app(tmp_path, [call("services.OrderSvc.getOrder", {"orderId": 1}), answer("Order 1 is paid.")])
    result = AgentRunner(host, "aiagents.Desk").run("Status of order 1?")
    assert result.answer == "Order 1 is paid." and result.turns == 2
    assert result.outputs == {"answer": "Order 1 is paid."}
    assert host.function_calls == [("services.OrderSvc.getOrder", (), {"orderId": 1})]
    assert seen == [
        {"toolName": "services.OrderSvc.getOrder", "stage": "preEvent", "args": {"orderId": 1}},
        {"toolName": "services.OrderSvc.getOrder", "stage": "postEvent", "args": '{"id": 1, "status": "paid"}',
         "inputs": {"orderId": 1}, "result": {"id": 1, "status": "paid"}},
    ]
    assert host.fired() == ["events.Pre", "events.Post"]
    tool_message = result.messages[3]
    assert tool_message == {"role": "tool", "tool_call_id": "call_1", "content": '{"id": 1, "status": "paid"}'}
    assert host.records[-1]["element"] == "aiagents.Desk" and host.records[-1]["status"] == "success"
    assert [kind for kind, _ in host.steps] == ["llm", "tool", "llm"]


def test_without_data_the_args_key_stays_with_an_empty_value(tmp_path):
    host, seen = agent_app(tmp_path, [call("services.OrderSvc.getOrder", {"orderId": 2}), answer("ok")], functions={
        "getOrder": {"preEvent": {"withData": False}, "postEvent": {"withData": False}}})
    AgentRunner(host, "aiagents.Desk").run("?")
    assert seen == [{"toolName": "services.OrderSvc.getOrder", "stage": "preEvent", "args": {}},
                    {"toolName": "services.OrderSvc.getOrder", "stage": "postEvent", "args": ""}]


def test_a_missing_stage_fires_nothing(tmp_path):
    host, seen = agent_app(tmp_path, [call("services.OrderSvc.getOrder", {"orderId": 2}), answer("ok")], functions={
        "getOrder": {"preEvent": {}}})
    AgentRunner(host, "aiagents.Desk").run("?")
    assert [s["stage"] for s in seen] == ["preEvent"] and "args" in seen[0]


def test_raising_tool_fires_post_event_with_the_error_and_the_model_sees_it(tmp_path):
    host, seen = agent_app(tmp_path, [call("services.OrderSvc.getOrder", {"orderId": 9}), answer("There is no order 9.")])

    def missing(orderId):
        raise LookupError(f"order {orderId} does not exist")

    host.functions["services.OrderSvc.getOrder"] = missing
    provider = ReplayProvider(host.project.get("aiagents.Desk").config_spec.llmConfig["replay"])
    result = AgentRunner(host, "aiagents.Desk", provider=provider).run("order 9?")
    assert result.answer == "There is no order 9."
    assert result.tool_calls[0].error == "LookupError: order 9 does not exist"
    assert seen[1] == {"toolName": "services.OrderSvc.getOrder", "stage": "postEvent",
                       "args": "Error: LookupError: order 9 does not exist", "inputs": {"orderId": 9},
                       "error": "LookupError: order 9 does not exist"}
    assert provider.requests[1][-1] == {"role": "tool", "tool_call_id": "call_1", "content": "Error: LookupError: order 9 does not exist"}


def test_failing_pre_event_handler_never_blocks_the_tool(tmp_path):
    host, seen = agent_app(tmp_path, [call("services.OrderSvc.getOrder", {"orderId": 1}), answer("done")])

    def refuse(data):
        raise PermissionError("audit log is full")

    host.handlers["events.Pre"] = refuse
    result = AgentRunner(host, "aiagents.Desk").run("?")
    assert result.answer == "done"
    assert host.function_calls == [("services.OrderSvc.getOrder", (), {"orderId": 1})]
    statuses = [(f.event, f.status, f.error) for f in result.events.fired]
    assert statuses == [("events.Pre", "fail", "audit log is full"), ("events.Post", "success", None)]


def test_turn_limit_stops_the_run(tmp_path):
    loop = [call("services.OrderSvc.getOrder", {"orderId": n}, f"c{n}") for n in range(5)]
    host, _ = agent_app(tmp_path, loop, max_turns=3)
    with pytest.raises(AgentError, match="used all 3 turns"):
        AgentRunner(host, "aiagents.Desk").run("loop")
    assert len(host.function_calls) == 3
    assert host.records[-1]["status"] == "fail"


def test_unknown_tool_and_bad_arguments_are_told_to_the_model(tmp_path):
    bad = {"role": "assistant", "content": None, "tool_calls": [
        {"id": "a", "type": "function", "function": {"name": "services.OrderSvc.dropTables", "arguments": "{}"}},
        {"id": "b", "type": "function", "function": {"name": "services.OrderSvc.getOrder", "arguments": "{not json"}}]}
    host, seen = agent_app(tmp_path, [bad, answer("sorry")])
    result = AgentRunner(host, "aiagents.Desk").run("?")
    assert result.answer == "sorry" and host.function_calls == [] and seen == []
    assert "no tool named 'services.OrderSvc.dropTables'" in result.messages[3]["content"]
    assert "not a JSON object" in result.messages[4]["content"]


def test_prompt_variables_and_tool_schemas(tmp_path):
    host, _ = agent_app(tmp_path, [answer("hi")], functions={"getOrder": {}, "addNote": {}})
    provider = ReplayProvider([answer("hi")])
    runner = AgentRunner(host, "aiagents.Desk", provider=provider)
    runner.run("hello", {"ctx": {"orderId": 3}})
    system = provider.requests[0][0]["content"]
    assert system == 'Desk of Shop. Context: {"orderId": 3}. Keep {braces}.'
    note = runner.tools["services.OrderSvc.addNote"].definition()["function"]["parameters"]
    assert note["required"] == ["orderId"]
    assert note["properties"]["tags"] == {"type": "array", "items": {"type": "string"}}
    assert note["properties"]["meta"]["properties"] == {"by": {"type": "string"}}
    assert render_prompt("{a} {b}", {"a": None}) == " {b}"


def test_a_tool_naming_an_undeclared_function_is_a_config_error(tmp_path):
    host, _ = agent_app(tmp_path, [answer("x")], functions={"deleteEverything": {}})
    with pytest.raises(ToolConfigError, match="no function 'deleteEverything'"):
        AgentRunner(host, "aiagents.Desk")


def test_replay_runs_out_of_answers(tmp_path):
    host, _ = agent_app(tmp_path, [call("services.OrderSvc.getOrder", {"orderId": 1})])
    with pytest.raises(Exception, match="replay has no answer for turn 2"):
        AgentRunner(host, "aiagents.Desk").run("?")


def test_a_prompt_file_that_is_not_a_regular_file_is_refused_not_read(tmp_path):
    host, _ = agent_app(tmp_path, [answer("hi")])
    prompt = tmp_path / "aiagents" / "Desk" / "prompt.md"
    if prompt.exists():
        prompt.unlink()
    os.mkfifo(prompt)  # reading it would wait forever
    with pytest.raises(AgentError, match="prompt.md: cannot read file: it is a FIFO"):
        AgentRunner(host, "aiagents.Desk")
