"""Rules an element must follow beyond its schema.

The IDE's forms ask them and refuse to write what breaks any of them; the operations refuse the same input; and
`jitstudio check` reports a file that breaks one, located, at the rule's severity (a warning when the app still
runs as written, e.g. a Before event made async runs after the write instead of inside it).
"""
from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from . import qfilter
from .elements import ModelElement
from .problems import Severity
from .pysource import DATATYPES, NOT_FIELD_TYPES, RESERVED_FIELD_NAMES
from .templates import STANDARD_FIELDS

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
STANDARD_FIELD_NAMES = tuple(f["name"] for f in STANDARD_FIELDS)


@dataclass(frozen=True)
class Finding:
    """One broken rule: the member of the file it is about (a JSON pointer), what is wrong, how bad, and the form
    row that holds the member."""

    pointer: str
    message: str
    severity: Severity = "error"
    label: str = ""

    def for_form(self) -> str:
        """The message as a form shows it: after its row's label, or as a sentence of its own."""
        return f"{self.label}: {self.message}" if self.label else self.message[:1].upper() + self.message[1:]


# -- names


def identifier_problem(what: str, name: Any, of: str = "") -> str | None:
    """Why `name` cannot be a Python identifier (of a field, function, parameter, event), or None."""
    named = f"{what} '{name}'" + (f" of {of}" if of else "")
    if not isinstance(name, str) or not _IDENT.match(name):
        return f"{named} is not a valid name: use letters, digits and _, not starting with a digit"
    if keyword.iskeyword(name):
        return f"{named} is a Python keyword"
    return None


def check_name(root: Path, family: str, name: str) -> str | None:
    """Why `name` cannot be a new element of `family`, or None when it can."""
    if not name:
        return "give a name"
    if not _IDENT.match(name):
        return f"'{name}' is not a valid name: use letters, digits and _, not starting with a digit"
    if keyword.iskeyword(name):
        return f"'{name}' is a Python keyword"
    if (Path(root) / family / name).exists():
        return f"{family}.{name} already exists"
    return None


# -- events


def async_problem(kind: str, operate: Any) -> str | None:
    """Why an event of this kind and operate cannot run asynchronously, or None when it can."""
    if kind == "model" and isinstance(operate, str) and operate.endswith("Before"):
        return (f"an async {operate} handler runs after the write is committed, so it cannot fill fields or stop "
                "the write; a Before event cannot be asynchronous")
    return None


def event_findings(kind: str, data: Mapping[str, Any]) -> list[Finding]:
    """The rules on one event's e.json members that need no other element."""
    found = []
    if "title" in data and not str(data["title"] or "").strip():
        found.append(Finding("/title", "give the event a title", "warning", "Title"))
    problem = async_problem(kind, data.get("operate")) if data.get("asyncType") is True else None
    if problem:
        found.append(Finding("/asyncType", problem, "warning"))
    if kind == "workflow":
        found += _workflow_event_findings(data)
    if kind == "agent" and data.get("blocking") is True:
        if data.get("stage") != "preEvent":
            found.append(Finding("/blocking", "only a preEvent handler can veto a tool call; blocking has no effect "
                                 f"on a {data.get('stage') or 'handler without a stage'}", "warning"))
        elif data.get("asyncType") is True:
            found.append(Finding("/blocking", "an async preEvent handler runs after the tool was called, so it cannot "
                                 "veto it; make it synchronous or drop blocking", "warning"))
    return found


def _workflow_event_findings(data: Mapping[str, Any]) -> list[Finding]:
    def at(key: str) -> str:
        return f"/{key}" if key in data else "/operate"

    operate = data.get("operate")
    found = []
    if operate == "NodeChange" and not data.get("triggerNode"):
        found.append(Finding(at("triggerNode"), "pick at least one transition; a NodeChange event without triggerNode "
                             "fires on every node change", "warning", "Trigger nodes"))
    if operate == "NodeHandled" and not data.get("handleNode"):
        found.append(Finding(at("handleNode"), "pick the node; a NodeHandled event without handleNode fires after "
                             "an action on any node", "warning", "Handled node"))
    if operate == "NodeHandled" and not data.get("handleType"):
        found.append(Finding(at("handleType"), "pick at least one action; a NodeHandled event without handleType "
                             "fires after every action", "warning", "Handle types"))
    return found


