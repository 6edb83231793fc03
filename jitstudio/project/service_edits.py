"""Edits of an existing service that its page's forms make: a function is its functionList entry and its method
in service.py, added, changed (renamed) and removed together; the events it declares (eventDescs).

Each operation checks its input first (`function_problems`, `event_desc_problems`), plans every file in memory
and writes all of them or none. JSON changes touch only the members that change; service.py is edited with
libcst, so every other line stays as written. Elements that name a renamed function or event follow it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ._edits import FileEdits
from ._json_lists import append_item, remove_item, rename_key, sync_list, sync_object
from ._method_edits import SourceEditError, add_method, remove_method, rename_method, set_parameters
from .elements import AgentElement, AssistantElement, EventElement, ServiceElement
from .jsondoc import JsonDocument, JsonSyntaxError, pointer_of
from .operations import OperationError
from .pysource import DATATYPES, read_classes
from .rules import identifier_problem
from .templates import docstring

RETURN_TYPES = ("None", *DATATYPES)
_NEW_TYPE_KEYS = ("generic", "acceptDataTypes", "variableConfig")  # they describe the old dataType


# -- what the forms may write


def function_problems(service: ServiceElement, entry: dict, old_name: str | None = None) -> list[str]:
    """Why `entry` cannot be a function of the service (replacing the one named `old_name`), as the form shows it."""
    name = entry.get("name")
    problems = []
    reason = identifier_problem("function name", name)
    if reason is None and name != old_name:
        if name in service.functions:
            reason = f"{service.name} already has a function '{name}'"
        elif name in service.methods:
            reason = f"service.py already has a method '{name}'; add it to functionList from the table instead"
        elif str(name).startswith("__"):
            reason = f"function name '{name}' is reserved by Python"
    if reason:
        problems.append("Name: " + reason)
    seen: set[str] = set()
    for arg in entry.get("args") or []:
        arg_name = arg.get("name")
        reason = identifier_problem("parameter", arg_name)
        if reason is None and arg_name in ("self", "cls"):
            reason = f"parameter '{arg_name}' is given by Python; choose another name"
        if reason is None and arg_name in seen:
            reason = f"parameter '{arg_name}' appears twice"
        if reason is None and arg.get("dataType") not in DATATYPES:
            reason = f"parameter '{arg_name}' has unknown data type '{arg.get('dataType')}'"
        if reason:
            problems.append("Parameters: " + reason)
        seen.add(arg_name)
    if entry.get("returnType") not in RETURN_TYPES:
        problems.append(f"Return type: '{entry.get('returnType')}' is not a data type")
    return problems


def event_desc_problems(service: ServiceElement, desc: dict, old_name: str | None = None) -> list[str]:
    name = desc.get("name")
    reason = identifier_problem("event name", name)
    if reason is None and name != old_name and name in service.event_names:
        reason = f"{service.name} already declares an event '{name}'"
    problems = ["Name: " + reason] if reason else []
    if not str(desc.get("title") or "").strip():
        problems.append("Title: give the event a title")
    return problems


def unlisted_methods(service: ServiceElement) -> list[str]:
    """Public methods of service.py that functionList does not declare (so nothing outside can call them)."""
    return [name for name in service.methods if not name.startswith("_") and name not in service.functions]


def methods_missing(service: ServiceElement) -> list[str]:
    """functionList entries service.py has no method for; none when service.py cannot be read."""
    if service.source.issues or service.source.class_name is None:
        return []
    return [name for name in service.functions if name not in service.methods]


def method_stub(entry: dict) -> str:
    """A new method for a functionList entry, at column 0, written as the + Service wizard writes them."""
    params = ", ".join(["self"] + [a["name"] for a in entry.get("args") or []])
    return f"def {entry['name']}({params}):\n    {docstring(entry.get('title') or entry['name'])}\n    return None\n"


def new_entry(name: str, title: str = "", args: list[dict] | None = None, return_type: str = "None",
              desc: str = "") -> dict:
    """A functionList entry as the reference lays it out; each arg {name, title, dataType, required}."""
    entry: dict[str, Any] = {"name": name, "title": title.strip() or name,
                             "args": [{"name": a["name"], "title": str(a.get("title") or "").strip() or a["name"],
                                       "dataType": a.get("dataType") or "Stext", "required": bool(a.get("required", True))}
                                      for a in args or []],
                             "returnType": return_type or "None"}
    if desc.strip():
        entry["desc"] = desc.strip()
    return entry


# -- functions


class _Service:
    """One service's e.json and service.py as planned in `edits`."""

    def __init__(self, project, full_name: str, edits: FileEdits):
        service = project.get(full_name)
        if not isinstance(service, ServiceElement):
            raise OperationError(f"{full_name} is not a service")
        self.project, self.service, self.edits = project, service, edits
        self.ejson_path = service.ejson.path
        self.source_path = service.directory / "service.py"
        try:
            self.doc = edits.json(self.ejson_path)
        except JsonSyntaxError as exc:
            raise OperationError(f"{service.rel(self.ejson_path)}:{exc}; fix the file first") from None
        if not isinstance(self.doc.data, dict):
            raise OperationError(f"{service.rel(self.ejson_path)} does not hold an object; fix the file first")

    def entries(self, key: str) -> list[dict]:
        items = self.doc.data.get(key)
        return items if isinstance(items, list) else []

    def index_of(self, key: str, name: str) -> int:
        for index, item in enumerate(self.entries(key)):
            if isinstance(item, dict) and item.get("name") == name:
                return index
        raise OperationError(f"{self.service.full_name} has no {'function' if key == 'functionList' else 'event'} '{name}'")

    def put_json(self, doc: JsonDocument) -> None:
        self.doc = doc
        self.edits.put(self.ejson_path, doc.text)

    def source(self) -> tuple[str, str | None]:
        if not self.source_path.is_file():
            raise OperationError(f"{self.service.full_name} has no service.py")
        text = self.edits.text(self.source_path)
        return text, read_classes(text, "service.py").class_name

    def edit_source(self, edit, *args) -> None:
        text, class_name = self.source()
        try:
            self.edits.put(self.source_path, edit(text, class_name, *args))
        except SourceEditError as exc:
            raise OperationError(str(exc)) from None

    def written(self) -> list[str]:
        return [self.service.rel(p) for p in self.edits.commit()]


