"""Element operations the wizards, pages and the CLI call: create, update, rename, delete, and switch enable or
async.

Every write is atomic and minimal; parameters are validated (the schemas and `rules`) before anything touches the
disk, and an operation that writes several files writes all of them or none.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import UserError
from .elements import AgentElement, Element, EventElement
from ._edits import FileEdits, set_changed_keys
from ._validation import describe_errors
from .files import TextFile, atomic_write_text, write_target
from .jsondoc import JsonDocument, JsonSyntaxError, dumps_new, pointer_of
from .rules import (
    EventDraft, async_problem, check_name, event_draft_problems, event_findings, model_field_findings,
    service_findings, workflow_findings,
)
from .schemas import (
    EVENT_SPECS, AgentConfig, AgentSpec, AssistantConfig, AssistantSpec, ModelSpec, ServiceSpec, WorkflowConfig,
    WorkflowSpec,
)
from .templates import INIT_INNER, STANDARD_FIELDS, inner_py, model_py, service_py

EVENT_KIND_TYPES = {
    "model": "events.ModelType", "workflow": "events.WorkflowType", "normal": "events.NormalType",
    "assistant": "events.AIAssistantType", "agent": "events.AIAgentType",
}


class OperationError(UserError, ValueError):
    """A requested operation cannot be done; the message says why, and nothing was written."""


def _write_new(directory: Path, files: dict[str, str]) -> None:
    """Create an element folder with its files; on any failure no folder is left behind."""
    for name in files:
        write_target(directory / name)  # refuses a folder that a link leads out of the app, before it is made
    directory.mkdir(parents=True)
    try:
        for name, text in files.items():
            atomic_write_text(directory / name, text, TextFile(""))
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


def _validated(spec_cls, data: dict) -> None:
    try:
        spec_cls.model_validate(data)
    except ValidationError as exc:
        raise OperationError("; ".join(message for _, _, message, _ in describe_errors(exc, data))) from None


def _refuse(findings) -> None:
    if findings:
        raise OperationError("; ".join(f.message for f in findings))


def _prepare(root: Path, family: str, name: str) -> Path:
    reason = check_name(root, family, name)
    if reason:
        raise OperationError(reason)
    return Path(root) / family / name


def create_event(root: Path, name: str, kind: str, *, title: str | None = None, inner: bool = True,
                 func: str | None = None, async_: bool = False, **keys: Any) -> str:
    """Create events/<name> of kind model|workflow|normal|assistant|agent; returns its fullName.

    New events start switched off (`"enable": 0`), as the IDE guide says.
    """
    if kind not in EVENT_KIND_TYPES:
        raise OperationError(f"event kind '{kind}' is not one of {', '.join(EVENT_KIND_TYPES)}")
    directory = _prepare(root, "events", name)
    event_type = EVENT_KIND_TYPES[kind]
    data: dict[str, Any] = {"title": title or name, "type": event_type}
    data.update({k: v for k, v in keys.items() if v is not None})
    data["funcType"] = "Inner" if inner else "Global"
    if not inner:
        if not func:
            raise OperationError("choose the service function that handles the event")
        data["func"] = func
    data.update({"asyncType": bool(async_), "enable": 0, "backendBundleEntry": "."})
    _validated(EVENT_SPECS[event_type], data)
    _refuse(event_findings(kind, data))
    files = {"e.json": dumps_new(data)}
    if inner:
        files["inner.py"] = inner_py(kind, data["title"])
        files["__init__.py"] = INIT_INNER
    _write_new(directory, files)
    return f"events.{name}"


def create_model(root: Path, name: str, *, title: str | None = None, fields: list[dict] | None = None) -> str:
    directory = _prepare(root, "models", name)
    data = {"title": title or name, "type": "models.NormalType", "db": "databases.Default", "backendBundleEntry": "."}
    _validated(ModelSpec, data)
    own = [f for f in fields or [] if f.get("name") not in {s["name"] for s in STANDARD_FIELDS}]
    _refuse(model_field_findings(own)[:1])
    all_fields = STANDARD_FIELDS[:1] + own + STANDARD_FIELDS[1:]
    _write_new(directory, {
        "e.json": dumps_new(data),
        "model.py": model_py(name, data["title"], all_fields),
        "__init__.py": f"from .model import {name}\n",
    })
    return f"models.{name}"


def create_service(root: Path, name: str, *, title: str | None = None, functions: list[dict] | None = None,
                   event_descs: list[dict] | None = None) -> str:
    directory = _prepare(root, "services", name)
    functions = functions or []
    data = {"title": title or name, "type": "services.NormalType", "backendBundleEntry": ".",
            "functionList": functions, "eventDescs": event_descs or []}
    _validated(ServiceSpec, data)
    _refuse(service_findings(functions, event_descs or [])[:1])
    _write_new(directory, {
        "e.json": dumps_new(data),
        "service.py": service_py(name, functions),
        "__init__.py": f"from .service import {name}\n",
    })
    return f"services.{name}"


def create_workflow(root: Path, name: str, *, title: str | None = None, data_model: str, approvers: list[str] | None = None) -> str:
    directory = _prepare(root, "workflows", name)
    _refuse(workflow_findings(data_model))
    data = {"title": title or name, "type": "workflows.NormalType", "dataModel": data_model,
            "frontBundleEntry": "./config.json", "backendBundleEntry": "."}
    config = {
        "nodeList": [
            {"name": "StartNode", "title": "Submit", "type": 0},
            {"name": "Approve1", "title": "Approve", "type": 1},
            {"name": "EndNode", "title": "End", "type": 7},
        ],
        "linkList": [
            {"linkId": "l1", "from": "StartNode", "to": "Approve1"},
            {"linkId": "l2", "from": "Approve1", "to": "EndNode"},
        ],
        "nodeConfig": {"Approve1": {"approvers": {"users": approvers or [], "roles": []}}},
        "modelName": data_model,
        "statusMaps": {"In": "In progress", "Pass": "Approved", "Refuse": "Rejected"},
    }
    _validated(WorkflowSpec, data)
    _validated(WorkflowConfig, config)
    _write_new(directory, {"e.json": dumps_new(data), "config.json": dumps_new(config)})
    return f"workflows.{name}"


def create_agent(root: Path, name: str, *, title: str | None = None, description: str = "",
                 tools: list[dict] | None = None, llm_config: dict | None = None, prompt: str = "") -> str:
    directory = _prepare(root, "aiagents", name)
    data = {"title": title or name, "type": "aiagents.ReActType", "backendBundleEntry": ".",
            "inputArgs": [{"name": "user_input", "title": "User input", "dataType": "Ltext"}], "outputArgs": []}
    config = {"description": description, "llmConfig": llm_config or {"provider": "openai", "model": "gpt-4o-mini", "apiKeyEnv": "OPENAI_API_KEY"},
              "tools": tools or [], "maxTurns": 8, "verbose": False}
    _validated(AgentSpec, data)
    _validated(AgentConfig, config)
    _write_new(directory, {"e.json": dumps_new(data), "config.json": dumps_new(config),
                           "prompt.md": prompt or f"You are {title or name}. Answer the user: {{user_input}}\n"})
    return f"aiagents.{name}"


def create_assistant(root: Path, name: str, *, title: str | None = None, agent: str | None = None) -> str:
    directory = _prepare(root, "aiassistants", name)
    data = {"title": title or name, "type": "aiassistants.NormalType", "frontBundleEntry": "./config.json",
            "backendBundleEntry": "."}
    nodes = {"start": {"id": "start", "type": "start", "title": "Start"}, "end": {"id": "end", "type": "end", "title": "End"}}
    edges = [{"sourceNode": "start", "targetNode": "end"}]
    if agent:
        nodes["agent1"] = {"id": "agent1", "type": "aiagent", "title": "Agent", "agent": agent,
                           "events": {"backend": False, "page": False, "arrivalOutputArgs": [], "afterRunOutputArgs": []}}
        edges = [{"sourceNode": "start", "targetNode": "agent1", "argMapping": {"user_input": "start.userInput"}},
                 {"sourceNode": "agent1", "targetNode": "end"}]
    config = {"welcomeMessage": "", "prologues": [], "llmConfig": {}, "nodes": nodes, "edges": edges}
    _validated(AssistantSpec, data)
    _validated(AssistantConfig, config)
    _write_new(directory, {"e.json": dumps_new(data), "config.json": dumps_new(config)})
    return f"aiassistants.{name}"


# -- edits of existing elements


_ABSENT = object()


def set_json_value(path: Path, pointer: str, value: Any, *, absent_means: Any = _ABSENT) -> bool:
    """Set one member of a JSON file with the smallest text change; returns False when nothing changed.

    `absent_means` is the value a missing member stands for: setting that value writes nothing.
    """
    original = TextFile.read(path)
    doc = JsonDocument.parse(original.text)
    if pointer in doc.spans and doc.get(pointer) == value and type(doc.get(pointer)) is type(value):
        return False
    if pointer not in doc.spans and absent_means is not _ABSENT and value == absent_means:
        return False
    return atomic_write_text(path, doc.set(pointer, value).text, original)


def set_enable(element: EventElement, on: bool) -> bool:
    return set_json_value(element.ejson.path, "/enable", 1 if on else 0, absent_means=1)


def set_async(element: EventElement, on: bool) -> bool:
    """Switch asyncType; refused when the event's timing must run inside the write (`rules.async_problem`)."""
    operate = element.ejson.doc.get("/operate") if element.ejson.doc else None
    problem = async_problem(element.kind, operate) if on else None
    if problem:
        raise OperationError(problem)
    return set_json_value(element.ejson.path, "/asyncType", bool(on), absent_means=False)


