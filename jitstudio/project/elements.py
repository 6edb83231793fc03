"""Elements of an app: one folder with e.json, its config and its code, as loaded from disk."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from .jsondoc import JsonDocument
from .problems import Problem
from .pysource import ClassSource, MethodInfo, ModelField, ModelSource
from .schemas import EventSpec, FunctionSpec, Spec

FAMILIES = ("models", "services", "events", "workflows", "aiagents", "aiassistants")
FAMILY_TITLES = {
    "models": "Models",
    "services": "Services",
    "events": "Events",
    "workflows": "Approval workflows",
    "aiagents": "AI agents",
    "aiassistants": "AI assistants",
}
EVENT_KINDS = {
    "events.ModelType": "model",
    "events.WorkflowType": "workflow",
    "events.NormalType": "normal",
    "events.AIAssistantType": "assistant",
    "events.AIAgentType": "agent",
}
EVENT_KIND_TITLES = {
    "model": "Model events",
    "workflow": "Approval events",
    "normal": "Custom events",
    "assistant": "AI assistant events",
    "agent": "Agent tool events",
}


@dataclass
class JsonFile:
    """One JSON file of an element: its document (None when it does not parse) and its validated spec."""

    path: Path
    doc: JsonDocument | None = None
    spec: Spec | None = None


@dataclass
class Element:
    family_name: ClassVar[str] = ""

    root: Path
    full_name: str
    directory: Path
    ejson: JsonFile
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.full_name.rsplit(".", 1)[-1]

    @property
    def family(self) -> str:
        return self.full_name.split(".", 1)[0]

    @property
    def spec(self):
        return self.ejson.spec

    @property
    def type(self) -> str:
        if self.ejson.doc and isinstance(self.ejson.doc.data, dict):
            return str(self.ejson.doc.data.get("type") or "")
        return ""

    @property
    def title(self) -> str:
        if self.ejson.doc and isinstance(self.ejson.doc.data, dict):
            return str(self.ejson.doc.data.get("title") or self.name)
        return self.name

    @property
    def valid(self) -> bool:
        return self.ejson.spec is not None

    def rel(self, path: Path) -> str:
        return Path(path).relative_to(self.root).as_posix()

    def files(self) -> list[Path]:
        return sorted(p for p in self.directory.iterdir() if p.is_file())


@dataclass
class ModelElement(Element):
    family_name: ClassVar[str] = "models"
    source: ModelSource = field(default_factory=ModelSource)

    @property
    def fields(self) -> list[ModelField]:
        return self.source.fields

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.source.fields]

    def field(self, name: str) -> ModelField | None:
        return next((f for f in self.source.fields if f.name == name), None)

    @property
    def primary_key(self) -> str:
        return next((f.name for f in self.source.fields if f.primary_key), "id")


@dataclass
class ServiceElement(Element):
    family_name: ClassVar[str] = "services"
    source: ClassSource = field(default_factory=ClassSource)

    @property
    def functions(self) -> dict[str, FunctionSpec]:
        return {f.name: f for f in (self.spec.functionList if self.spec else [])}

    @property
    def methods(self) -> dict[str, MethodInfo]:
        return self.source.methods

    @property
    def event_names(self) -> list[str]:
        return [d.name for d in (self.spec.eventDescs if self.spec else [])]


@dataclass
class EventElement(Element):
    family_name: ClassVar[str] = "events"
    event_type: str = ""
    inner: ClassSource | None = None

    @property
    def kind(self) -> str:
        return EVENT_KINDS.get(self.event_type, "")

    @property
    def event_spec(self) -> EventSpec | None:
        return self.spec if isinstance(self.spec, EventSpec) else None

    @property
    def enabled(self) -> bool:
        return bool(self.event_spec and self.event_spec.enable)

    @property
    def is_async(self) -> bool:
        return bool(self.event_spec and self.event_spec.asyncType)

    @property
    def inner_path(self) -> Path:
        return self.directory / "inner.py"


@dataclass
class ConfiguredElement(Element):
    """An element whose behaviour lives in config.json (workflows, agents, assistants)."""

    config: JsonFile | None = None

    @property
    def config_spec(self):
        return self.config.spec if self.config else None


@dataclass
class WorkflowElement(ConfiguredElement):
    family_name: ClassVar[str] = "workflows"

    @property
    def node_ids(self) -> list[str]:
        return [n.name for n in self.config_spec.nodeList] if self.config_spec else []


@dataclass
class AgentElement(ConfiguredElement):
    family_name: ClassVar[str] = "aiagents"


@dataclass
class AssistantElement(ConfiguredElement):
    family_name: ClassVar[str] = "aiassistants"

    @property
    def node_ids(self) -> list[str]:
        return list(self.config_spec.nodes) if self.config_spec else []


@dataclass
class GenericElement(Element):
    """An element of a family jitstudio does not edit (databases, pages, …); kept and shown, never changed."""
