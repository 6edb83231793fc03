"""Chat model providers behind one interface: an OpenAI-compatible client and a replay of recorded answers.

A provider takes OpenAI chat-completions messages and tool definitions and returns the assistant message
as a plain dict (`role`, `content`, `tool_calls` with `function.name` and JSON-string `arguments`).
"""
from __future__ import annotations

import json
import os
import re
from typing import Any, Protocol

from ....errors import AppError
from ...values.secrets import redact, remember_secret

KEYRING_SERVICE = "jitstudio"
DEFAULT_BASE_URLS = {
    "openai": "https://api.openai.com/v1",
    "ollama": "http://localhost:11434/v1",
    "vllm": "http://localhost:8000/v1",
}
_WIRE_NAME = re.compile(r"[^a-zA-Z0-9_-]")


class ProviderError(AppError):
    """The model could not be asked (no key, unreachable server, no recorded answer left)."""


class ChatProvider(Protocol):
    name: str
    model: str

    def complete(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
        """The assistant's next message for this conversation."""


class ReplayProvider:
    """Plays recorded assistant messages in order: the n-th answer of a conversation is the n-th recording.
    A conversation starts at its last user message; the exchanges of earlier turns before it do not count."""

    name = "replay"

    def __init__(self, responses: list[dict[str, Any]], model: str = "replay"):
        self.responses = [dict(r) for r in responses]
        self.model = model
        self.requests: list[list[dict[str, Any]]] = []

    def complete(self, messages, tools):
        self.requests.append(list(messages))
        question = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1)
        turn = sum(1 for m in messages[question + 1:] if m.get("role") == "assistant")
        if turn >= len(self.responses):
            raise ProviderError(f"the replay has no answer for turn {turn + 1} (it holds {len(self.responses)}); "
                                "add one to llmConfig.replay or switch to a real provider")
        message = dict(self.responses[turn])
        message.setdefault("role", "assistant")
        return message


class OpenAICompatibleProvider:
    """Any server speaking OpenAI's chat-completions protocol: OpenAI, Ollama, vLLM, LM Studio …

    Tool names are full function paths with dots, which OpenAI rejects; on the wire they are written with
    `__` for each dot and read back the same way."""

    name = "openai"

    def __init__(self, *, model: str, base_url: str | None = None, api_key: str | None = None,
                 temperature: float | None = None, max_tokens: int | None = None, timeout: float = 60.0):
        from openai import OpenAI

        self.model, self.base_url = model, base_url or DEFAULT_BASE_URLS["openai"]
        self.temperature, self.max_tokens = temperature, max_tokens
        remember_secret(api_key)
        self.client = OpenAI(base_url=self.base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=0)

    def complete(self, messages, tools):
        import openai

        names = {_wire(t["function"]["name"]): t["function"]["name"] for t in tools}
        request: dict[str, Any] = {"model": self.model, "messages": [_to_wire(m) for m in messages]}
        if tools:
            request["tools"] = [{**t, "function": {**t["function"], "name": _wire(t["function"]["name"])}} for t in tools]
        if self.temperature is not None:
            request["temperature"] = self.temperature
        if self.max_tokens is not None:
            request["max_tokens"] = self.max_tokens
        try:
            response = self.client.chat.completions.create(**request)
        except openai.APIError as exc:
            raise ProviderError(redact(f"{self.base_url} answered with an error: {exc}")) from None
        if not response.choices:
            raise ProviderError(f"{self.base_url} answered without a choice")
        message = response.choices[0].message.model_dump(exclude_none=True)
        message["role"] = "assistant"
        for call in message.get("tool_calls") or []:
            call["function"]["name"] = names.get(call["function"]["name"], call["function"]["name"])
        message.setdefault("content", None)
        return message


def _wire(name: str) -> str:
    return _WIRE_NAME.sub("_", name.replace(".", "__"))[:64]


def _to_wire(message: dict[str, Any]) -> dict[str, Any]:
    plain = {k: v for k, v in message.items() if k != "id"}
    if message.get("tool_calls"):
        plain["tool_calls"] = [{**c, "function": {**c["function"], "name": _wire(c["function"]["name"])}} for c in message["tool_calls"]]
    return plain


def resolve_api_key(config: dict[str, Any], *, provider: str) -> str | None:
    """The API key: the environment variable named by `apiKeyEnv` (default OPENAI_API_KEY for OpenAI), then
    the OS keyring (service `jitstudio`, user = `keyringUser` or the provider name) when `keyring` is
    installed, then an `apiKey` an app written for JitAI may carry. jitstudio never writes a key to a file."""
    env_name = config.get("apiKeyEnv") or ("OPENAI_API_KEY" if provider == "openai" else None)
    if env_name and os.environ.get(env_name):
        return os.environ[env_name]
    try:
        import keyring
    except ImportError:
        keyring = None
    if keyring is not None:
        try:
            secret = keyring.get_password(KEYRING_SERVICE, str(config.get("keyringUser") or provider))
        except Exception:  # noqa: BLE001 - a keyring without a backend is the same as no keyring
            secret = None
        if secret:
            return secret
    return config.get("apiKey") or None


def provider_from_config(llm: dict[str, Any], defaults: dict[str, Any] | None = None) -> ChatProvider:
    """A provider for an agent's llmConfig; `defaults` (an assistant's model settings) fill what it leaves out."""
    config = {**{k: v for k, v in (defaults or {}).items() if v not in (None, "")}, **{k: v for k, v in llm.items() if v not in (None, "")}}
    kind = str(config.get("provider") or "openai").lower()
    if kind == "replay":
        return ReplayProvider(list(config.get("replay") or []), str(config.get("model") or "replay"))
    if kind not in ("openai", "openai-compatible", "ollama", "vllm"):
        raise ProviderError(f"unknown llm provider '{kind}'; use openai, ollama, vllm, openai-compatible or replay")
    model = config.get("model")
    if not model:
        raise ProviderError("llmConfig needs a model, e.g. gpt-4o-mini or llama3.1")
    base_url = config.get("baseUrl") or config.get("base_url") or DEFAULT_BASE_URLS.get(kind)
    if not base_url:
        raise ProviderError("an openai-compatible provider needs baseUrl, e.g. http://localhost:8000/v1")
    api_key = resolve_api_key(config, provider=kind)
    if kind == "openai" and not api_key and base_url == DEFAULT_BASE_URLS["openai"]:
        env_name = config.get("apiKeyEnv") or "OPENAI_API_KEY"
        raise ProviderError(f"no API key for OpenAI: set the {env_name} environment variable "
                            f"(or store it with: keyring set {KEYRING_SERVICE} openai)")
    return OpenAICompatibleProvider(model=str(model), base_url=str(base_url), api_key=api_key,
                                    temperature=config.get("temperature"), max_tokens=config.get("maxTokens"),
                                    timeout=float(config.get("timeout") or 60))


def message_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content or ""


def parse_arguments(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    if not raw:
        return {}
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError(f"tool arguments must be a JSON object, got {type(value).__name__}")
    return value
