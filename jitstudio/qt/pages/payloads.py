"""Sample payloads a test run starts from, shaped like what the runtime passes to each kind of event."""
from __future__ import annotations

from ...project import EventElement, ModelElement, Project


def _empty_row(project: Project, model_name: str | None) -> dict:
    model = project.get(model_name or "")
    return {f: None for f in model.field_names} if isinstance(model, ModelElement) else {}


def sample_payload(project: Project, event: EventElement) -> dict | list:
    """Model events take {model, optType, prevData, postData}; custom events {args, kwargs}; assistant events
    the list of positional arguments; approval and agent events their eventOutData."""
    spec = event.event_spec
    data = event.ejson.doc.data if event.ejson.doc and isinstance(event.ejson.doc.data, dict) else {}
    kind = event.kind
    if kind == "model":
        row = _empty_row(project, data.get("sender"))
        operate = data.get("operate", "")
        return {"model": data.get("sender"), "optType": operate,
                "prevData": {} if operate.startswith("Add") else dict(row),
                "postData": {} if operate.startswith("Delete") else dict(row)}
    if kind == "workflow":
        payload = {"row": _empty_row(project, data.get("model"))}
        operate = data.get("operate")
        if operate == "Process":
            payload["status"] = "Pass"
        elif operate == "NodeChange":
            payload["triggerNode"] = (data.get("triggerNode") or ["after.StartNode"])[0]
        else:
            handle = data.get("handleType") or ["agree"]
            payload["handleType"] = handle if isinstance(handle, str) else handle[0]
            payload["handleNode"] = data.get("handleNode")
        return payload
    if kind == "normal":
        return {"args": [{}], "kwargs": {}}
    if kind == "assistant":
        operate = data.get("operate", "")
        if operate == "beforeRun":
            return ["What is the status of order 1?"]
        node_id = getattr(spec, "node_id", None)
        assistant = project.get(data.get("sender", ""))
        node = assistant.config_spec.nodes.get(node_id) if node_id and assistant is not None and getattr(assistant, "config_spec", None) else None
        if node is not None:
            outputs = node.events.arrivalOutputArgs if operate.endswith("beforeNodeRun") else node.events.afterRunOutputArgs
            return [None for _ in outputs]
        return []
    if kind == "agent":
        agent = project.get(data.get("sender", ""))
        tool_name = ""
        config = getattr(agent, "config_spec", None)
        for tool in config.tools if config else []:
            for fn in tool.enableFunctionList:
                tool_name = tool_name or f"{tool.name}.{fn}"
        stage = data.get("stage", "preEvent")
        return {"toolName": tool_name, "stage": stage, "args": {} if stage == "preEvent" else ""}
    return {}


def row_payload(project: Project, event: EventElement, row: dict) -> dict | list:
    """The Test run payload of `event` made from a stored row: a model event gets it as prevData (and, for an
    update, an editable copy as postData); an approval event as its row. Other kinds keep their sample."""
    payload = sample_payload(project, event)
    if not isinstance(payload, dict):
        return payload
    if event.kind == "model":
        operate = str(payload.get("optType") or "")
        payload["prevData"] = {} if operate.startswith("Add") else dict(row)
        payload["postData"] = {} if operate.startswith("Delete") else dict(row)
    elif event.kind == "workflow":
        payload["row"] = dict(row)
    return payload
