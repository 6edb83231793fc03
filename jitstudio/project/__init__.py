"""The app on disk: schemas, loading with located problems, element operations, the Q-filter language."""
from .elements import (
    EVENT_KINDS, FAMILIES, AgentElement, AssistantElement, Element, EventElement, GenericElement, ModelElement,
    ServiceElement, WorkflowElement,
)
from .files import TextFile, atomic_write_bytes, atomic_write_text
from .jsondoc import JsonDocument, JsonSyntaxError
from .loader import load_project
from .operations import (
    OperationError, check_name, create_agent, create_assistant, create_event, create_model, create_service,
    create_workflow, delete_element, rename_element, set_async, set_enable, set_json_value,
)
from .problems import Problem
from .project import Project

__all__ = [
    "EVENT_KINDS", "FAMILIES", "AgentElement", "AssistantElement", "Element", "EventElement", "GenericElement",
    "JsonDocument", "JsonSyntaxError", "ModelElement", "OperationError", "Problem", "Project", "ServiceElement",
    "TextFile", "WorkflowElement", "atomic_write_bytes", "atomic_write_text", "check_name", "create_agent",
    "create_assistant", "create_event", "create_model", "create_service", "create_workflow", "delete_element",
    "load_project", "rename_element", "set_async", "set_enable", "set_json_value",
]