def _refuse(problems: list[str]) -> None:
    if problems:
        raise OperationError("; ".join(problems))


def _method_after(plan: _Service, name: str) -> str | None:
    """The method a new one for entry `name` goes after: that of the nearest entry before it that has one."""
    methods = plan.service.methods
    names = [e.get("name") for e in plan.entries("functionList") if isinstance(e, dict)]
    before = names[: names.index(name)] if name in names else names
    return next((n for n in reversed(before) if n in methods), None)


def add_function(project, service_name: str, entry: dict) -> list[str]:
    """Append `entry` to functionList and write its method stub into service.py. Returns the files written."""
    plan = _Service(project, service_name, FileEdits())
    _refuse(function_problems(plan.service, entry))
    plan.put_json(append_item(plan.doc, "/functionList", entry))
    plan.edit_source(add_method, method_stub(entry), _method_after(plan, entry["name"]))
    return plan.written()


def add_missing_method(project, service_name: str, name: str) -> list[str]:
    """Write the method stub of functionList entry `name`, which service.py lacks."""
    plan = _Service(project, service_name, FileEdits())
    entry = plan.entries("functionList")[plan.index_of("functionList", name)]
    plan.edit_source(add_method, method_stub(entry), _method_after(plan, name))
    return plan.written()


def list_method(project, service_name: str, entry: dict) -> list[str]:
    """Declare the existing method `entry["name"]` in functionList; service.py is left as it is."""
    plan = _Service(project, service_name, FileEdits())
    name = entry.get("name")
    if name not in plan.service.methods:
        raise OperationError(f"service.py has no method '{name}'")
    if name in plan.service.functions:
        raise OperationError(f"'{name}' is already in functionList")
    _refuse([p for p in function_problems(plan.service, entry, old_name=name)])
    plan.put_json(append_item(plan.doc, "/functionList", entry))
    return plan.written()


