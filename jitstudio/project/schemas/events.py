"""The five event element kinds (events/<Name>/e.json)."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .common import ElementSpec, Flag, FuncType, LocatedValueError

MODEL_OPERATES = ("AddBefore", "AddAfter", "UpdateBefore", "UpdateAfter", "DeleteBefore", "DeleteAfter", "FieldUpdateAfter")
MODEL_OPERATE_LABELS = {
    "AddBefore": "Before data creation",
    "AddAfter": "After data creation",
    "UpdateBefore": "Before data update",
    "UpdateAfter": "After data update",
    "DeleteBefore": "Before data deletion",
    "DeleteAfter": "After data deletion",
    "FieldUpdateAfter": "After any write operation",
}
WORKFLOW_OPERATES = ("Process", "NodeChange", "NodeHandled")
WORKFLOW_OPERATE_LABELS = {
    "Process": "Approval status change",
    "NodeChange": "Approval node change",
    "NodeHandled": "After approval processing",
}
WORKFLOW_STATUSES = ("In", "Pass", "Refuse")
HANDLE_TYPES = ("submit", "manualEnd", "agree", "refuse", "reject", "transmit", "transfer")
AGENT_STAGES = ("preEvent", "postEvent")
ASSISTANT_RUN_OPERATES = ("beforeRun", "afterRun")
ASSISTANT_NODE_OPERATES = ("beforeNodeRun", "afterNodeRun", "approved", "rejected", "replied", "edited")
ASSISTANT_LIFECYCLE_OPERATES = (
    "init", "aiMessage", "triggerEvent", "error", "onLogicalCondition", "onLogicalConditionResult",
    "analyticsEvent", "turnEnd",
)
EVENT_TYPES = ("events.ModelType", "events.WorkflowType", "events.NormalType", "events.AIAssistantType", "events.AIAgentType")

_NODE_OPERATE = re.compile(r"^(?P<node>[A-Za-z0-9_\-]+)\.(?P<what>[A-Za-z]+)$")


class EventSpec(ElementSpec):
    title: str
    funcType: FuncType | None = None
    func: str | None = None
    asyncType: bool = False
    enable: Flag = 1
    retry: int | None = Field(default=None, ge=0, le=20)
    retryBackoffSeconds: float | None = Field(default=None, ge=0)

    @property
    def is_inner(self) -> bool:
        if self.funcType is not None:
            return self.funcType == "Inner"
        return not self.func

    @model_validator(mode="after")
    def _handler_named(self):
        if self.funcType == "Global" and not self.func:
            raise LocatedValueError(
                "funcType is Global but func is empty; give the service function, e.g. services.AuditSvc.logChange",
                "funcType",
            )
        return self


class ModelEventSpec(EventSpec):
    type: Literal["events.ModelType"]
    sender: str
    operate: Literal[MODEL_OPERATES]  # type: ignore[valid-type]
    filter: str | None = None
    fields: list[str] = []


class WorkflowEventSpec(EventSpec):
    type: Literal["events.WorkflowType"]
    model: str
    operate: Literal[WORKFLOW_OPERATES]  # type: ignore[valid-type]
    workflow: str | None = None
    triggerNode: list[str] = []
    handleNode: str | None = None
    handleType: list[str] | str | None = None

    @field_validator("handleType")
    @classmethod
    def _known_handle_types(cls, value):
        for item in [value] if isinstance(value, str) else (value or []):
            if item not in HANDLE_TYPES:
                raise ValueError(f"handleType '{item}' is not one of {', '.join(HANDLE_TYPES)}")
        return value


class NormalEventSpec(EventSpec):
    type: Literal["events.NormalType"]
    sender: str
    objMode: bool = False
    returnType: str = "None"
    path: str | None = None
    backendEpath: str | None = None
    extendType: str | None = None


class AIAssistantEventSpec(EventSpec):
    type: Literal["events.AIAssistantType"]
    sender: str
    operate: str

    @field_validator("operate")
    @classmethod
    def _known_operate(cls, value: str) -> str:
        if value in ASSISTANT_RUN_OPERATES or value in ASSISTANT_LIFECYCLE_OPERATES:
            return value
        m = _NODE_OPERATE.match(value)
        if m and m.group("what") in ASSISTANT_NODE_OPERATES:
            return value
        allowed = ", ".join(ASSISTANT_RUN_OPERATES + ASSISTANT_LIFECYCLE_OPERATES)
        nodes = ", ".join(f"<nodeId>.{w}" for w in ASSISTANT_NODE_OPERATES)
        raise ValueError(f"operate '{value}' is not one of {allowed}, {nodes}")

    @property
    def node_id(self) -> str | None:
        m = _NODE_OPERATE.match(self.operate)
        return m.group("node") if m else None


class AIAgentEventSpec(EventSpec):
    type: Literal["events.AIAgentType"]
    sender: str
    stage: Literal[AGENT_STAGES]  # type: ignore[valid-type]
    blocking: bool = False  # a preEvent handler that raises vetoes the tool call


EVENT_SPECS: dict[str, type[EventSpec]] = {
    "events.ModelType": ModelEventSpec,
    "events.WorkflowType": WorkflowEventSpec,
    "events.NormalType": NormalEventSpec,
    "events.AIAssistantType": AIAssistantEventSpec,
    "events.AIAgentType": AIAgentEventSpec,
}
