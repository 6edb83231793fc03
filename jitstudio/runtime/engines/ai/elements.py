"""`app.getElement("aiagents.X")` and `app.getElement("aiassistants.X")`: the agent and assistant APIs app
code calls."""
from __future__ import annotations

from typing import Any, Callable

from ...values import native
from ..host import Host

__all__ = ["AgentApi", "AssistantApi"]


class AgentApi:
    """`app.getElement("aiagents.X")`."""

    def __init__(self, host: Host, full_name: str):
        self._host, self.fullName = host, full_name

    def run(self, user_input: str, variables: dict | None = None, chatId: str | None = None,
            stream_callback: Callable[[dict], None] | None = None) -> dict[str, Any]:
        from .agent import AgentRunner

        result = AgentRunner(self._host, self.fullName).run(str(native(user_input)), native(variables), stream_callback)
        return result.outputs


class AssistantApi:
    """`app.getElement("aiassistants.X")`."""

    def __init__(self, host: Host, full_name: str):
        from .assistant import AssistantRunner

        self._runner = AssistantRunner(host, full_name)
        self._app_name = host.project.name
        self.fullName = full_name

    def run(self, message: str, chatId: str | None = None, attachments: Any = None, caller: Any = None,
            streamMode: bool = False, inputs: dict | None = None, sessionType: str | None = None,
            appName: str | None = None) -> dict[str, Any]:
        """A turn started by app code, not by a user: its trigger step is APP_TRIGGER_NODE with `appName`
        (default: this app's name). `sessionType` (TEXT, VOICE) is a new session's type."""
        turn = self._runner.run(str(native(message)), native(inputs), native(chatId), session_type=native(sessionType),
                                app_name=str(native(appName) or self._app_name))
        return turn.to_json()

    def getChatStatus(self, chatId: str) -> str | None:
        return "completed" if self._runner.sessions.load(self.fullName, chatId) is not None else None

    def trackAnalyticsEvent(self, eventName: str, payload: dict, sessionId: str) -> None:
        self._runner.track(eventName, payload, sessionId)