def _merged_args(old: list, new: list) -> list:
    """The form's args over the ones on disk: an arg keeps the keys the form does not show (matched by name, or
    by place when renamed), less those that described a data type it no longer has."""
    new_names = {a.get("name") for a in new}
    merged = []
    for index, arg in enumerate(new):
        base = next((o for o in old if isinstance(o, dict) and o.get("name") == arg.get("name")), None)
        if base is None and index < len(old) and isinstance(old[index], dict) and old[index].get("name") not in new_names:
            base = old[index]
        item = dict(base or {})
        if base is not None and base.get("dataType") != arg.get("dataType"):
            for key in _NEW_TYPE_KEYS:
                item.pop(key, None)
        absent_means_false = base is not None and "required" not in base and not arg.get("required")
        item.update({k: v for k, v in arg.items() if not (k == "required" and absent_means_false)})
        merged.append(item)
    return merged


def update_function(project, service_name: str, old_name: str, entry: dict) -> list[str]:
    """Write what the function form holds over functionList entry `old_name`: its members that changed (keys the
    form does not show are kept), the method renamed with it and its parameters following the args (when they
    matched before), and every event, agent tool and assistant node that names it following a rename."""
    plan = _Service(project, service_name, FileEdits())
    _refuse(function_problems(plan.service, entry, old_name=old_name))
    index = plan.index_of("functionList", old_name)
    old = plan.entries("functionList")[index]
    new = {**old, **{k: v for k, v in entry.items() if k != "args"}, "args": _merged_args(old.get("args") or [], entry.get("args") or [])}
    if "desc" not in entry:
        new.pop("desc", None)
    if "args" not in old and not new["args"]:
        del new["args"]
    pointer = f"/functionList/{index}"
    doc = sync_object(plan.doc, pointer, {k: v for k, v in old.items() if k != "args"}, {k: v for k, v in new.items() if k != "args"})
    if "args" in new:
        doc = sync_list(doc, pointer + "/args", old.get("args") or [], new["args"]) if "args" in old else doc.put(pointer + "/args", new["args"])
    plan.put_json(doc)
    name = entry["name"]
    method = plan.service.methods.get(old_name)
    if method is not None:
        if name != old_name:
            plan.edit_source(rename_method, old_name, name)
        old_params = [a.get("name") for a in old.get("args") or []]
        new_params = [a["name"] for a in new.get("args") or []]
        if new_params != old_params and method.params == old_params:
            plan.edit_source(set_parameters, name, new_params)
    if name != old_name:
        _follow_function_rename(plan, f"{service_name}.{old_name}", f"{service_name}.{name}")
    return plan.written()


def remove_function(project, service_name: str, name: str) -> list[str]:
    """Remove functionList entry `name` and its method (when there is one); comments above the method stay."""
    plan = _Service(project, service_name, FileEdits())
    plan.put_json(remove_item(plan.doc, "/functionList", plan.index_of("functionList", name)))
    if name in plan.service.methods:
        plan.edit_source(remove_method, name)
    return plan.written()


def function_users(project, service_name: str, name: str) -> list[str]:
    """The elements that name function `name` of the service: events that it handles, agents that offer it as a
    tool, assistant nodes that call it."""
    path = f"{service_name}.{name}"
    users = [e.full_name for e in project.events if e.ejson.doc and _data(e.ejson.doc).get("func") == path]
    for agent in project.agents:
        if agent.config and agent.config.doc and _agent_tool_pointers(agent, service_name, name):
            users.append(agent.full_name)
    for assistant in project.assistants:
        if assistant.config and assistant.config.doc and _assistant_node_pointers(assistant, path):
            users.append(assistant.full_name)
    return users


def _data(doc: JsonDocument) -> dict:
    return doc.data if isinstance(doc.data, dict) else {}


