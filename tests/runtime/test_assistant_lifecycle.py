"""The MindedJS lifecycle pieces on the real runtime: app triggers (APP_TRIGGER_NODE with appName), session
types, triggerEvent's goto, and the error object ERROR handlers receive."""
from __future__ import annotations

import pytest

from jitstudio.runtime import Runtime
from jitstudio.runtime.engines.ai import AssistantError, SessionError
from test_assistant_memory import HELPER, helpdesk, model_calls  # noqa: F401 - model_calls is a fixture

WHO_STARTED = '''
def customFunc(eventOutData):
    state = eventOutData.state
    triggerStep = next((step for step in state.history if step.type in ("TRIGGER_NODE", "APP_TRIGGER_NODE")), None)
    toolSteps = [step for step in state.history if step.type == "TOOL_NODE"]
    state.memory["trigger"] = f"{triggerStep.nodeDisplayName} via {triggerStep.type} from {triggerStep.appName}"
    state.memory["toolsUsed"] = len(toolSteps)
'''


def test_a_turn_started_by_app_code_is_an_app_trigger(tmp_path, model_calls):
    app = helpdesk(tmp_path / "helpdesk", events={"Who": ("aiMessage", WHO_STARTED)})
    with Runtime(app, async_worker=False) as rt:
        turn = rt.call("services.Desk.ask", ["Where is my parcel?"])
        helper = rt.engines.assistant(HELPER)
        memory = helper.sessions.load(HELPER, turn["sessionId"]).memory
        trigger = turn["history"][0]
        assert (trigger["type"], trigger["appName"], trigger["nodeDisplayName"]) == ("APP_TRIGGER_NODE", "helpdesk", "Customer message")
        assert memory == {"trigger": "Customer message via APP_TRIGGER_NODE from helpdesk", "toolsUsed": 0}
        assert helper.sessions.load(HELPER, turn["sessionId"]).history[0].appName == "helpdesk"

        by_user = helper.run("Where is my parcel?")
        assert by_user.history[0].type == "TRIGGER_NODE" and "appName" not in by_user.history[0].to_json()
        from_crm = helper.run("Order 9 was returned.", app_name="crm")
        assert (from_crm.history[0].type, from_crm.history[0].appName) == ("APP_TRIGGER_NODE", "crm")


SESSION_START = '''
def customFunc(eventOutData):
    state = eventOutData.state
    state.memory["started"] = {"sessionId": state.sessionId, "sessionType": state.sessionType}
    if state.sessionType == "VOICE":
        state.memory["voice"] = "greeting read aloud"
'''


def test_a_voice_session_from_app_code(tmp_path, model_calls):
    app = helpdesk(tmp_path / "helpdesk", events={"Start": ("init", SESSION_START)})
    with Runtime(app, async_worker=False) as rt:
        voice = rt.call("services.Desk.ask", ["Hello?", None, "VOICE"])
        text = rt.call("services.Desk.ask", ["Hello?"])
        helper = rt.engines.assistant(HELPER)
        assert voice["sessionType"] == "VOICE" and text["sessionType"] == "TEXT"
        assert helper.sessions.load(HELPER, voice["sessionId"]).memory == {
            "started": {"sessionId": voice["sessionId"], "sessionType": "VOICE"}, "voice": "greeting read aloud"}
        assert "voice" not in helper.sessions.load(HELPER, text["sessionId"]).memory
        again = rt.call("services.Desk.ask", ["Still there?", voice["sessionId"]])
        assert again["sessionType"] == "VOICE"
        with pytest.raises(SessionError, match="is a VOICE session; it cannot go on as a TEXT session"):
            helper.run("Typing now", session_id=voice["sessionId"], session_type="TEXT")
        with pytest.raises(SessionError, match="unknown session type 'EMAIL'"):
            helper.run("Hi", session_type="EMAIL")


ROUTER = '''
def customFunc(eventOutData):
    triggerBody, state = eventOutData.triggerBody.value, eventOutData.state
    if "refund" in triggerBody["userInput"]:
        state.memory["route"] = "refund"
        return {"isQualified": True, "goto": state.memory.get("gotoNode", "refund")}
    return {"isQualified": True}
'''


def test_trigger_event_goto_starts_the_turn_at_a_named_node(tmp_path, model_calls):
    app = helpdesk(tmp_path / "helpdesk", events={"Router": ("triggerEvent", ROUTER)})
    with Runtime(app, async_worker=False) as rt:
        helper = rt.engines.assistant(HELPER)
        turn = helper.run("I want a refund for order 3")
        assert turn.reply == "refund started for: I want a refund for order 3"
        assert [(s.type, s.nodeId) for s in turn.history] == [("TRIGGER_NODE", "start"), ("TOOL_NODE", "refund"), ("END_NODE", "end")]
        assert turn.history[0].raw["goto"] == "refund" and model_calls == []

        assert helper.run("Hello", session_id=turn.session_id).reply == "Noted."
        state = helper.sessions.load(HELPER, turn.session_id)
        state.memory["gotoNode"] = "Start a refund"
        helper.sessions.save(HELPER, state, created=False)
        by_title = helper.run("Another refund", session_id=turn.session_id)
        assert [s.nodeId for s in by_title.history] == ["start", "refund", "end"]

        state.memory["gotoNode"] = "cashier"
        helper.sessions.save(HELPER, state, created=False)
        with pytest.raises(AssistantError, match="goto 'cashier', which names no node of aiassistants.Helper"):
            helper.run("One more refund", session_id=turn.session_id)


ON_ERROR = '''
def customFunc(eventOutData):
    error, state = eventOutData.error, eventOutData.state
    state.memory.setdefault("errors", []).append(
        {"name": error.name.value, "message": error.message.value, "text": str(error),
         "raisedIn": error.traceback.value.strip().splitlines()[-3].split(", ")[-1]})
    if "rate limit" in error.message.value:
        state.memory["errorRecovered"] = True
        return {"throwError": False}
    if "authentication failed" in error.message.value:
        return {"throwError": True}
    return {"throwError": False}
'''


def test_error_handlers_get_an_error_object(tmp_path, model_calls):
    app = helpdesk(tmp_path / "helpdesk", events={"Router": ("triggerEvent", ROUTER), "Errors": ("error", ON_ERROR)})
    with Runtime(app, async_worker=False) as rt:
        helper = rt.engines.assistant(HELPER)
        caught = helper.run("refund please, the shop seems busy")
        state = helper.sessions.load(HELPER, caught.session_id)
        assert state.memory == {"route": "refund", "errorRecovered": True, "errors": [
            {"name": "RuntimeError", "message": "rate limit reached on the refund service",
             "text": "RuntimeError: rate limit reached on the refund service", "raisedIn": "in refund"}]}
        assert caught.reply is None and [s.raw for s in caught.history if s.nodeId == "refund"] == [
            {"error": "rate limit reached on the refund service", "caught": True}]

        with pytest.raises(PermissionError, match="authentication failed"):
            helper.run("refund for a stranger", session_id=caught.session_id)
        errors = helper.sessions.load(HELPER, caught.session_id).memory["errors"]
        assert [e["name"] for e in errors] == ["RuntimeError", "PermissionError"]
