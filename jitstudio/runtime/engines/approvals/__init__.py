"""Approval workflows: instances over a record, approvers by user or role, and the WorkflowType events."""
from .element import HANDLE_CODES, WorkflowRuntimeElement
from .engine import ACTIONS, ActionResult, ApprovalAborted, ApprovalDenied, ApprovalEngine, acting_as
from .graph import Node, WorkflowError, WorkflowGraph
from .store import ApprovalStore

__all__ = [
    "ACTIONS", "ActionResult", "ApprovalAborted", "ApprovalDenied", "ApprovalEngine", "ApprovalStore", "HANDLE_CODES",
    "Node", "WorkflowError", "WorkflowGraph", "WorkflowRuntimeElement", "acting_as",
]
