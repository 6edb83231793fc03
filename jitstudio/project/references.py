"""Checks across elements: every sender, handler, model, node and tool an element names must exist."""
from __future__ import annotations

from .elements import (
    AgentElement, AssistantElement, Element, EventElement, ModelElement, ServiceElement, WorkflowElement,
)
from .problems import Problem, allowed_list
from .rules import event_findings, filter_problems, service_findings
from .schemas import EVENTFUL_NODE_TYPES


def check_references(project) -> None:
    found: list[Problem] = []
    for element in project.elements.values():
        checker = _CHECKERS.get(type(element))
        if checker and element.valid:
            checker(project, element, _Reporter(element, found))
    project.reference_problems = found


class _Reporter:
    def __init__(self, element: Element, sink: list[Problem], file=None):
        self.element, self.sink = element, sink
        self.file = file or element.ejson

    def config(self) -> "_Reporter":
        return _Reporter(self.element, self.sink, self.element.config)

    def __call__(self, pointer: str, message: str, severity: str = "error", code: str = "reference", offset: int | None = None):
        doc = self.file.doc
        if doc is None:
            line, col = 1, 1
        elif offset is not None:
            line, col = doc.locate_in_string(pointer, offset)
        else:
            line, col = doc.locate(pointer)
        self.sink.append(Problem(self.element.rel(self.file.path), line, col, message, severity, pointer, code))


def _names(elements) -> str:
    return allowed_list(sorted(e.full_name for e in elements)) or "none exist yet"


def _need(project, report, pointer, full_name, kind, label):
    element = project.get(full_name)
    if not isinstance(element, kind):
        choices = [e for e in project.elements.values() if isinstance(e, kind)]
        report(pointer, f"{label} '{full_name}' does not exist; known: {_names(choices)}")
        return None
    return element


def _check_handler(project, event: EventElement, report) -> None:
    spec = event.event_spec
    if spec.is_inner:
        inner = event.inner
        if inner is None:
            report("/funcType", "the handler is the inner function, but inner.py is missing; it must define customFunc")
        elif not inner.issues and "customFunc" not in inner.functions:
            report("/funcType", "inner.py must define a function named customFunc")
        return
    service, declared, method = project.service_function(spec.func)
    if service is not None and not service.valid:
        return
    if service is None:
        owner = spec.func.rpartition(".")[0]
        report("/func", f"func '{spec.func}': service '{owner}' does not exist; known: {_names(project.services)}")
    elif method is None and not service.source.issues:
        known = allowed_list(sorted(m for m in service.methods if not m.startswith("_"))) or "none"
        report("/func", f"func '{spec.func}': {service.full_name} has no function '{spec.func.rpartition('.')[2]}'; it has {known}")
    elif declared is None and method is not None:
        report("/func", f"func '{spec.func}' is not in {service.full_name}'s functionList", "warning")


def _check_filter(report, pointer: str, text: str | None, fields: list[str] | None) -> None:
    for message, offset in filter_problems(text, fields):
        report(pointer, message, code="filter", offset=offset)


def _model_event(project, event: EventElement, report) -> None:
    spec = event.event_spec
    model = _need(project, report, "/sender", spec.sender, ModelElement, "sender model")
    if model is not None and model.source.class_name is not None:
        names = model.field_names
        for index, name in enumerate(spec.fields):
            if name not in names:
                report(f"/fields/{index}", f"field '{name}' is not a field of {model.full_name}; it has {allowed_list(names)}")
        _check_filter(report, "/filter", spec.filter, names)
    elif model is not None:
        _check_filter(report, "/filter", spec.filter, None)
    _check_handler(project, event, report)


