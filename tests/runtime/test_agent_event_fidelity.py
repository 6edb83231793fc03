"""Agent tool events as the seeds write them run unchanged: event elements with their e.json members and
handleNode (seed 001), a service handler reading `args` whether or not data is included (seed 002), postEvent
handlers reading `result` as data (seed 001's task chain), and the opt-in veto of a blocking preEvent handler
(seed 001's permission check). Real runtime, replay provider."""
from __future__ import annotations

import ast
import json

import pytest

from _runtime_support import make_app, records_of, write
from jitstudio.project import load_project
from jitstudio.runtime import Runtime

SERVICE = '''
def searchTool(self, keyword):
    app.getElement("models.Call").create({"tool": "searchTool"})
    return {"success": True, "data": {"rows": 3, "keyword": keyword}}

def sensitiveDataTool(self):
    app.getElement("models.Call").create({"tool": "sensitiveDataTool"})
    return "the secret"

def sayHello(self, eventOutData):
    app.getElement("models.Audit").create({"tool": eventOutData.get("toolName", ""), "stage": eventOutData.get("stage", ""), "detail": ""})
    return eventOutData

def log_agent_action(self, eventOutData):
    app.getElement("models.Audit").create({"tool": eventOutData.toolName.value, "stage": eventOutData.stage.value,
                                           "detail": repr(eventOutData.args.value)})
    return eventOutData
'''
FUNCTIONS = [
    {"name": "searchTool", "title": "Search", "args": [{"name": "keyword", "title": "Keyword", "dataType": "Stext"}]},
    {"name": "sensitiveDataTool", "title": "Sensitive data", "args": []},
    {"name": "sayHello", "title": "Hello", "args": [{"name": "eventOutData", "dataType": "JitDict"}]},
    {"name": "log_agent_action", "title": "Audit", "args": [{"name": "eventOutData", "dataType": "JitDict"}]},
]
TASK_CHAIN = '''
def customFunc(eventOutData):
    current_tool = eventOutData.get("toolName", "")
    result = eventOutData.get("result", {})
    if result.get("success"):
        app.getElement("models.Chain").create({"tool": current_tool, "rows": result.get("data")["rows"]})
    return eventOutData
'''
PERMISSION = '''
def customFunc(eventOutData):
    tool_name = eventOutData.get("toolName", "")
    stage = eventOutData.get("stage", "")
    if stage == "preEvent" and tool_name.endswith("sensitiveDataTool"):
        if not check_permission():
            raise Exception("No permission to call sensitive tool")
    return eventOutData

def check_permission():
    return False
'''


def call(name: str, arguments: dict, call_id: str = "call_1") -> dict:
    return {"role": "assistant", "content": None, "tool_calls": [
        {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}]}


def agent_app(tmp_path, replay: list[dict], functions: dict, events: dict):
    root = make_app(tmp_path / "app", models={
        "Call": 'tool = datatypes.Stext(name="tool")',
        "Audit": 'tool = datatypes.Stext(name="tool")\nstage = datatypes.Stext(name="stage")\ndetail = datatypes.Ltext(name="detail")',
        "Chain": 'tool = datatypes.Stext(name="tool")\nrows = datatypes.Numeric(name="rows", decimal=0)',
    }, services={"Tested": ({"functionList": FUNCTIONS}, SERVICE)}, events=events)
    write(root / "aiagents" / "Desk" / "e.json", {"title": "Desk", "type": "aiagents.ReActType"})
    write(root / "aiagents" / "Desk" / "config.json", {
        "llmConfig": {"provider": "replay", "model": "replay", "replay": replay + [
            {"role": "assistant", "content": "done"}]},
        "tools": [{"type": "service", "name": "services.Tested", "enableFunctionList": functions}]})
    return root


def agent_event(stage: str, **extra) -> dict:
    return {"type": "events.AIAgentType", "sender": "aiagents.Desk", "stage": stage, "asyncType": False, **extra}


def rows(rt, model: str) -> list[dict]:
    return [r.toDict() for r in rt.app.getElement(model).query(size=None)["rowDatas"]]


class MockEvent:
    def __init__(self):
        self.func = "services.Tested.sayHello"


class MockEventNode:
    def __init__(self):
        self.remark = ""
        self.event = MockEvent()


def test_an_event_element_shows_its_e_json_and_handle_node_runs_it(tmp_path):
    root = agent_app(tmp_path, [], {}, {
        "agentToolEvent": (agent_event("preEvent", func="services.Tested.sayHello"), None)})
    with Runtime(root, async_worker=False) as rt:
        event = rt.app.getElement("events.agentToolEvent")
        assert (event.stage, event.sender, event.func, event.asyncType) == ("preEvent", "aiagents.Desk", "services.Tested.sayHello", False)
        assert event.funcType is None and event.title == "agentToolEvent" and event.type == "events.AIAgentType"
        assert event.spec["backendBundleEntry"] == "." and event.getSender() == "aiagents.Desk.preEvent"

        node, args, kwargs = event.handleNode(MockEventNode(), [{"toolName": "searchTool", "stage": "preEvent"}])
        assert node.remark == "Before calling searchTool"
        assert args[0].toolName.value == "searchTool" and kwargs == {}
        assert rows(rt, "models.Audit") == [{"id": 1, "tool": "searchTool", "stage": "preEvent", "detail": ""}]
        assert [r.status for r in records_of(rt, "events.agentToolEvent")] == ["success"]