def create_event_from(project, draft: EventDraft) -> str:
    """Create the event a wizard holds, with an agent event's tool switch; refused for the reasons
    `rules.event_draft_problems` gives. Returns its fullName."""
    problems = event_draft_problems(project, draft)
    if problems:
        raise OperationError("; ".join(problems))
    full_name = create_event(project.root, draft.name, draft.kind, title=draft.title.strip() or None, inner=draft.inner,
                             func=draft.func, async_=draft.is_async, **draft.keys)
    if draft.tool is not None:
        try:
            edits = FileEdits()
            _plan_tool_switch(project, draft, edits)
            edits.commit()
        except BaseException:
            shutil.rmtree(Path(project.root) / "events" / draft.name, ignore_errors=True)
            raise
    return full_name


def update_event(project, full_name: str, draft: EventDraft, *, inner_text: str | None = None) -> list[str]:
    """Write what an event's page holds: the e.json members that differ from what the page loaded (title, the
    trigger keys, funcType when it changes, func for a service function), inner.py when `inner_text` is given (and
    an __init__.py re-exporting it when there is none), and an agent event's tool switch. All files or none.

    enable and asyncType are switched at once by set_enable and set_async, not here. Returns the files written,
    relative to the app."""
    event = project.get(full_name)
    if not isinstance(event, EventElement) or event.ejson.doc is None or not isinstance(event.ejson.doc.data, dict):
        raise OperationError(f"{full_name} is not an event with a readable e.json")
    old = event.ejson.doc.data
    draft = replace(draft, name=None, is_async=old.get("asyncType") is True)
    problems = event_draft_problems(project, draft)
    if problems:
        raise OperationError("; ".join(problems))
    edits = FileEdits()
    path = event.ejson.path
    disk = _json(edits, event, path)
    new = {"title": draft.title.strip(), **draft.keys}
    func_type = "Inner" if draft.inner else "Global"
    if str(old.get("funcType", "")).lower() != func_type.lower():
        new["funcType"] = func_type
    if not draft.inner:
        new["func"] = draft.func
    doc = set_changed_keys(disk, old, new)
    spec_cls = EVENT_SPECS.get(event.event_type)
    broken = sorted(_schema_errors(spec_cls, doc.data) - _schema_errors(spec_cls, disk.data)) if spec_cls else []
    if broken:
        raise OperationError("; ".join(broken))
    edits.put(path, doc.text)
    if inner_text is not None:
        edits.put(event.inner_path, inner_text)
        if not (event.directory / "__init__.py").is_file():
            edits.put(event.directory / "__init__.py", INIT_INNER)
    if draft.tool is not None:
        _plan_tool_switch(project, draft, edits)
    return [event.rel(p) for p in edits.commit()]


