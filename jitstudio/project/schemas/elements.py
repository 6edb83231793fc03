"""Schemas of app.json and of the model, service, workflow, agent and assistant elements."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .common import ArgSpec, ElementSpec, FunctionSpec, Spec


class RecordsSettings(Spec):
    maxAgeDays: float | None = Field(default=30, ge=0)
    maxCount: int | None = Field(default=100_000, ge=0)


class RuntimeSettings(Spec):
    db: str | None = None
    eventChainDepth: int = Field(default=16, ge=1, le=1000)
    records: RecordsSettings = RecordsSettings()
    handlerTimeoutSeconds: float | None = Field(default=None, gt=0)
    queue: Literal["outbox", "procrastinate"] | None = None


class AppUser(Spec):
    name: str
    title: str = ""
    roles: list[str] = []


class AppSpec(Spec):
    name: str
    title: str = ""
    version: str = "0.1.0"
    runtime: RuntimeSettings = RuntimeSettings()
    users: list[AppUser] = []


class ModelSpec(ElementSpec):
    type: str = "models.NormalType"
    db: str = "databases.Default"
    functionList: list[FunctionSpec] = []


class EventDesc(Spec):
    name: str
    title: str
    desc: str | None = None


class ServiceSpec(ElementSpec):
    type: str = "services.NormalType"
    functionList: list[FunctionSpec] = []
    eventDescs: list[EventDesc] = []


WORKFLOW_NODE_TYPES = {0: "start", 1: "approval", 4: "branch", 5: "parallel start", 6: "parallel end", 7: "end"}


class WorkflowSpec(ElementSpec):
    type: str = "workflows.NormalType"
    dataModel: str


class WorkflowNode(Spec):
    name: str
    title: str = ""
    type: Literal[tuple(WORKFLOW_NODE_TYPES)]  # type: ignore[valid-type]
    position: Any = None


class WorkflowLink(Spec):
    linkId: str | int | None = None
    from_: str = Field(alias="from")
    to: str
    fromPort: str | None = None
    toPort: str | None = None
    condition: str | None = None
    else_: bool = Field(default=False, alias="else")


class WorkflowConfig(Spec):
    nodeList: list[WorkflowNode]
    linkList: list[WorkflowLink] = []
    nodeConfig: dict[str, Any] = {}
    modelName: str | None = None
    statusMaps: dict[str, Any] | list[Any] | None = None


class WithData(Spec):
    withData: bool = True


class ToolFunctionConfig(Spec):
    humanInterrupt: bool | int | None = None
    roles: list[str] | None = None
    preEvent: WithData | None = None
    postEvent: WithData | None = None


TOOL_TYPES = ("model", "service", "ui", "mcpServer", "custom")


class AgentTool(Spec):
    type: Literal[TOOL_TYPES]  # type: ignore[valid-type]
    name: str
    enableFunctionList: dict[str, ToolFunctionConfig] = {}


class AgentSpec(ElementSpec):
    type: str = "aiagents.ReActType"
    inputArgs: list[ArgSpec] = []
    outputArgs: list[ArgSpec] = []


class AgentConfig(Spec):
    description: str = ""
    llmElement: str | None = None
    llmConfig: dict[str, Any] = {}
    tools: list[AgentTool] = []
    saverDb: str | None = None
    knowledgeRepo: Any = None
    verbose: bool = False
    callbackHandler: str | None = None
    maxTurns: int = Field(default=8, ge=1, le=100)


ASSISTANT_NODE_TYPES = ("start", "router", "aiagent", "function", "ifelse", "iteration", "humanaction", "pageaction", "end")
EVENTFUL_NODE_TYPES = ("aiagent", "function", "ifelse", "iteration")


class OutputArg(Spec):
    name: str
    value: str | None = None
    title: str | None = None


class NodeEvents(Spec):
    backend: bool = False
    page: bool = False
    arrivalOutputArgs: list[OutputArg] = []
    afterRunOutputArgs: list[OutputArg] = []


class HistoryWindow(Spec):
    """How much of a session's conversation an assistant's model calls see: the newest messages, at most
    `maxMessages` of them and about `maxTokens` tokens (estimated; see runtime/engines/ai/history.py)."""

    maxMessages: int = Field(default=20, ge=0)
    maxTokens: int = Field(default=4000, ge=0)


class AssistantNode(Spec):
    id: str
    type: Literal[ASSISTANT_NODE_TYPES]  # type: ignore[valid-type]
    title: str = ""
    position: Any = None
    agent: str | None = None
    function: str | None = None
    events: NodeEvents = NodeEvents()
    historyWindow: HistoryWindow | None = None  # an aiagent node's own window; keys it leaves out come from the assistant's


class AssistantEdge(Spec):
    sourceNode: str
    targetNode: str
    sourcePort: str | None = None
    targetPort: str | None = None
    argMapping: dict[str, str] = {}
    condition: str | None = None
    else_: bool = Field(default=False, alias="else")


class AssistantSpec(ElementSpec):
    type: str = "aiassistants.NormalType"
    inputArgs: list[ArgSpec] = []


class AssistantConfig(Spec):
    apiKey: str | None = None
    apiKeyEnv: str | None = None
    baseUrl: str | None = None
    model: str | None = None
    temperature: float | None = None
    maxTokens: int | None = None
    saverDb: str | None = None
    sessionTimeout: int | None = None
    welcomeMessage: str | None = None
    prologues: list[str] = []
    llmConfig: dict[str, Any] = {}
    historyWindow: HistoryWindow = HistoryWindow()
    nodes: dict[str, AssistantNode]
    edges: list[AssistantEdge] = []
