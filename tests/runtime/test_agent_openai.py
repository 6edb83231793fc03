"""The OpenAI-compatible provider with the real `openai` client against a chat-completions server on 127.0.0.1."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ai_support import FakeHost, make_app
from jitstudio.runtime.engines.ai import AgentRunner, OpenAICompatibleProvider, ProviderError, provider_from_config
from test_agent_loop import GET_ORDER


class ChatServer:
    """Answers POST /v1/chat/completions with scripted assistant messages and keeps every request."""

    def __init__(self, replies):
        self.replies, self.requests = list(replies), []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                if self.path != "/v1/chat/completions" or not server.replies:
                    return self._send(404 if server.replies else 500, {"error": {"message": "no scripted reply", "type": "server_error"}})
                message = server.replies.pop(0)
                finish = "tool_calls" if message.get("tool_calls") else "stop"
                self._send(200, {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
                                 "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def tool_reply(wire_name, arguments):
    return {"role": "assistant", "content": None, "tool_calls": [
        {"id": "call_9", "type": "function", "function": {"name": wire_name, "arguments": json.dumps(arguments)}}]}


def test_agent_runs_against_a_local_chat_completions_server(tmp_path, monkeypatch):
    replies = [tool_reply("services__OrderSvc__getOrder", {"orderId": 4}), {"role": "assistant", "content": "Order 4 is shipped."}]
    with ChatServer(replies) as server:
        config = {"llmConfig": {"provider": "openai-compatible", "model": "local-llama", "baseUrl": server.base_url,
                                "apiKeyEnv": "JITSTUDIO_TEST_LLM_KEY", "temperature": 0},
                  "tools": [{"type": "service", "name": "services.OrderSvc", "enableFunctionList": {"getOrder": {"postEvent": {"withData": True}}}}]}
        make_app(tmp_path, agents={"Desk": ({"prompt": "Be brief."}, config)}, services={"OrderSvc": [GET_ORDER]},
                 events={"Post": {"type": "events.AIAgentType", "sender": "aiagents.Desk", "stage": "postEvent", "func": "services.L.post"}})
        monkeypatch.setenv("JITSTUDIO_TEST_LLM_KEY", "sk-local-test")
        host = FakeHost(tmp_path)
        host.functions["services.OrderSvc.getOrder"] = lambda orderId: {"id": orderId, "status": "shipped"}
        posted = []
        host.handlers["events.Post"] = lambda data: posted.append(data.toDict())
        result = AgentRunner(host, "aiagents.Desk").run("Where is order 4?")

    assert result.answer == "Order 4 is shipped."
    assert host.function_calls == [("services.OrderSvc.getOrder", (), {"orderId": 4})]
    assert posted == [{"toolName": "services.OrderSvc.getOrder", "stage": "postEvent", "args": '{"id": 4, "status": "shipped"}',
                       "inputs": {"orderId": 4}, "result": {"id": 4, "status": "shipped"}}]
    first, second = server.requests
    assert first["path"] == "/v1/chat/completions" and first["auth"] == "Bearer sk-local-test"
    assert first["body"]["model"] == "local-llama" and first["body"]["temperature"] == 0
    assert first["body"]["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Where is order 4?"}]
    tool = first["body"]["tools"][0]
    assert tool["type"] == "function" and tool["function"]["name"] == "services__OrderSvc__getOrder"
    assert tool["function"]["parameters"]["properties"]["orderId"]["type"] == "number"
    sent = second["body"]["messages"]
    assert sent[2]["tool_calls"][0]["function"]["name"] == "services__OrderSvc__getOrder"
    assert sent[3] == {"role": "tool", "tool_call_id": "call_9", "content": '{"id": 4, "status": "shipped"}'}
    assert "sk-local-test" not in (tmp_path / "aiagents/Desk/config.json").read_text()


def test_server_error_is_a_provider_error(tmp_path):
    with ChatServer([]) as server:
        provider = OpenAICompatibleProvider(model="m", base_url=server.base_url, api_key="k")
        with pytest.raises(ProviderError, match="answered with an error"):
            provider.complete([{"role": "user", "content": "hi"}], [])


def test_provider_choice_and_key_lookup(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ProviderError, match="set the OPENAI_API_KEY environment variable"):
        provider_from_config({"provider": "openai", "model": "gpt-4o-mini"})
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    provider = provider_from_config({"model": "gpt-4o-mini"})
    assert isinstance(provider, OpenAICompatibleProvider) and provider.client.api_key == "sk-env"
    ollama = provider_from_config({"provider": "ollama", "model": "llama3.1"})
    assert ollama.base_url == "http://localhost:11434/v1"
    defaults = {"model": "from-assistant", "baseUrl": "http://127.0.0.1:9/v1"}
    assert provider_from_config({"provider": "vllm"}, defaults).model == "from-assistant"
    with pytest.raises(ProviderError, match="unknown llm provider 'bard'"):
        provider_from_config({"provider": "bard", "model": "x"})


def test_a_provider_error_that_echoes_the_key_stores_no_secret(tmp_path):
    key = "sk-live-0123456789abcdefSECRET"
    with ChatServer([]) as server:
        provider = OpenAICompatibleProvider(model="m", base_url=server.base_url + "/echo", api_key=key)
        original = server.httpd.RequestHandlerClass.do_POST

        def echo(handler):
            handler._send(401, {"error": {"message": f"Incorrect API key provided: {key}. Sent headers: "
                                                     f"Authorization: Bearer {key}; api_key={key}",
                                          "type": "invalid_request_error"}})

        server.httpd.RequestHandlerClass.do_POST = echo
        try:
            with pytest.raises(ProviderError) as raised:
                provider.complete([{"role": "user", "content": "hi"}], [])
        finally:
            server.httpd.RequestHandlerClass.do_POST = original
    message = str(raised.value)
    assert "Incorrect API key provided" in message and "[redacted]" in message
    assert "0123456789abcdef" not in message and raised.value.__cause__ is None


def test_records_never_keep_bearer_tokens_or_api_keys(tmp_path):
    from jitstudio.runtime.execution.path import error_text
    from jitstudio.runtime.values.secrets import redact

    text = error_text(RuntimeError('call failed: {"Authorization": "Bearer abc.def-ghi_jkl", "api_key": "k-12345678"}'))
    assert "abc.def" not in text and "k-12345678" not in text and text.startswith("RuntimeError: call failed")
    assert redact("password=hunter2hunter2 and sk-proj-abcdefghijklmnop") == "password=[redacted] and sk-[redacted]"
    assert redact("an ordinary message about tokens and keys") == "an ordinary message about tokens and keys"
