"""Approval workflows: instances over a record, approvers by user or role, and the WorkflowType events. Each name
is imported on first use."""
from typing import TYPE_CHECKING

from .... import lazy_exports

__all__ = [
    "ACTIONS", "ActionResult", "ApprovalAborted", "ApprovalDenied", "ApprovalEngine", "ApprovalStore", "HANDLE_CODES",
    "Node", "WorkflowError", "WorkflowGraph", "WorkflowRuntimeElement", "acting_as",
]

if TYPE_CHECKING:
    from .element import HANDLE_CODES, WorkflowRuntimeElement
    from .engine import ACTIONS, ActionResult, ApprovalAborted, ApprovalDenied, ApprovalEngine, acting_as
    from .graph import Node, WorkflowError, WorkflowGraph
    from .store import ApprovalStore
else:
    __getattr__, __dir__ = lazy_exports(__name__, {
        ".element": ("HANDLE_CODES", "WorkflowRuntimeElement"),
        ".engine": ("ACTIONS", "ActionResult", "ApprovalAborted", "ApprovalDenied", "ApprovalEngine", "acting_as"),
        ".graph": ("Node", "WorkflowError", "WorkflowGraph"),
        ".store": ("ApprovalStore",),
    })
