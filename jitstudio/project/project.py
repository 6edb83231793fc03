"""The Project: an app folder loaded into elements by fullName, a tree by family, and its problems."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .elements import (
    EVENT_KIND_TITLES, FAMILIES, FAMILY_TITLES, AgentElement, AssistantElement, Element, EventElement, JsonFile,
    ModelElement, ServiceElement, WorkflowElement,
)
from .problems import Problem
from .pysource import MethodInfo
from .schemas import AppSpec, FunctionSpec


@dataclass
class Project:
    root: Path
    app: AppSpec | None
    app_file: JsonFile
    elements: dict[str, Element]
    load_problems: list[Problem] = field(default_factory=list)
    reference_problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.app.name if self.app else self.root.name

    @property
    def title(self) -> str:
        return (self.app.title if self.app else "") or self.name

    @property
    def problems(self) -> list[Problem]:
        found = list(self.load_problems)
        for element in self.elements.values():
            found.extend(element.problems)
        found.extend(self.reference_problems)
        return sorted(set(found), key=lambda p: (p.path, p.line, p.col, p.message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def get(self, full_name: str) -> Element | None:
        return self.elements.get(full_name)

    def of_family(self, family: str) -> list[Element]:
        return sorted((e for e in self.elements.values() if e.family == family), key=lambda e: e.full_name)

    @property
    def models(self) -> list[ModelElement]:
        return [e for e in self.of_family("models") if isinstance(e, ModelElement)]

    @property
    def services(self) -> list[ServiceElement]:
        return [e for e in self.of_family("services") if isinstance(e, ServiceElement)]

    @property
    def events(self) -> list[EventElement]:
        return [e for e in self.of_family("events") if isinstance(e, EventElement)]

    @property
    def workflows(self) -> list[WorkflowElement]:
        return [e for e in self.of_family("workflows") if isinstance(e, WorkflowElement)]

    @property
    def agents(self) -> list[AgentElement]:
        return [e for e in self.of_family("aiagents") if isinstance(e, AgentElement)]

    @property
    def assistants(self) -> list[AssistantElement]:
        return [e for e in self.of_family("aiassistants") if isinstance(e, AssistantElement)]

    def tree(self) -> list[tuple[str, str, list]]:
        """(key, title, children) per family; events are grouped by kind. Children are elements or groups."""
        nodes = []
        for family in FAMILIES:
            members = self.of_family(family)
            if family == "events":
                groups = []
                for kind, title in EVENT_KIND_TITLES.items():
                    groups.append((f"events:{kind}", title, [e for e in members if e.kind == kind]))
                other = [e for e in members if not e.kind]
                if other:
                    groups.append(("events:other", "Other events", other))
                nodes.append((family, FAMILY_TITLES[family], groups))
            else:
                nodes.append((family, FAMILY_TITLES[family], members))
        others = sorted({e.family for e in self.elements.values()} - set(FAMILIES))
        for family in others:
            nodes.append((family, family.capitalize(), self.of_family(family)))
        return nodes

    def events_of(self, sender: str) -> list[EventElement]:
        return [e for e in self.events if getattr(e.event_spec, "sender", None) == sender or getattr(e.event_spec, "model", None) == sender]

    def service_function(self, path: str) -> tuple[ServiceElement | None, FunctionSpec | None, MethodInfo | None]:
        """`services.Svc.fn` → the service, its functionList entry and its method (each None when absent)."""
        owner, _, fn = path.rpartition(".")
        service = self.elements.get(owner)
        if not isinstance(service, ServiceElement):
            return None, None, None
        return service, service.functions.get(fn), service.methods.get(fn)

    def function_catalog(self) -> dict[str, FunctionSpec]:
        """Every declared function by its full path, e.g. `services.OrderSvc.payOrder`."""
        catalog = {}
        for element in self.elements.values():
            spec = element.spec
            for fn in getattr(spec, "functionList", None) or []:
                catalog[f"{element.full_name}.{fn.name}"] = fn
        return catalog

    def reload(self) -> "Project":
        from .loader import load_project

        return load_project(self.root)