def filter_problems(text: str | None, fields: list[str] | None) -> list[tuple[str, int]]:
    """(message, offset in the text) per problem of a Q filter; `fields` are the model's, or None when unknown."""
    if not text:
        return []
    try:
        tree = qfilter.parse(text)
    except qfilter.QSyntaxError as exc:
        return [(f"filter: {exc.message}", exc.offset)]
    return [(f"filter: {issue.message}", issue.offset) for issue in qfilter.check(tree, fields)]


# -- models, services, workflows


def model_field_findings(fields: list[Mapping[str, Any]]) -> list[Finding]:
    """The fields a new model is given (id, createdAt and updatedAt are added to every model)."""
    found, seen = [], set()
    for f in fields:
        name, datatype = f.get("name"), f.get("datatype")
        if not name:
            reason = "every field needs a name"
        elif name in STANDARD_FIELD_NAMES:
            reason = f"field name '{name}' is reserved (added for you)"
        else:
            reason = identifier_problem("field name", name)
        if reason is None and name in RESERVED_FIELD_NAMES:
            reason = f"field name '{name}' is reserved"
        if reason is None and name in seen:
            reason = f"field '{name}' appears twice"
        if reason is None and datatype not in DATATYPES:
            reason = f"field '{name}' has unknown datatype '{datatype}'"
        if reason is None and datatype in NOT_FIELD_TYPES:
            reason = f"field '{name}': {datatype} cannot be a model field"
        if reason:
            found.append(Finding("", reason, label="Fields"))
        seen.add(name)
    return found


def service_findings(functions: list[Mapping[str, Any]], event_descs: list[Mapping[str, Any]]) -> list[Finding]:
    """Rules on a service's functionList and eventDescs: names that can be methods and events, each once."""
    found, names = [], set()
    for index, fn in enumerate(functions):
        name = _get(fn, "name")
        pointer = f"/functionList/{index}/name"
        reason = identifier_problem("function name", name)
        if reason is None and name in names:
            reason = f"function '{name}' appears twice"
        for arg_index, arg in enumerate((_get(fn, "args") or []) if reason is None else []):
            reason = identifier_problem("parameter", _get(arg, "name"), of=name)
            if reason:
                pointer = f"/functionList/{index}/args/{arg_index}/name"
                break
        if reason:
            found.append(Finding(pointer, reason, label="Functions"))
        names.add(name)
    events = set()
    for index, desc in enumerate(event_descs):
        name = _get(desc, "name")
        reason = identifier_problem("event name", name)
        if reason is None and name in events:
            reason = f"event '{name}' is declared twice"
        if reason:
            found.append(Finding(f"/eventDescs/{index}/name", reason, label="Declared events"))
        events.add(name)
    return found


def workflow_findings(data_model: str | None) -> list[Finding]:
    if not data_model:
        return [Finding("/dataModel", "create a model first; a workflow approves a model's rows", label="Data model")]
    return []


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)


# -- what an event form holds


@dataclass
class AgentToolSwitch:
    """The tool function whose calls an agent event watches: `tools[tool].enableFunctionList[function][stage]` in
    the agent's config.json, written as {"withData": with_data}. `also` are further functions of that tool switched
    on alike; `switched_off` are functions of it whose switch for the stage is removed."""

    tool: int
    function: str | None
    with_data: bool = True
    also: tuple[str, ...] = ()
    switched_off: tuple[str, ...] = ()


