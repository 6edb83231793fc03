"""The engines that run an app's approval workflows, AI agents and AI assistants on a host: the host protocol
they need, the host made of a runtime's parts, and `Engines`, which serves their elements to app code."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .host import EngineHost, EventLog, FiredEvent, Host, enabled_events, ensure_tables

if TYPE_CHECKING:
    from .ai import AgentRunner, AssistantRunner
    from .approvals import ApprovalEngine, WorkflowRuntimeElement

__all__ = ["EngineHost", "Engines", "EventLog", "FiredEvent", "Host", "enabled_events", "ensure_tables"]


class Engines:
    """The engines serving one app on `host`; `register(family, factory)` makes `app.getElement` serve
    their elements. Cheap to make: the engines are made when first used."""

    def __init__(self, host: Host, register: Callable[[str, Callable[[str], Any]], None]):
        from .ai import AgentApi, AssistantApi
        from .ai.sessions import metadata as session_tables
        from .approvals.store import metadata as approval_tables

        self.host = host
        self._approvals: "ApprovalEngine | None" = None
        ensure_tables(host.engine, approval_tables)
        ensure_tables(host.engine, session_tables)
        register("workflows", self._workflow)
        register("aiagents", lambda name: AgentApi(host, name))
        register("aiassistants", lambda name: AssistantApi(host, name))

    @property
    def approvals(self) -> "ApprovalEngine":
        """The approval engine, made (and its tables created) on first use."""
        if self._approvals is None:
            from .approvals import ApprovalEngine

            self._approvals = ApprovalEngine(self.host)
        return self._approvals

    def _workflow(self, full_name: str) -> "WorkflowRuntimeElement":
        from .approvals import WorkflowRuntimeElement

        return WorkflowRuntimeElement(self.approvals, full_name)

    def agent(self, full_name: str, **options: Any) -> "AgentRunner":
        from .ai import AgentRunner

        return AgentRunner(self.host, full_name, **options)

    def assistant(self, full_name: str) -> "AssistantRunner":
        from .ai import AssistantRunner

        return AssistantRunner(self.host, full_name)
