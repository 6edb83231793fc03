"""Pydantic schemas of every JSON file kind in an app."""
from .common import ArgSpec, ElementSpec, FunctionSpec, Spec
from .elements import (
    AgentConfig, AgentSpec, AgentTool, AppSpec, AssistantConfig, AssistantEdge, AssistantNode, AssistantSpec,
    EventDesc, HistoryWindow, ModelSpec, NodeEvents, RuntimeSettings, ServiceSpec, ToolFunctionConfig, WorkflowConfig,
    WorkflowLink, WorkflowNode, WorkflowSpec, ASSISTANT_NODE_TYPES, EVENTFUL_NODE_TYPES, WORKFLOW_NODE_TYPES,
)
from .events import (
    AIAgentEventSpec, AIAssistantEventSpec, EventSpec, ModelEventSpec, NormalEventSpec, WorkflowEventSpec,
    AGENT_STAGES, ASSISTANT_LIFECYCLE_OPERATES, ASSISTANT_NODE_OPERATES, ASSISTANT_RUN_OPERATES, EVENT_SPECS,
    EVENT_TYPES, HANDLE_TYPES, MODEL_OPERATE_LABELS, MODEL_OPERATES, WORKFLOW_OPERATE_LABELS, WORKFLOW_OPERATES,
    WORKFLOW_STATUSES,
)

FILE_KINDS: dict[str, type[Spec]] = {
    "app": AppSpec,
    "model": ModelSpec,
    "service": ServiceSpec,
    "workflow": WorkflowSpec,
    "workflow-config": WorkflowConfig,
    "aiagent": AgentSpec,
    "aiagent-config": AgentConfig,
    "aiassistant": AssistantSpec,
    "aiassistant-config": AssistantConfig,
    "event-model": ModelEventSpec,
    "event-workflow": WorkflowEventSpec,
    "event-normal": NormalEventSpec,
    "event-aiassistant": AIAssistantEventSpec,
    "event-aiagent": AIAgentEventSpec,
}