@dataclass
class EventDraft:
    """An event as a form holds it before it is written.

    `keys` are the kind's trigger members as e.json holds them (sender, operate, fields, filter…; None for a choice
    the form had nothing to offer for). `some_fields` says a model event is limited to chosen fields, which an
    empty `fields` cannot tell from "all fields". `name` is a new event's name; None for an existing event."""

    kind: str
    keys: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    inner: bool = True
    func: str | None = None
    is_async: bool = False
    name: str | None = None
    some_fields: bool = False
    tool: AgentToolSwitch | None = None

    def members(self) -> dict[str, Any]:
        """The e.json members the draft stands for (type and enable left out)."""
        data = {"title": self.title.strip() or (self.name or "")}
        data.update({k: v for k, v in self.keys.items() if v is not None})
        data["funcType"] = "Inner" if self.inner else "Global"
        if not self.inner:
            data["func"] = self.func
        data["asyncType"] = self.is_async
        return data


def event_draft_problems(project, draft: EventDraft) -> list[str]:
    """Everything that stops the draft from being written, worded for the form; empty when it can be written."""
    found = []
    if draft.name is not None:
        reason = check_name(project.root, "events", draft.name)
        if reason:
            found.append("Event name: " + reason)
    trigger = _TRIGGER_RULES.get(draft.kind, lambda _p, _d: [])(project, draft)
    found += trigger
    if not draft.inner and not draft.func:
        found.append("choose the service function that handles the event")
    if not trigger:
        # a new event's title defaults to its name, which has its own rule
        found += [f.for_form() for f in event_findings(draft.kind, draft.members())
                  if draft.name is None or f.pointer != "/title"]
    return found


def _model_trigger(project, draft: EventDraft) -> list[str]:
    if not project.models:
        return ["There is no model to subscribe to: create a model first (+ → Model)."]
    found = []
    if draft.some_fields and not draft.keys.get("fields"):
        found.append("Trigger fields: pick at least one field, or choose All fields.")
    model = project.get(draft.keys.get("sender") or "")
    fields = model.field_names if isinstance(model, ModelElement) and model.source.class_name else None
    found += [f"Filter conditions: {message}" for message, _ in filter_problems(draft.keys.get("filter"), fields)]
    return found


def _workflow_trigger(project, draft: EventDraft) -> list[str]:
    if not project.workflows:
        return ["There is no approval workflow to subscribe to: create one first (+ → Approval workflow)."]
    keys = draft.keys
    if keys.get("operate") == "NodeHandled":
        workflow = project.get(keys.get("workflow") or "") or next(
            (w for w in project.workflows if w.spec and w.spec.dataModel == keys.get("model")), None)
        config = getattr(workflow, "config_spec", None)
        if config is not None and not any(n.type in (0, 1) for n in config.nodeList):
            return ["Handled node: the workflow has no node people act on."]
    return []


def _normal_trigger(project, draft: EventDraft) -> list[str]:
    if not any(s.spec and s.spec.eventDescs for s in project.services):
        return ["No service declares an event to subscribe to: add one to a service's eventDescs first."]
    return []


def _assistant_trigger(project, draft: EventDraft) -> list[str]:
    if not project.assistants:
        return ["There is no AI assistant to subscribe to: create one first (+ → AI assistant)."]
    if not draft.keys.get("operate"):
        return ["Node: this assistant has no node that fires events (AI agent, function, if-else, iteration or human action)."]
    return []


def _agent_trigger(project, draft: EventDraft) -> list[str]:
    if not project.agents:
        return ["There is no AI agent to subscribe to: create one first (+ → AI agent)."]
    config = getattr(project.get(draft.keys.get("sender") or ""), "config_spec", None)
    if config is None or not config.tools:
        return ["Tool: this agent has no tools; add one to its config.json first."]
    if draft.tool is None or not draft.tool.function:
        return ["Tool function: the tool declares no function in its functionList."]
    if not 0 <= draft.tool.tool < len(config.tools):
        return [f"Tool: the agent has no tool number {draft.tool.tool + 1}."]
    return []


_TRIGGER_RULES = {
    "model": _model_trigger, "workflow": _workflow_trigger, "normal": _normal_trigger,
    "assistant": _assistant_trigger, "agent": _agent_trigger,
}