def _agent_tool_pointers(agent: AgentElement, service_name: str, name: str) -> list[str]:
    tools = _data(agent.config.doc).get("tools") if agent.config and agent.config.doc else None
    return [pointer_of(["tools", i, "enableFunctionList", name]) for i, tool in enumerate(tools if isinstance(tools, list) else [])
            if isinstance(tool, dict) and tool.get("name") == service_name
            and isinstance(tool.get("enableFunctionList"), dict) and name in tool["enableFunctionList"]]


def _assistant_node_pointers(assistant: AssistantElement, path: str) -> list[str]:
    nodes = _data(assistant.config.doc).get("nodes") if assistant.config and assistant.config.doc else None
    return [pointer_of(["nodes", node_id, "function"]) for node_id, node in (nodes.items() if isinstance(nodes, dict) else [])
            if isinstance(node, dict) and node.get("function") == path]


def _put_value(edits: FileEdits, path: Path, pointer: str, value: Any) -> None:
    edits.put(path, edits.json(path).set(pointer, value).text)


def _follow_function_rename(plan: _Service, old: str, new: str) -> None:
    project, edits = plan.project, plan.edits
    service_name, _, old_name = old.rpartition(".")
    new_name = new.rpartition(".")[2]
    for event in project.events:
        if event.ejson.doc and _data(event.ejson.doc).get("func") == old:
            _put_value(edits, event.ejson.path, "/func", new)
    for agent in project.agents:
        if agent.config and agent.config.doc:
            for pointer in _agent_tool_pointers(agent, service_name, old_name):
                edits.put(agent.config.path, rename_key(edits.json(agent.config.path), pointer, new_name).text)
    for assistant in project.assistants:
        if assistant.config and assistant.config.doc:
            for pointer in _assistant_node_pointers(assistant, old):
                _put_value(edits, assistant.config.path, pointer, new)


# -- declared events


def _desc(desc: dict) -> dict:
    out = {"name": desc["name"], "title": str(desc.get("title") or "").strip()}
    if str(desc.get("desc") or "").strip():
        out["desc"] = str(desc["desc"]).strip()
    return out


def add_event_desc(project, service_name: str, desc: dict) -> list[str]:
    """Declare a custom event: append {name, title, desc} to eventDescs."""
    plan = _Service(project, service_name, FileEdits())
    _refuse(event_desc_problems(plan.service, desc))
    plan.put_json(append_item(plan.doc, "/eventDescs", _desc(desc)))
    return plan.written()


def update_event_desc(project, service_name: str, old_name: str, desc: dict) -> list[str]:
    """Write name, title and desc over eventDescs entry `old_name`; on a rename, the custom events subscribed to
    it follow (their sender)."""
    plan = _Service(project, service_name, FileEdits())
    _refuse(event_desc_problems(plan.service, desc, old_name=old_name))
    index = plan.index_of("eventDescs", old_name)
    old = plan.entries("eventDescs")[index]
    new = {**old, **_desc(desc)}
    if "desc" not in _desc(desc):
        new.pop("desc", None)
    plan.put_json(sync_object(plan.doc, f"/eventDescs/{index}", old, new))
    if new["name"] != old_name:
        for event in event_desc_subscribers(project, service_name, old_name):
            _put_value(plan.edits, event.ejson.path, "/sender", f"{service_name}.{new['name']}")
    return plan.written()


def remove_event_desc(project, service_name: str, name: str) -> list[str]:
    plan = _Service(project, service_name, FileEdits())
    plan.put_json(remove_item(plan.doc, "/eventDescs", plan.index_of("eventDescs", name)))
    return plan.written()


def event_desc_subscribers(project, service_name: str, name: str) -> list[EventElement]:
    sender = f"{service_name}.{name}"
    return [e for e in project.events if e.ejson.doc and e.kind == "normal" and _data(e.ejson.doc).get("sender") == sender]


__all__ = [
    "RETURN_TYPES", "add_event_desc", "add_function", "add_missing_method", "event_desc_problems",
    "event_desc_subscribers", "function_problems", "function_users", "list_method", "method_stub",
    "methods_missing", "new_entry", "remove_event_desc", "remove_function", "unlisted_methods",
    "update_event_desc", "update_function",
]
