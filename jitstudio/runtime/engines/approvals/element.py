"""`app.getElement("workflows.X")`: the workflow element API handler and service code call."""
from __future__ import annotations

from typing import Any

from ...data import units
from ...values import native
from .engine import ApprovalEngine
from .graph import WorkflowError

HANDLE_CODES = {0: "submit", 2: "agree", 3: "refuse", 16: "manualEnd"}


class WorkflowRuntimeElement:
    def __init__(self, engine: ApprovalEngine, full_name: str):
        self.engine, self.fullName = engine, full_name
        self.graph = engine.graph(full_name)

    def __repr__(self) -> str:
        return f"<workflow {self.fullName}>"

    # graph
    def getStartNodeId(self) -> str:
        return self.graph.start_id

    def getStartNode(self) -> dict[str, Any]:
        return self.graph.node(self.graph.start_id).to_json()

    def getNode(self, nodeId: str) -> dict[str, Any]:
        return self.graph.node(nodeId).to_json()

    def getNextNodes(self, nodeId: str) -> list[dict[str, Any]]:
        return [n.to_json() for n in self.graph.next_nodes(self.graph.node(nodeId).id)]

    def getPrevNodes(self, nodeId: str) -> list[dict[str, Any]]:
        return [n.to_json() for n in self.graph.prev_nodes(self.graph.node(nodeId).id)]

    def getApproveNodeIdList(self) -> list[str]:
        return self.graph.approval_node_ids()

    # actions
    def doHandle(self, handleType: int | str, nodeId: str | None, row: Any, valueDict: dict | None = None) -> dict[str, Any]:
        """Handle the record's approval at a node as the current user: 0/submit, 2/agree, 3/refuse,
        16/manualEnd, or the names reject and transmit (valueDict `to`). valueDict may hold `comment`
        (else `reason`) and `user`."""
        action = HANDLE_CODES.get(handleType, handleType) if isinstance(handleType, int) else str(handleType)
        values = native(valueDict) or {}
        comment = values.get("comment") or values.get("reason")
        user = values.get("user")
        record_id = _record_id(row)
        if action == "submit":
            return self.engine.submit(self.fullName, record_id, user=user, comment=comment, row=row).instance
        with units.reading(self.engine.host.engine) as conn:
            inst = self.engine.store.open_for_record(conn, self.fullName, record_id)
        if inst is None:
            raise WorkflowError(f"record {record_id} has no approval in progress in {self.fullName}")
        node = None if action == "manualEnd" or nodeId in (None, self.graph.start_id) else nodeId
        return self.engine.act(inst.id, action, user=user, comment=comment, to=values.get("to"), node=node).instance


def _record_id(row: Any) -> Any:
    pk = getattr(row, "pkData", None)
    if pk is None:
        value = native(row)
        pk = value.get("id") if isinstance(value, dict) else value
    if pk is None:
        raise WorkflowError("the record has no id; save it before submitting it for approval")
    return pk