def update_element(project, full_name: str, *, title: str | None = None, texts: dict[Path, str] | None = None) -> list[str]:
    """Write what an element's page holds: the text of each of its files in `texts`, then `title` into e.json
    with the smallest edit. All files or none. Returns the files written, relative to the app."""
    element = project.get(full_name)
    if element is None:
        raise OperationError(f"{full_name} does not exist")
    edits = FileEdits()
    for path, text in (texts or {}).items():
        if not Path(path).resolve().is_relative_to(element.directory.resolve()):
            raise OperationError(f"{path} is not a file of {full_name}")
        edits.put(path, text)
    if title is not None:
        edits.put(element.ejson.path, _json(edits, element, element.ejson.path).put("/title", title).text)
    return [element.rel(p) for p in edits.commit()]


def _json(edits: FileEdits, element: Element, path: Path) -> JsonDocument:
    try:
        return edits.json(path)
    except JsonSyntaxError as exc:
        raise OperationError(f"{element.rel(path)}:{exc}; fix the file first") from None
    except RecursionError:
        raise OperationError(f"{element.rel(path)} is nested too deeply") from None


def _schema_errors(spec_cls, data) -> set[str]:
    try:
        spec_cls.model_validate(data)
    except ValidationError as exc:
        return {message for _, _, message, _ in describe_errors(exc, data)}
    return set()


