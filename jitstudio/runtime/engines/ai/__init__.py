"""AI agents (a tool-calling loop over service and model functions) and AI assistants (a graph of nodes),
with their events, behind chat providers: an OpenAI-compatible client and a replay of recorded answers.
Each name is imported on first use."""
from typing import TYPE_CHECKING

from .... import lazy_exports

__all__ = [
    "AgentApi", "AgentError", "AgentResult", "AgentRunner", "AssistantApi", "AssistantError", "AssistantRunner",
    "AssistantState", "ChatProvider", "HistoryStep", "OpenAICompatibleProvider", "ProviderError", "ReplayProvider",
    "SessionError", "SessionStore", "Tool", "ToolCallResult", "ToolConfigError", "Turn", "build_tools", "function_schema",
    "provider_from_config", "render_prompt", "resolve_api_key", "trackAnalyticsEvent",
]

if TYPE_CHECKING:
    from .agent import AgentError, AgentResult, AgentRunner, ToolCallResult, render_prompt
    from .assistant import AssistantError, AssistantRunner, Turn, trackAnalyticsEvent
    from .elements import AgentApi, AssistantApi
    from .providers import (
        ChatProvider, OpenAICompatibleProvider, ProviderError, ReplayProvider, provider_from_config, resolve_api_key,
    )
    from .sessions import AssistantState, HistoryStep, SessionError, SessionStore
    from .tools import Tool, ToolConfigError, build_tools, function_schema
else:
    __getattr__, __dir__ = lazy_exports(__name__, {
        ".agent": ("AgentError", "AgentResult", "AgentRunner", "ToolCallResult", "render_prompt"),
        ".assistant": ("AssistantError", "AssistantRunner", "Turn", "trackAnalyticsEvent"),
        ".elements": ("AgentApi", "AssistantApi"),
        ".providers": ("ChatProvider", "OpenAICompatibleProvider", "ProviderError", "ReplayProvider", "provider_from_config",
                       "resolve_api_key"),
        ".sessions": ("AssistantState", "HistoryStep", "SessionError", "SessionStore"),
        ".tools": ("Tool", "ToolConfigError", "build_tools", "function_schema"),
    })
