"""Loading an app folder into a Project: every element, its specs and sources, and every problem located."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ._validation import read_json, validate
from .elements import (
    AgentElement, AssistantElement, Element, EventElement, GenericElement, JsonFile, ModelElement,
    ServiceElement, WorkflowElement,
)
from ._discovery import discover
from .files import TextFile, cannot_read
from .problems import Problem, allowed_list
from .project import Project
from .pysource import SourceIssue, read_classes, read_model
from .references import check_references
from .schemas import (
    AgentConfig, AgentSpec, AppSpec, AssistantConfig, AssistantSpec, EVENT_SPECS, ModelSpec, ServiceSpec,
    WorkflowConfig, WorkflowSpec,
)

TRANSPARENT_DIRS = {"frontend", "backend"}
ELEMENT_CLASSES = {
    "models": (ModelElement, ModelSpec),
    "services": (ServiceElement, ServiceSpec),
    "events": (EventElement, None),
    "workflows": (WorkflowElement, WorkflowSpec),
    "aiagents": (AgentElement, AgentSpec),
    "aiassistants": (AssistantElement, AssistantSpec),
}
_TYPE_NAME = re.compile(r"^events(\.[A-Za-z_][A-Za-z0-9_]*)+$")
CONFIG_SPECS = {"workflows": WorkflowConfig, "aiagents": AgentConfig, "aiassistants": AssistantConfig}


def full_name_of(root: Path, directory: Path) -> str:
    parts = [p for p in directory.relative_to(root).parts if p not in TRANSPARENT_DIRS]
    return ".".join(parts)


def load_project(root: str | os.PathLike) -> Project:
    root = Path(root).resolve()
    problems: list[Problem] = []
    app_doc = app_spec = None
    if os.path.lexists(root / "app.json"):
        app_doc, app_spec = read_json(root, root / "app.json", AppSpec, problems)
    else:
        problems.append(Problem("app.json", 1, 1, "app.json is missing; an app folder needs app.json with at least a name", code="missing-file"))
    elements: dict[str, Element] = {}
    for directory in discover(root, problems):
        element = load_element(root, directory)
        if element.full_name in elements:
            element.problems.append(Problem(element.rel(directory / "e.json"), 1, 1, f"{element.full_name} is defined twice", code="duplicate"))
        elements[element.full_name] = element
    project = Project(root, app_spec, JsonFile(root / "app.json", app_doc, app_spec), elements, problems)
    check_references(project)
    return project


def load_element(root: Path, directory: Path) -> Element:
    full_name = full_name_of(root, directory)
    family = full_name.split(".", 1)[0]
    element_cls, spec_cls = ELEMENT_CLASSES.get(family, (GenericElement, None))
    problems: list[Problem] = []
    ejson_path = directory / "e.json"
    if element_cls is EventElement:
        doc, _ = read_json(root, ejson_path, None, problems)
        event_type = _event_type(root, doc)
        spec = None
        if doc is not None and isinstance(doc.data, dict):
            spec_cls = EVENT_SPECS.get(event_type)
            if spec_cls is None:
                line, col = doc.locate("/type")
                problems.append(Problem(
                    _rel(root, ejson_path), line, col,
                    f"type {doc.data.get('type')!r} is not one of {allowed_list(EVENT_SPECS)}", pointer="/type", code="literal_error",
                ))
            else:
                spec = validate(doc, spec_cls, _rel(root, ejson_path), problems)
        element = EventElement(root, full_name, directory, JsonFile(ejson_path, doc, spec), problems, event_type=event_type)
        if _present(directory / "inner.py"):
            element.inner = _read_code(root, directory / "inner.py", read_classes, problems)
        return element
    doc, spec = read_json(root, ejson_path, spec_cls, problems)
    element = element_cls(root, full_name, directory, JsonFile(ejson_path, doc, spec), problems)
    if isinstance(element, ModelElement):
        model_py = directory / "model.py"
        if _present(model_py):
            element.source = _read_code(root, model_py, read_model, problems)
        else:
            problems.append(Problem(_rel(root, ejson_path), 1, 1, "model.py is missing; a model's fields are declared there", code="missing-file"))
    elif isinstance(element, ServiceElement):
        service_py = directory / "service.py"
        if _present(service_py):
            element.source = _read_code(root, service_py, read_classes, problems)
        elif spec and spec.functionList:
            problems.append(Problem(_rel(root, ejson_path), 1, 1, "service.py is missing; the functions of functionList live there", code="missing-file"))
    if family in CONFIG_SPECS:
        config_path = directory / "config.json"
        if _present(config_path):
            config_doc, config_spec = read_json(root, config_path, CONFIG_SPECS[family], problems)
            element.config = JsonFile(config_path, config_doc, config_spec)
        else:
            problems.append(Problem(_rel(root, ejson_path), 1, 1, "config.json is missing", code="missing-file"))
    return element


def _present(path: Path) -> bool:
    """Whether something is at path, a file or not: what is there but cannot be read is reported, not missed."""
    return os.path.lexists(path)


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _event_type(root: Path, doc) -> str:
    """The event's type; an app's own Type element (events/MyType) resolves to the official type it extends."""
    if doc is None or not isinstance(doc.data, dict):
        return ""
    event_type = str(doc.data.get("type") or "")
    seen = set()
    while event_type not in EVENT_SPECS and _TYPE_NAME.match(event_type) and event_type not in seen:
        seen.add(event_type)
        type_json = root.joinpath(*event_type.split(".")) / "e.json"
        try:
            event_type = str(json.loads(TextFile.read(type_json).text).get("type") or "")
        except (OSError, ValueError, AttributeError, RecursionError):
            break
    return event_type if event_type in EVENT_SPECS else str(doc.data.get("type") or "")


def _read_code(root: Path, path: Path, reader, problems: list[Problem]):
    try:
        text = TextFile.read(path).text
    except OSError as exc:
        problems.append(Problem(_rel(root, path), 1, 1, cannot_read(exc), code="io"))
        return reader("", path.name)
    result = reader(text, path.name)
    for issue in result.issues:
        problems.append(_issue(root, path, issue))
    return result


def _issue(root: Path, path: Path, issue: SourceIssue) -> Problem:
    code = "python-syntax" if issue.message.startswith("invalid Python") else "python"
    return Problem(_rel(root, path), issue.line, issue.col, issue.message, issue.severity, code=code)
