"""The conversation an assistant's model calls see: the session's messages, the newest that fit the window,
put between the agent's system prompt and its question.

The window is the assistant's `historyWindow` (config.json), which an aiagent node's own `historyWindow`
may narrow or widen key by key. Tokens are estimated without a tokenizer: four characters of alphabetic
text make a token, a Chinese, Japanese or Korean character is one, and each message adds a few.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from ....project.schemas import AssistantConfig, AssistantNode
from ...values import native

CHARS_PER_TOKEN = 4
TOKENS_PER_MESSAGE = 4
FIRST_CJK = 0x2E80
ROLES = {"user": "user", "human": "user", "assistant": "assistant", "ai": "assistant", "system": "system"}


@dataclass(frozen=True)
class Window:
    max_messages: int
    max_tokens: int

    @classmethod
    def of(cls, config: AssistantConfig, node: AssistantNode) -> "Window":
        settings = config.historyWindow.model_dump()
        if node.historyWindow is not None:
            settings.update(node.historyWindow.model_dump(include=node.historyWindow.model_fields_set))
        return cls(settings["maxMessages"], settings["maxTokens"])


def estimate_tokens(message: dict[str, Any]) -> int:
    text = message["content"]
    cjk = sum(1 for char in text if ord(char) >= FIRST_CJK)
    return cjk + math.ceil((len(text) - cjk) / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE


def chat_message(message: Any) -> dict[str, Any] | None:
    """A session message as a chat message, `{role, content}`; None for one a model call cannot take.
    Handlers may push `{"role": …}` or LangChain-style `{"type": "system" | "human" | "ai"}` messages."""
    message = native(message)
    if not isinstance(message, dict):
        return None
    role = ROLES.get(str(message.get("role") or message.get("type") or "").lower())
    content = message.get("content")
    if role is None or content is None or content == "":
        return None
    if not isinstance(content, str):
        content = json.dumps(content, ensure_ascii=False, default=str)
    return {"role": role, "content": content}


def conversation(messages: list[Any], window: Window, *, skip_id: str | None = None) -> list[dict[str, Any]]:
    """The newest of the session's `messages` that fit in `window`, oldest first, without the one whose id
    is `skip_id` (the question the agent asks itself). It never opens with a reply whose question fell out."""
    chosen: list[dict[str, Any]] = []
    tokens = 0
    for raw in reversed(messages):
        if skip_id is not None and isinstance(raw, dict) and raw.get("id") == skip_id:
            continue
        message = chat_message(raw)
        if message is None:
            continue
        tokens += estimate_tokens(message)
        if len(chosen) >= window.max_messages or tokens > window.max_tokens:
            break
        chosen.append(message)
    chosen.reverse()
    while chosen and chosen[0]["role"] == "assistant":
        chosen.pop(0)
    return chosen
