"""What the graph inspector's pickers offer, read once per project: app.json users and roles, the workflow's
model fields, functions, agents, and the events subscribed to the element. Plain data, no widgets."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...project import AssistantElement, ModelElement, Project, WorkflowElement
from ...project.graph import ASSISTANT, WORKFLOW, read_graph
from ...project.jsondoc import pointer_of
from ...project.graph_checks import node_events as graph_node_events
from ...project.references import workflow_model

# What each assistant node type leaves for later nodes to read as `<nodeId>.<output>` (runtime/engines/ai/assistant.py).
NODE_OUTPUTS = {"function": ["result"], "ifelse": ["branch"], "iteration": ["results", "count", "index", "item"]}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    params: tuple[str, ...] = ()


@dataclass
class InspectorContext:
    kind: str = WORKFLOW
    element_name: str = ""
    users: list[Choice] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    model_fields: list[str] = field(default_factory=list)
    functions: list[Choice] = field(default_factory=list)
    agents: list[Choice] = field(default_factory=list)
    start_outputs: list[str] = field(default_factory=list)
    events: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # node id → (fullName, title) of its events

    def function(self, path: str | None) -> Choice | None:
        return next((f for f in self.functions if f.value == path), None)

    def agent(self, name: str | None) -> Choice | None:
        return next((a for a in self.agents if a.value == name), None)


def read_context(project: Project, element: WorkflowElement | AssistantElement) -> InspectorContext:
    context = InspectorContext(ASSISTANT if isinstance(element, AssistantElement) else WORKFLOW, element.full_name)
    for user in (project.app.users if project.app else []):
        context.users.append(Choice(user.name, f"{user.title} ({user.name})" if user.title else user.name))
        context.roles.extend(r for r in user.roles if r not in context.roles)
    if isinstance(element, WorkflowElement):
        model = project.get(workflow_model(element))
        context.model_fields = model.field_names if isinstance(model, ModelElement) else []
    for path, spec in sorted(project.function_catalog().items()):
        if path.startswith(("services.", "models.")):
            label = f"{path} — {spec.title}" if spec.title and spec.title != spec.name else path
            context.functions.append(Choice(path, label, tuple(a.name for a in spec.args)))
    for agent in project.agents:
        outputs = tuple(a.name for a in agent.spec.outputArgs) if agent.spec else ()
        context.agents.append(Choice(agent.full_name, f"{agent.title} ({agent.full_name})", outputs or ("answer",)))
    if isinstance(element, AssistantElement) and element.spec:
        context.start_outputs = [a.name for a in element.spec.inputArgs]
    config = element.config.doc.data if element.config and element.config.doc else None
    for node_id, events in graph_node_events(project, element, read_graph(context.kind, config)).items():
        context.events[node_id] = [(event.full_name, event.title) for event in events]
    return context


def node_events(context: InspectorContext, node_id: str) -> list[tuple[str, str]]:
    """(fullName, title) of the events that fire on this node (`graph_checks.node_events`, which the canvas's
    badges show too)."""
    return context.events.get(node_id, [])


def upstream_expressions(context: InspectorContext, config: Any, node_id: str,
                         include_self: bool = False) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per node that runs before `node_id` (nearest first): the `<nodeId>.<output>` expressions it leaves."""
    graph = read_graph(ASSISTANT, config)
    order, seen = [], {node_id} if not include_self else set()
    frontier = [node_id]
    if include_self:
        order.append(node_id)
    while frontier:
        current = frontier.pop(0)
        for link in graph.in_links(current):
            if link.source not in seen and link.source != node_id:
                seen.add(link.source)
                order.append(link.source)
                frontier.append(link.source)
    nodes: dict[str, Any] = config["nodes"] if isinstance(config, dict) and isinstance(config.get("nodes"), dict) else {}
    sections = []
    for upstream in order:
        outputs = _outputs_of(context, nodes.get(upstream) or {})
        if outputs:
            sections.append((graph.nodes[upstream].title or upstream, [(o, f"{upstream}.{o}") for o in outputs]))
    return sections


def _outputs_of(context: InspectorContext, node: dict[str, Any]) -> list[str]:
    node_type = node.get("type")
    if node_type == "start":
        declared = [str(a.get("name")) for a in node.get("outputArgs") or [] if isinstance(a, dict) and a.get("name")]
        return list(dict.fromkeys(["userInput", *context.start_outputs, *declared]))
    if node_type == "aiagent":
        agent = context.agent(node.get("agent"))
        return [*(agent.params if agent else ("answer",)), "toolCalls"]
    return list(NODE_OUTPUTS.get(str(node_type), []))


def input_names(context: InspectorContext, node: dict[str, Any]) -> list[str]:
    """The names a node reads from its incoming edges' argMapping."""
    declared = [str(a.get("name")) for a in node.get("inputArgs") or [] if isinstance(a, dict) and a.get("name")]
    if node.get("type") == "function":
        function = context.function(node.get("function"))
        declared += list(function.params if function else ())
    elif node.get("type") == "aiagent":
        declared.insert(0, "input_data")
    elif node.get("type") == "iteration":
        declared.append("items")
    return list(dict.fromkeys(declared))


def anchored(config: Any, pointer: str, value: Any) -> tuple[str, Any]:
    """(pointer, value) to set so that every object on the way exists: a member under a missing parent becomes
    the nearest missing parent, holding the member (`/nodeConfig/x/approvers` → `/nodeConfig/x` {approvers})."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]
    node = config
    for depth, token in enumerate(tokens[:-1]):
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
            continue
        child = node.get(token) if isinstance(node, dict) else None
        if not isinstance(child, (dict, list)):
            for name in reversed(tokens[depth + 1:]):
                value = {name: value}
            return pointer_of(tokens[: depth + 1]), value
        node = child
    return pointer, value



def lookup(config: Any, pointer: str) -> tuple[bool, Any]:
    """(found, value) at an RFC 6901 pointer of parsed JSON."""
    node = config
    for token in [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")] if pointer else []:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node
