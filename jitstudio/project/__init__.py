"""The app on disk: schemas, loading with located problems, element operations, the Q-filter language. Each
name is imported on first use."""
from typing import TYPE_CHECKING

from .. import lazy_exports

__all__ = [
    "EVENT_KINDS", "FAMILIES", "AgentElement", "AgentToolSwitch", "AssistantElement", "Element", "EventDraft",
    "EventElement", "GenericElement", "JsonDocument", "JsonSyntaxError", "ModelElement", "OperationError", "Problem",
    "Project", "ServiceElement", "TextFile", "WorkflowElement", "atomic_write_bytes", "atomic_write_text",
    "check_name", "create_agent", "create_assistant", "create_event", "create_event_from", "create_model",
    "create_service", "create_workflow", "delete_element", "event_draft_problems", "load_project", "rename_element",
    "set_async", "set_enable", "set_json_value", "update_element", "update_event",
    # forms of an existing service (service_edits)
    "add_event_desc", "add_function", "add_missing_method", "event_desc_problems", "function_problems",
    "list_method", "remove_event_desc", "remove_function", "update_event_desc", "update_function",
]

if TYPE_CHECKING:
    from .elements import (
        EVENT_KINDS, FAMILIES, AgentElement, AssistantElement, Element, EventElement, GenericElement, ModelElement,
        ServiceElement, WorkflowElement,
    )
    from .files import TextFile, atomic_write_bytes, atomic_write_text
    from .jsondoc import JsonDocument, JsonSyntaxError
    from .loader import load_project
    from .operations import (
        OperationError, create_agent, create_assistant, create_event, create_event_from, create_model, create_service,
        create_workflow, delete_element, rename_element, set_async, set_enable, set_json_value, update_element,
        update_event,
    )
    from .problems import Problem
    from .project import Project
    from .rules import AgentToolSwitch, EventDraft, check_name, event_draft_problems
    from .service_edits import (
        add_event_desc, add_function, add_missing_method, event_desc_problems, function_problems, list_method,
        remove_event_desc, remove_function, update_event_desc, update_function,
    )
else:
    __getattr__, __dir__ = lazy_exports(__name__, {
        ".elements": ("EVENT_KINDS", "FAMILIES", "AgentElement", "AssistantElement", "Element", "EventElement",
                      "GenericElement", "ModelElement", "ServiceElement", "WorkflowElement"),
        ".files": ("TextFile", "atomic_write_bytes", "atomic_write_text"),
        ".jsondoc": ("JsonDocument", "JsonSyntaxError"),
        ".loader": ("load_project",),
        ".operations": ("OperationError", "create_agent", "create_assistant", "create_event", "create_event_from",
                        "create_model", "create_service", "create_workflow", "delete_element", "rename_element",
                        "set_async", "set_enable", "set_json_value", "update_element", "update_event"),
        ".problems": ("Problem",),
        ".project": ("Project",),
        ".rules": ("AgentToolSwitch", "EventDraft", "check_name", "event_draft_problems"),
        ".service_edits": ("add_event_desc", "add_function", "add_missing_method", "event_desc_problems",
                           "function_problems", "list_method", "remove_event_desc", "remove_function",
                           "update_event_desc", "update_function"),
    })
