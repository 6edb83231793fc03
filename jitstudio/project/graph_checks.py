"""What the graph editors draw on nodes and links besides the graph: warnings about the drawing itself, the
problems `jitstudio check` found in config.json, and the events that subscribe to each node."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .elements import Element, EventElement
from .graph import CHOOSING_TYPES, WORKFLOW, Graph, target_of_pointer
from .references import subscribers

Target = tuple[str, "str | int"]  # ("node", id) or ("link", index)


@dataclass(frozen=True)
class Mark:
    target: Target
    message: str
    severity: str  # "error" | "warning"
    line: int = 0
    col: int = 0


def drawing_warnings(graph: Graph, data: Any) -> list[Mark]:
    """Unreachable nodes, a branch or if/else without an else link, an approval node nobody approves, a node
    other than the end that leads nowhere."""
    marks: list[Mark] = []
    starts = graph.start_ids()
    reached = set(starts)
    frontier = list(reached)
    while frontier:
        for link in graph.out_links(frontier.pop()):
            if link.target not in reached:
                reached.add(link.target)
                frontier.append(link.target)
    for node in graph.nodes.values():
        target: Target = ("node", node.id)
        if starts and node.id not in reached:
            marks.append(Mark(target, "no path from the start node reaches it", "warning"))
        out = graph.out_links(node.id)
        if node.type in CHOOSING_TYPES and out and not any(link.is_else for link in out):
            marks.append(Mark(target, "no else link: when no condition holds, the run has nowhere to go", "warning"))
        if node.type != "end" and not out:
            marks.append(Mark(target, "no link leads out of it", "warning"))
        if graph.kind == WORKFLOW and node.type == "approval" and not _approvers(data, node.id):
            marks.append(Mark(target, "no approvers: pick users or roles in the inspector", "warning"))
    return marks


def _approvers(data: Any, node: str) -> bool:
    config = (data.get("nodeConfig") or {}).get(node) if isinstance(data, dict) else None
    approvers = config.get("approvers") if isinstance(config, dict) else None
    return isinstance(approvers, dict) and any(approvers.get(k) for k in ("users", "roles"))


def problem_marks(graph: Graph, data: Any, problems: list, config_path: str) -> list[Mark]:
    """The project's problems in config.json that are about one node or link."""
    marks = []
    for problem in problems:
        if problem.path != config_path:
            continue
        target = target_of_pointer(graph, data, problem.pointer)
        if target is not None:
            marks.append(Mark(target, problem.message, problem.severity, problem.line, problem.col))
    return marks


def node_events(project, element: Element, graph: Graph) -> dict[str, list[EventElement]]:
    """Node id → the events that fire at that node: an assistant's `<node>.beforeNodeRun`/`afterNodeRun` events,
    a workflow's approval events whose triggerNode or handleNode names it."""
    found: dict[str, list[EventElement]] = defaultdict(list)
    start = next(iter(graph.start_ids()), None)
    for event in subscribers(project, element):
        spec = event.event_spec
        if graph.kind == WORKFLOW:
            named = {entry.partition(".")[2] or entry for entry in getattr(spec, "triggerNode", None) or []}
            handled = getattr(spec, "handleNode", None)
            if handled:
                named.add(handled)
            for name in named:
                node = start if name == "StartNode" else name
                if node in graph.nodes:
                    found[node].append(event)
        else:
            node = str(getattr(spec, "operate", "")).partition(".")[0]
            if node in graph.nodes and "." in str(getattr(spec, "operate", "")):
                found[node].append(event)
    return dict(found)
