"""The node graph of an approval workflow's config.json: nodes, links, and branch choice."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ....errors import AppError
from ....project import qfilter
from ....project.schemas import WorkflowConfig

START, APPROVAL, BRANCH, PARALLEL_START, PARALLEL_END, END = 0, 1, 4, 5, 6, 7
NODE_KINDS = {START: "start", APPROVAL: "approval", BRANCH: "branch", PARALLEL_START: "parallelStart",
              PARALLEL_END: "parallelEnd", END: "end"}
START_ALIAS = "StartNode"


class WorkflowError(AppError):
    """A workflow that cannot run as configured, or an action that is not allowed now."""


@dataclass(frozen=True)
class Node:
    id: str
    title: str
    type: int
    config: Mapping[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return NODE_KINDS.get(self.type, str(self.type))

    def to_json(self) -> dict[str, Any]:
        return {"name": self.id, "title": self.title, "type": self.type, "kind": self.kind}


@dataclass(frozen=True)
class Link:
    id: str
    source: str
    target: str
    condition: str | None = None
    is_else: bool = False


class WorkflowGraph:
    """Nodes and links of one workflow, checked once: one start, one end, links between known nodes."""

    def __init__(self, full_name: str, config: WorkflowConfig):
        self.full_name = full_name
        self.nodes: dict[str, Node] = {}
        for item in config.nodeList:
            self.nodes[item.name] = Node(item.name, item.title or item.name, item.type, dict(config.nodeConfig.get(item.name) or {}))
        self.links: list[Link] = []
        for index, item in enumerate(config.linkList):
            self.links.append(Link(str(item.linkId or f"link{index}"), item.from_, item.to, item.condition or None, item.else_))
        self._check()

    def _check(self) -> None:
        starts = [n.id for n in self.nodes.values() if n.type == START]
        ends = [n.id for n in self.nodes.values() if n.type == END]
        if len(starts) != 1 or len(ends) != 1:
            raise WorkflowError(f"{self.full_name} needs exactly one start node and one end node (has {len(starts)} and {len(ends)})")
        for link in self.links:
            for end in (link.source, link.target):
                if end not in self.nodes:
                    raise WorkflowError(f"{self.full_name}: link {link.id} refers to unknown node '{end}'")
        self.start_id, self.end_id = starts[0], ends[0]

    def node(self, node_id: str) -> Node:
        if node_id == START_ALIAS:
            node_id = self.start_id
        try:
            return self.nodes[node_id]
        except KeyError:
            raise WorkflowError(f"{self.full_name} has no node '{node_id}'; nodes: {', '.join(self.nodes)}") from None

    def out_links(self, node_id: str) -> list[Link]:
        return [link for link in self.links if link.source == node_id]

    def in_links(self, node_id: str) -> list[Link]:
        return [link for link in self.links if link.target == node_id]

    def next_nodes(self, node_id: str) -> list[Node]:
        return [self.nodes[link.target] for link in self.out_links(node_id)]

    def prev_nodes(self, node_id: str) -> list[Node]:
        return [self.nodes[link.source] for link in self.in_links(node_id)]

    def approval_node_ids(self) -> list[str]:
        return [n.id for n in self.nodes.values() if n.type == APPROVAL]

    def choose_branch(self, node_id: str, record: Mapping[str, Any]) -> Link:
        """The first out-link whose condition holds for the record, else the `else` link."""
        fallback = None
        for link in self.out_links(node_id):
            if link.is_else or not link.condition:
                fallback = fallback or link
                continue
            try:
                if qfilter.evaluate(link.condition, record):
                    return link
            except qfilter.QSyntaxError as exc:
                raise WorkflowError(f"{self.full_name}: condition of link {link.id} is not a valid Q filter: {exc}") from exc
        if fallback is None:
            raise WorkflowError(f"{self.full_name}: no branch of '{node_id}' matches this record and none is marked else")
        return fallback

    def trigger_name(self, when: str, node_id: str) -> str:
        """`after.StartNode` / `before.<nodeId>` as written in a NodeChange event's triggerNode."""
        return f"{when}.{START_ALIAS if node_id == self.start_id else node_id}"

    def approvers(self, node_id: str) -> tuple[list[str], list[str]]:
        """(users, roles) configured for an approval node."""
        spec = self.node(node_id).config.get("approvers") or {}
        if isinstance(spec, list):
            return [str(u) for u in spec], []
        return [str(u) for u in spec.get("users") or []], [str(r) for r in spec.get("roles") or []]