def test_handle_node_raises_what_the_handler_raises(tmp_path):
    root = agent_app(tmp_path, [], {}, {"Guard": (agent_event("preEvent", funcType="Inner"), PERMISSION)})
    with Runtime(root, async_worker=False) as rt:
        guard = rt.app.getElement("events.Guard")
        with pytest.raises(Exception, match="No permission"):
            guard.handleNode(None, [{"toolName": "services.Tested.sensitiveDataTool", "stage": "preEvent"}])
        assert [r.status for r in records_of(rt, "events.Guard")] == ["fail"]


def test_a_seed_service_handler_reads_args_with_data_left_out(tmp_path):
    handler = {"funcType": "Global", "func": "services.Tested.log_agent_action"}
    root = agent_app(tmp_path, [call("services.Tested.searchTool", {"keyword": "shoes"})],
                     {"searchTool": {"preEvent": {"withData": False}, "postEvent": {"withData": False}}},
                     {"Before": (agent_event("preEvent", **handler), None), "After": (agent_event("postEvent", **handler), None)})
    with Runtime(root, async_worker=False) as rt:
        rt.engines.agent("aiagents.Desk").run("find shoes")
        assert [r.status for r in records_of(rt, "events.Before") + records_of(rt, "events.After")] == ["success", "success"]
        assert [(r["stage"], r["detail"]) for r in rows(rt, "models.Audit")] == [("preEvent", "{}"), ("postEvent", "''")]


def test_a_post_event_handler_reads_the_result_as_data_and_args_as_text(tmp_path):
    root = agent_app(tmp_path, [call("services.Tested.searchTool", {"keyword": "shoes"})],
                     {"searchTool": {"postEvent": {"withData": True}}},
                     {"NextStep": (agent_event("postEvent", funcType="Inner"), TASK_CHAIN),
                      "Audit": (agent_event("postEvent", funcType="Global", func="services.Tested.log_agent_action"), None)})
    with Runtime(root, async_worker=False) as rt:
        rt.engines.agent("aiagents.Desk").run("find shoes")
        assert rows(rt, "models.Chain") == [{"id": 1, "tool": "services.Tested.searchTool", "rows": 3}]
        [audit] = rows(rt, "models.Audit")
        assert json.loads(ast.literal_eval(audit["detail"])) == {"success": True, "data": {"rows": 3, "keyword": "shoes"}}
        [record] = records_of(rt, "events.NextStep")
        assert record.input["result"] == {"success": True, "data": {"rows": 3, "keyword": "shoes"}}
        assert record.input["inputs"] == {"keyword": "shoes"}


@pytest.mark.parametrize("blocking", [False, True])
def test_a_raising_pre_event_handler_vetoes_the_tool_only_when_blocking(tmp_path, blocking):
    root = agent_app(tmp_path, [call("services.Tested.sensitiveDataTool", {})],
                     {"sensitiveDataTool": {"preEvent": {"withData": True}}},
                     {"Permission": (agent_event("preEvent", funcType="Inner", blocking=blocking), PERMISSION)})
    with Runtime(root, async_worker=False) as rt:
        result = rt.engines.agent("aiagents.Desk").run("show me the secret")
        tool_message = next(m for m in result.messages if m["role"] == "tool")
        if blocking:
            assert rows(rt, "models.Call") == []
            assert tool_message["content"] == ("Error: events.Permission refused the call to services.Tested.sensitiveDataTool: "
                                               "No permission to call sensitive tool")
        else:
            assert [r["tool"] for r in rows(rt, "models.Call")] == ["sensitiveDataTool"]
            assert tool_message["content"] == "the secret"
        assert [r.status for r in records_of(rt, "events.Permission")] == ["fail"]


def test_check_warns_where_blocking_cannot_veto(tmp_path):
    root = agent_app(tmp_path, [], {}, {
        "AfterTheFact": (agent_event("postEvent", funcType="Inner", blocking=True), PERMISSION),
        "TooLate": (agent_event("preEvent", funcType="Inner", blocking=True, asyncType=True), PERMISSION)})
    messages = {(p.path.split("/")[1], p.message) for p in load_project(root).problems if "blocking" in p.message}
    assert messages == {
        ("AfterTheFact", "only a preEvent handler can veto a tool call; blocking has no effect on a postEvent"),
        ("TooLate", "an async preEvent handler runs after the tool was called, so it cannot veto it; make it "
                    "synchronous or drop blocking"),
    }
