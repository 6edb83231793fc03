"""Assistants remember the conversation: a turn's model calls see the session's earlier messages (within the
history window) and the messages handlers add, on the real runtime with the replay and the real client."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from _runtime_support import make_app, write
from ai_support import FakeHost
from jitstudio.project.schemas import AssistantConfig
from jitstudio.runtime import Runtime
from jitstudio.runtime.engines.ai import AssistantRunner, ReplayProvider
from test_agent_loop import answer
from test_agent_openai import ChatServer

PROMPT = "You are the help desk clerk."
HELPER = "aiassistants.Helper"
DESK_SERVICE = '''
def ask(self, question, sessionId=None, sessionType=None):
    return app.getElement("aiassistants.Helper").run(question, sessionId, sessionType=sessionType)

def refund(self, userInput):
    if "busy" in userInput:
        raise RuntimeError("rate limit reached on the refund service")
    if "stranger" in userInput:
        raise PermissionError("authentication failed for the refund service")
    return f"refund started for: {userInput}"
'''
DESK_FUNCTIONS = [{"name": "ask", "args": [{"name": "question", "dataType": "Stext"}, {"name": "sessionId", "dataType": "Stext"},
                                           {"name": "sessionType", "dataType": "Stext"}]},
                  {"name": "refund", "args": [{"name": "userInput", "dataType": "Stext"}]}]
NODES = {
    "start": {"id": "start", "type": "start", "title": "Customer message"},
    "clerk": {"id": "clerk", "type": "aiagent", "title": "Clerk", "agent": "aiagents.Clerk"},
    "refund": {"id": "refund", "type": "function", "title": "Start a refund", "function": "services.Desk.refund",
               "args": {"userInput": "start.userInput"}},
    "end": {"id": "end", "type": "end", "title": "End"},
}
EDGES = [
    {"sourceNode": "start", "targetNode": "clerk", "argMapping": {"input_data": "start.userInput"}},
    {"sourceNode": "clerk", "targetNode": "end", "argMapping": {"answer": "clerk.answer"}},
    {"sourceNode": "refund", "targetNode": "end", "argMapping": {"answer": "refund.result"}},
]


def helpdesk(root: Path, *, events: dict | None = None, replay: list | None = None, llm: dict | None = None,
             config: dict | None = None, clerk: dict | None = None) -> Path:
    """The help desk app: assistant Helper (start → clerk agent → end, and a refund node reached only by goto),
    agent Clerk answering from `replay`, service Desk whose `ask` runs the assistant from app code, and
    `events` {Name: (operate, inner.py body)} on the assistant."""
    make_app(root, services={"Desk": ({"functionList": DESK_FUNCTIONS}, DESK_SERVICE)},
             events={name: ({"type": "events.AIAssistantType", "sender": HELPER, "operate": operate, "funcType": "Inner",
                             "enable": 1}, body) for name, (operate, body) in (events or {}).items()})
    write(root / "aiagents/Clerk/e.json", {"title": "Clerk", "type": "aiagents.ReActType",
                                          "outputArgs": [{"name": "answer", "dataType": "Ltext"}]})
    write(root / "aiagents/Clerk/config.json", {"llmConfig": llm or {"provider": "replay", "replay": replay or [answer("Noted.")]}})
    (root / "aiagents/Clerk/prompt.md").write_text(PROMPT, encoding="utf-8")
    nodes = {**NODES, "clerk": {**NODES["clerk"], **(clerk or {})}}
    write(root / "aiassistants/Helper/e.json", {"title": "Helper", "type": "aiassistants.NormalType"})
    write(root / "aiassistants/Helper/config.json", {"nodes": nodes, "edges": EDGES, **(config or {})})
    return root


@pytest.fixture
def model_calls(monkeypatch):
    """Every list of messages a replay provider is sent. A question about "which order" is answered from the
    earlier user messages the model was sent (as a model with the conversation would); others by the replay."""
    calls: list[list[dict]] = []
    replay = ReplayProvider.complete

    def complete(self, messages, tools):
        calls.append([{k: v for k, v in m.items() if k != "id"} for m in messages])
        if "which order" in messages[-1]["content"]:
            said = [re.search(r"order (\d+)", m["content"]) for m in messages[:-1] if m["role"] == "user"]
            numbers = [found.group(1) for found in said if found]
            return answer(f"You told me about order {numbers[0]}." if numbers else "You have not told me about an order.")
        return replay(self, messages, tools)

    monkeypatch.setattr(ReplayProvider, "complete", complete)
    return calls


def test_the_third_answer_depends_on_the_first_turn(tmp_path, model_calls):
    app = helpdesk(tmp_path / "helpdesk", replay=[answer("Noted.")])
    with Runtime(app, async_worker=False) as rt:
        helper = rt.engines.assistant(HELPER)
        first = helper.run("My parcel for order 7 never came.")
        second = helper.run("Also, do you ship abroad?", session_id=first.session_id)
        third = helper.run("Remind me, which order was it?", session_id=first.session_id)
    assert third.reply == "You told me about order 7."
    assert model_calls[2] == [
        {"role": "system", "content": PROMPT},
        {"role": "user", "content": "My parcel for order 7 never came."}, {"role": "assistant", "content": "Noted."},
        {"role": "user", "content": "Also, do you ship abroad?"}, {"role": "assistant", "content": "Noted."},
        {"role": "user", "content": "Remind me, which order was it?"}]
    assert model_calls[0] == [{"role": "system", "content": PROMPT}, {"role": "user", "content": "My parcel for order 7 never came."}]
    assert [s.raw["historyMessages"] for s in third.history if s.type == "LLM_NODE"] == [4]


KNOWLEDGE_BASE = '''
import uuid

ARTICLES = {"ship": "#### shipping.md\\nWe ship to every country in the EU within 5 days."}


def customFunc(eventOutData):
    triggerBody, state = eventOutData.triggerBody.value, eventOutData.state
    query = triggerBody["userInput"] if isinstance(triggerBody.get("userInput"), str) else str(triggerBody)
    retrievalResults = [text for word, text in ARTICLES.items() if word in query]
    if len(retrievalResults) > 0:
        context = "\\n\\n".join(retrievalResults)
        state.messages.append({"id": str(uuid.uuid4()), "role": "system",
                               "content": f"### Knowledge Base Context\\n\\n{context}"})
    return {"isQualified": True}
'''


def test_a_message_a_trigger_handler_adds_reaches_the_model(tmp_path, model_calls):
    app = helpdesk(tmp_path / "helpdesk", events={"Kb": ("triggerEvent", KNOWLEDGE_BASE)})
    with Runtime(app, async_worker=False) as rt:
        helper = rt.engines.assistant(HELPER)
        turn = helper.run("Do you ship to Spain?")
        state = helper.sessions.load(HELPER, turn.session_id)
    context = {"role": "system", "content": "### Knowledge Base Context\n\n#### shipping.md\n"
                                            "We ship to every country in the EU within 5 days."}
    assert model_calls == [[{"role": "system", "content": PROMPT}, context, {"role": "user", "content": "Do you ship to Spain?"}]]
    assert [m["role"] for m in state.messages] == ["user", "system", "assistant"]


def test_the_history_window_is_set_on_the_assistant_and_narrowed_on_a_node(tmp_path, model_calls):
    app = helpdesk(tmp_path / "helpdesk", config={"historyWindow": {"maxMessages": 2}})
    with Runtime(app, async_worker=False) as rt:
        helper = rt.engines.assistant(HELPER)
        session = helper.run("one").session_id
        for text in ("two", "three"):
            helper.run(text, session_id=session)
    assert [m["content"] for m in model_calls[2]] == [PROMPT, "two", "Noted.", "three"]

    model_calls.clear()
    app = helpdesk(tmp_path / "quiet", config={"historyWindow": {"maxMessages": 2}}, clerk={"historyWindow": {"maxMessages": 0}})
    with Runtime(app, async_worker=False) as rt:
        helper = rt.engines.assistant(HELPER)
        session = helper.run("one").session_id
        helper.run("two", session_id=session)
    assert [m["content"] for m in model_calls[1]] == [PROMPT, "two"]


def test_window_counts_messages_and_estimated_tokens():
    from jitstudio.runtime.engines.ai.history import Window, conversation, estimate_tokens

    config = AssistantConfig.model_validate({"nodes": NODES})
    assert Window.of(config, config.nodes["clerk"]) == Window(20, 4000)
    config = AssistantConfig.model_validate({"historyWindow": {"maxTokens": 30},
                                             "nodes": {**NODES, "clerk": {**NODES["clerk"], "historyWindow": {"maxMessages": 3}}}})
    assert Window.of(config, config.nodes["clerk"]) == Window(3, 30)
    messages = [{"id": "m1", "role": "user", "content": "a" * 40}, {"id": "m2", "role": "assistant", "content": "b" * 40},
                {"id": "m3", "type": "human", "content": "c" * 40}, {"id": "m4", "role": "tool", "content": "skipped"},
                {"id": "m5", "type": "system", "content": {"kb": 1}}, {"id": "m6", "role": "user", "content": "now"}]
    assert conversation(messages, Window(20, 4000), skip_id="m6") == [
        {"role": "user", "content": "a" * 40}, {"role": "assistant", "content": "b" * 40},
        {"role": "user", "content": "c" * 40}, {"role": "system", "content": '{"kb": 1}'}]
    # 14 tokens for each 40-character message: the third back no longer fits in 30, and a reply never opens the window
    assert [m["content"][0] for m in conversation(messages[:3], Window(20, 30))] == ["c"]
    assert conversation(messages, Window(0, 4000)) == []
    chinese = [{"role": "user", "content": "我的订单七号还没到"}, {"role": "user", "content": "a" * 36}]
    assert [estimate_tokens(m) for m in chinese] == [9 + 4, 9 + 4]


def test_the_history_reaches_a_chat_completions_server(tmp_path, monkeypatch):
    replies = [{"role": "assistant", "content": "Order 7 is on its way."}, {"role": "assistant", "content": "It was order 7."}]
    with ChatServer(replies) as server:
        helpdesk(tmp_path, llm={"provider": "openai-compatible", "model": "local-llama", "baseUrl": server.base_url,
                                "apiKeyEnv": "JITSTUDIO_TEST_LLM_KEY"})
        monkeypatch.setenv("JITSTUDIO_TEST_LLM_KEY", "sk-local-test")
        runner = AssistantRunner(FakeHost(tmp_path), HELPER)
        first = runner.run("Where is order 7?")
        second = runner.run("Which order did I ask about?", session_id=first.session_id)
    assert second.reply == "It was order 7."
    assert server.requests[1]["body"]["messages"] == [
        {"role": "system", "content": PROMPT}, {"role": "user", "content": "Where is order 7?"},
        {"role": "assistant", "content": "Order 7 is on its way."}, {"role": "user", "content": "Which order did I ask about?"}]
