"""AI agents (a tool-calling loop over service and model functions) and AI assistants (a graph of nodes),
with their events, behind chat providers: an OpenAI-compatible client and a replay of recorded answers."""
from .agent import AgentError, AgentResult, AgentRunner, ToolCallResult, render_prompt
from .assistant import AssistantError, AssistantRunner, Turn, trackAnalyticsEvent
from .elements import AgentApi, AssistantApi
from .providers import (
    ChatProvider, OpenAICompatibleProvider, ProviderError, ReplayProvider, provider_from_config, resolve_api_key,
)
from .sessions import AssistantState, HistoryStep, SessionError, SessionStore
from .tools import Tool, ToolConfigError, build_tools, function_schema

__all__ = [
    "AgentApi", "AgentError", "AgentResult", "AgentRunner", "AssistantApi", "AssistantError", "AssistantRunner",
    "AssistantState", "ChatProvider", "HistoryStep", "OpenAICompatibleProvider", "ProviderError", "ReplayProvider",
    "SessionError", "SessionStore", "Tool", "ToolCallResult", "ToolConfigError", "Turn", "build_tools", "function_schema",
    "provider_from_config", "render_prompt", "resolve_api_key", "trackAnalyticsEvent",
]