def _workflow_event(project, event: EventElement, report) -> None:
    spec = event.event_spec
    _need(project, report, "/model", spec.model, ModelElement, "model")
    workflows = [w for w in project.workflows if w.spec and (w.spec.dataModel == spec.model or w.full_name == spec.workflow)]
    if spec.workflow:
        _need(project, report, "/workflow", spec.workflow, WorkflowElement, "workflow")
    elif not workflows and project.get(spec.model) is not None:
        report("/model", f"no approval workflow is bound to {spec.model}", "warning")
    nodes = {n for w in workflows for n in w.node_ids}
    if nodes:
        for index, trigger in enumerate(spec.triggerNode):
            node = trigger.split(".", 1)[1] if trigger.startswith(("before.", "after.")) else trigger
            if node not in nodes and node != "StartNode":
                report(f"/triggerNode/{index}", f"triggerNode '{trigger}' names no node; nodes are {allowed_list(sorted(nodes))}")
        if spec.handleNode and spec.handleNode not in nodes:
            report("/handleNode", f"handleNode '{spec.handleNode}' names no node; nodes are {allowed_list(sorted(nodes))}")
    _check_handler(project, event, report)


def _normal_event(project, event: EventElement, report) -> None:
    spec = event.event_spec
    owner, _, name = spec.sender.rpartition(".")
    service = project.get(owner)
    if not isinstance(service, ServiceElement):
        report("/sender", f"sender '{spec.sender}': service '{owner}' does not exist; known: {_names(project.services)}")
    elif service.valid and name not in service.event_names:
        declared = allowed_list(service.event_names) or "none"
        report("/sender", f"sender '{spec.sender}': {owner} declares no event '{name}' in eventDescs; it declares {declared}")
    _check_handler(project, event, report)


def _assistant_event(project, event: EventElement, report) -> None:
    spec = event.event_spec
    assistant = _need(project, report, "/sender", spec.sender, AssistantElement, "sender assistant")
    node_id = spec.node_id
    if assistant is not None and assistant.config_spec and node_id:
        node = assistant.config_spec.nodes.get(node_id)
        if node is None:
            report("/operate", f"operate '{spec.operate}': {assistant.full_name} has no node '{node_id}'; nodes are {allowed_list(assistant.node_ids)}")
        elif node.type not in EVENTFUL_NODE_TYPES and not spec.operate.endswith(("approved", "rejected", "replied", "edited")):
            report("/operate", f"node '{node_id}' is a {node.type} node; node events fire only on {allowed_list(EVENTFUL_NODE_TYPES)} nodes")
        elif not node.events.backend and spec.operate.endswith(("beforeNodeRun", "afterNodeRun")):
            report("/operate", f"node '{node_id}' does not trigger backend events; switch them on in {assistant.full_name}", "warning")
    _check_handler(project, event, report)


def _agent_event(project, event: EventElement, report) -> None:
    spec = event.event_spec
    agent = _need(project, report, "/sender", spec.sender, AgentElement, "sender agent")
    if agent is not None and agent.config_spec:
        stages = [getattr(cfg, spec.stage) for tool in agent.config_spec.tools for cfg in tool.enableFunctionList.values()]
        if not any(stages):
            report("/stage", f"no tool of {agent.full_name} has {spec.stage} switched on, so this event never fires", "warning")
    _check_handler(project, event, report)


def _event(project, event: EventElement, report) -> None:
    {
        "model": _model_event, "workflow": _workflow_event, "normal": _normal_event,
        "assistant": _assistant_event, "agent": _agent_event,
    }[event.kind](project, event, report)
    for finding in event_findings(event.kind, event.ejson.doc.data):
        report(finding.pointer, finding.message, finding.severity, code="rule")


def _service(project, service: ServiceElement, report) -> None:
    for finding in service_findings(service.spec.functionList, service.spec.eventDescs):
        report(finding.pointer, finding.message, finding.severity, code="rule")
    if service.source.issues or service.source.class_name is None:
        return
    for index, fn in enumerate(service.spec.functionList):
        if fn.name not in service.methods:
            report(f"/functionList/{index}/name", f"function '{fn.name}' is in functionList but {service.source.class_name} has no method '{fn.name}'")


def _model(project, model: ModelElement, report) -> None:
    seen = set()
    for f in model.fields:
        if f.name in seen:
            report.sink.append(Problem(model.rel(model.directory / "model.py"), f.line, f.col, f"field '{f.name}' is declared twice", code="model"))
        seen.add(f.name)


