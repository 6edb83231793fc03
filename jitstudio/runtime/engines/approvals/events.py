"""Which `events.WorkflowType` elements an approval step fires, and the payload they receive."""
from __future__ import annotations

from typing import Any

from ....project import EventElement
from ..host import enabled_events
from ...values import JitDict, wrap
from .graph import START_ALIAS, WorkflowGraph

HANDLE_ALIASES = {"transfer": "transmit"}


def _handle_type(name: str) -> str:
    return HANDLE_ALIASES.get(name, name)


def _trigger_names(graph: WorkflowGraph, entries: list[str]) -> set[str]:
    """triggerNode entries normalised: the start node's id means StartNode; a bare node id means `before.<id>`."""
    names = set()
    for entry in entries:
        when, dot, node = entry.partition(".")
        if not dot:
            when, node = "before", entry
        if node == graph.start_id:
            node = START_ALIAS
        names.add(f"{when}.{node}")
    return names


def matches(event: EventElement, graph: WorkflowGraph, model: str, operate: str, *, trigger_node: str | None = None,
            handle_node: str | None = None, handle_type: str | None = None) -> bool:
    spec = event.event_spec
    if spec.model != model or spec.operate != operate:
        return False
    if spec.workflow and spec.workflow != graph.full_name:
        return False
    if operate == "NodeChange" and spec.triggerNode:
        return trigger_node in _trigger_names(graph, spec.triggerNode)
    if operate == "NodeHandled":
        if spec.handleNode and spec.handleNode not in (handle_node, START_ALIAS if handle_node == graph.start_id else None):
            return False
        wanted = [spec.handleType] if isinstance(spec.handleType, str) else list(spec.handleType or [])
        if wanted and _handle_type(handle_type or "") not in {_handle_type(w) for w in wanted}:
            return False
    return True


def workflow_events(host, graph: WorkflowGraph, model: str, operate: str, **what: Any) -> list[EventElement]:
    return [e for e in enabled_events(host.project, "events.WorkflowType") if matches(e, graph, model, operate, **what)]


def payload(row: Any, status: str, *, workflow: str, instance_id: Any, user: str, trigger_node: str | None = None,
            handle_node: str | None = None, handle_type: str | None = None, comment: str | None = None) -> JitDict:
    """eventOutData: row (the record's RowData), status, and triggerNode or handleType with the handled node."""
    items: dict[str, Any] = {"row": row, "status": wrap(status, "Stext"), "workflow": wrap(workflow, "Stext"),
                             "instanceId": wrap(instance_id, "Numeric"), "user": wrap(user, "Stext")}
    if trigger_node is not None:
        items["triggerNode"] = wrap(trigger_node, "Stext")
    if handle_type is not None:
        items["handleType"] = wrap(handle_type, "Stext")
        items["handleNode"] = wrap(handle_node, "Stext")
        items["NodeHandled"] = wrap(handle_node, "Stext")
        items["comment"] = wrap(comment or "", "Ltext")
    return JitDict(items)