def _plan_tool_switch(project, draft: EventDraft, edits: FileEdits) -> None:
    """enableFunctionList[function][stage] = {"withData": …} on the watched tool of the agent's config.json."""
    agent = project.get(draft.keys.get("sender") or "")
    if not isinstance(agent, AgentElement) or agent.config is None:
        raise OperationError(f"agent '{draft.keys.get('sender')}' has no config.json to switch the tool event on in")
    switch = draft.tool
    if switch is None:
        return
    stage = draft.keys.get("stage")
    doc = _json(edits, agent, agent.config.path)
    for function in (switch.function, *switch.also):
        doc = doc.put(pointer_of(["tools", switch.tool, "enableFunctionList", function, stage]), {"withData": switch.with_data})
    for function in switch.switched_off:
        pointer = pointer_of(["tools", switch.tool, "enableFunctionList", function, stage])
        if pointer in doc.spans:
            doc = doc.delete(pointer)
    edits.put(agent.config.path, doc.text)


@dataclass
class RenameReport:
    new_full_name: str
    updated_files: list[str] = field(default_factory=list)
    code_references: list[str] = field(default_factory=list)


def _replace_refs(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        if value == old or value.startswith(old + "."):
            return new + value[len(old):]
        return value
    if isinstance(value, list):
        return [_replace_refs(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _replace_refs(v, old, new) for k, v in value.items()}
    return value


def rename_element(project, full_name: str, new_name: str) -> RenameReport:
    """Rename an element's folder and every JSON reference to it; code that mentions it is reported."""
    element: Element = project.get(full_name)
    if element is None:
        raise OperationError(f"{full_name} does not exist")
    family = element.family
    target = _prepare(project.root, family, new_name)
    new_full = f"{family}.{new_name}"
    report = RenameReport(new_full)
    quoted = rf"""(['"]){re.escape(full_name)}(\.[A-Za-z_]\w*)*\1"""
    pattern = re.compile(rf"{quoted}|\bapp\.{re.escape(full_name)}(?!\w)")
    shutil.move(str(element.directory), str(target))
    for path in sorted(project.root.rglob("*")):
        if ".jitstudio" in path.parts or not path.is_file():
            continue
        if path.suffix == ".json" and not path.is_relative_to(target):
            _rewrite_json_refs(path, full_name, new_full, project.root, report)
        elif path.suffix == ".py":
            text = TextFile.read(path).text
            for lineno, line in enumerate(text.splitlines(), 1):
                if pattern.search(line):
                    report.code_references.append(f"{path.relative_to(project.root).as_posix()}:{lineno}")
    return report


def _rewrite_json_refs(path: Path, old: str, new: str, root: Path, report: RenameReport) -> None:
    original = TextFile.read(path)
    try:
        doc = JsonDocument.parse(original.text)
    except ValueError:
        return
    changed = doc
    for pointer in sorted(doc.spans, key=lambda p: -doc.spans[p].value.start):
        value = doc.get(pointer)
        if isinstance(value, str):
            replaced = _replace_refs(value, old, new)
            if replaced != value:
                changed = changed.set(pointer, replaced)
    if changed is not doc and atomic_write_text(path, changed.text, original):
        report.updated_files.append(path.relative_to(root).as_posix())


def delete_element(project, full_name: str) -> list[str]:
    """Delete an element's folder; returns the places that still name it (now dangling)."""
    element = project.get(full_name)
    if element is None:
        raise OperationError(f"{full_name} does not exist")
    shutil.rmtree(element.directory)
    remaining = project.reload()
    named = re.compile(rf"'{re.escape(full_name)}[.']")
    return [str(p) for p in remaining.problems if named.search(p.message)]