def _workflow(project, workflow: WorkflowElement, report) -> None:
    _need(project, report, "/dataModel", workflow.spec.dataModel, ModelElement, "dataModel")
    config = workflow.config_spec
    if config is None:
        return
    on_config = report.config()
    for code, label in ((0, "start"), (7, "end")):
        count = sum(1 for n in config.nodeList if n.type == code)
        if count != 1:
            on_config("/nodeList", f"a workflow needs exactly one {label} node (type {code}); found {count}")
    nodes = set(workflow.node_ids)
    for index, link in enumerate(config.linkList):
        for end, name in (("from", link.from_), ("to", link.to)):
            if name not in nodes:
                on_config(f"/linkList/{index}/{end}", f"link {end} '{name}' names no node; nodes are {allowed_list(sorted(nodes))}")
        model = project.get(workflow.spec.dataModel)
        known = model.field_names if isinstance(model, ModelElement) and model.source.class_name else None
        _check_filter(on_config, f"/linkList/{index}/condition", link.condition, known)


def _agent(project, agent: AgentElement, report) -> None:
    config = agent.config_spec
    if config is None:
        return
    on_config = report.config()
    for index, tool in enumerate(config.tools):
        owner = project.get(tool.name)
        if owner is None:
            on_config(f"/tools/{index}/name", f"tool '{tool.name}' does not exist")
            continue
        if not owner.valid:
            continue
        functions = [f.name for f in (getattr(owner.spec, "functionList", None) or [])]
        if tool.type == "model":
            continue
        for fn in tool.enableFunctionList:
            if fn not in functions:
                on_config(f"/tools/{index}/enableFunctionList/{fn}", f"{tool.name} has no function '{fn}' in its functionList; it has {allowed_list(functions) or 'none'}")


def _assistant(project, assistant: AssistantElement, report) -> None:
    config = assistant.config_spec
    if config is None:
        return
    on_config = report.config()
    starts = [n for n in config.nodes.values() if n.type == "start"]
    if len(starts) != 1:
        on_config("/nodes", f"an assistant needs exactly one start node; found {len(starts)}")
    for node_id, node in config.nodes.items():
        if node.id != node_id:
            on_config(f"/nodes/{node_id}/id", f"node id '{node.id}' differs from its key '{node_id}'")
        if node.type == "aiagent":
            if not node.agent:
                on_config(f"/nodes/{node_id}", f"aiagent node '{node_id}' names no agent")
            else:
                _need(project, on_config, f"/nodes/{node_id}/agent", node.agent, AgentElement, "agent")
        if node.type == "function" and node.function:
            service, declared, method = project.service_function(node.function)
            if service is None or (method is None and declared is None):
                on_config(f"/nodes/{node_id}/function", f"function '{node.function}' does not exist")
    for index, edge in enumerate(config.edges):
        for end in ("sourceNode", "targetNode"):
            name = getattr(edge, end)
            if name not in config.nodes:
                on_config(f"/edges/{index}/{end}", f"{end} '{name}' names no node; nodes are {allowed_list(list(config.nodes))}")


_CHECKERS = {
    EventElement: _event,
    ServiceElement: _service,
    ModelElement: _model,
    WorkflowElement: _workflow,
    AgentElement: _agent,
    AssistantElement: _assistant,
}


# -- who subscribes to an element


def workflow_model(workflow: WorkflowElement) -> str:
    """The model whose rows the workflow approves: config.json's modelName, else e.json's dataModel."""
    config = workflow.config_spec
    return (config.modelName if config else None) or (workflow.spec.dataModel if workflow.spec else "") or ""


def subscribers(project, element: Element) -> list[EventElement]:
    """The events that fire on what `element` does: those whose sender is it (a model, an agent, an assistant) or
    one of its declared events (a service), the approval events on a model's rows, and for a workflow the approval
    events bound to it: those naming it, and those naming the model it approves without naming a workflow, as the
    runtime fires them."""
    name = element.full_name
    found = []
    for event in project.events:
        data = event.ejson.doc.data if event.ejson.doc and isinstance(event.ejson.doc.data, dict) else {}
        sender = str(data.get("sender") or data.get("model") or "")
        if sender == name or sender.startswith(name + "."):
            found.append(event)
        elif isinstance(element, WorkflowElement) and event.kind == "workflow":
            named = data.get("workflow")
            if named == name or (not named and data.get("model") and data.get("model") == workflow_model(element)):
                found.append(event)
    return found
