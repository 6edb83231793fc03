"""Approval workflows and AI assistant graphs read from config.json as one shape: nodes and the links between
them, each with the JSON pointer it was read from, so that an edit or a problem can find its place in the text.

A workflow keeps its nodes in `nodeList` (by `name`, type codes) and its links in `linkList` (`from`, `to`); an
assistant keeps `nodes` keyed by id (type names) and `edges` (`sourceNode`, `targetNode`). Both keep a node's
place on the drawing in `position` {x, y}, the key JitAI uses."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .jsondoc import pointer_of
from .schemas import WORKFLOW_NODE_TYPES

WORKFLOW, ASSISTANT = "workflow", "assistant"

# The type names a workflow's type codes stand for (WORKFLOW_NODE_TYPES has them with spaces, for people).
WORKFLOW_TYPE_NAMES = {0: "start", 1: "approval", 4: "branch", 5: "parallelStart", 6: "parallelEnd", 7: "end"}
WORKFLOW_TYPE_CODES = {name: code for code, name in WORKFLOW_TYPE_NAMES.items()}
ASSISTANT_TYPE_TITLES = {"start": "Start", "router": "Router", "aiagent": "AI agent", "function": "Function",
                         "ifelse": "If / else", "iteration": "Iteration", "humanaction": "Action in conversation",
                         "pageaction": "Action in page", "end": "End"}
CHOOSING_TYPES = ("branch", "ifelse")  # their links carry conditions, one of them `else`


def type_title(kind: str, node_type: str) -> str:
    if kind == WORKFLOW:
        code = WORKFLOW_TYPE_CODES.get(node_type)
        return str(WORKFLOW_NODE_TYPES.get(code, node_type)).capitalize() if code is not None else node_type
    return ASSISTANT_TYPE_TITLES.get(node_type, node_type)


@dataclass(frozen=True)
class GraphNode:
    id: str
    type: str
    title: str
    position: tuple[float, float] | None
    pointer: str


@dataclass(frozen=True)
class GraphLink:
    index: int
    source: str
    target: str
    title: str
    condition: str | None
    is_else: bool
    source_port: str | None
    pointer: str

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        if self.is_else:
            return "else"
        return condition_summary(self.condition) if self.condition else ""


@dataclass
class Graph:
    kind: str
    nodes: dict[str, GraphNode] = field(default_factory=dict)
    links: list[GraphLink] = field(default_factory=list)
    _index: tuple[int, dict[str, list[GraphLink]], dict[str, list[GraphLink]]] | None = field(default=None, repr=False, compare=False)

    def out_links(self, node_id: str) -> list[GraphLink]:
        return self._by_end(0).get(node_id, [])

    def in_links(self, node_id: str) -> list[GraphLink]:
        return self._by_end(1).get(node_id, [])

    def _by_end(self, end: int) -> dict[str, list[GraphLink]]:
        """Links by source (0) or target (1), made once for the links there are."""
        if self._index is None or self._index[0] != len(self.links):
            outs: dict[str, list[GraphLink]] = {}
            ins: dict[str, list[GraphLink]] = {}
            for link in self.links:
                outs.setdefault(link.source, []).append(link)
                ins.setdefault(link.target, []).append(link)
            self._index = (len(self.links), outs, ins)
        return self._index[1] if end == 0 else self._index[2]

    def start_ids(self) -> list[str]:
        return [n.id for n in self.nodes.values() if n.type == "start"]


def condition_summary(condition: str, width: int = 28) -> str:
    """A Q text shortened for a label: `Q(Q('amount', '>', 500))` reads `amount > 500`."""
    text = re.sub(r"\bQ\(", "(", condition.strip())
    text = re.sub(r"\(\s*'([^']*)'\s*,\s*'([^']*)'\s*,\s*", r"(\1 \2 ", text)
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1]
    return text if len(text) <= width else text[: width - 1] + "…"


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _position(value: Any) -> tuple[float, float] | None:
    if isinstance(value, dict) and isinstance(value.get("x"), (int, float)) and isinstance(value.get("y"), (int, float)):
        return float(value["x"]), float(value["y"])
    return None


def read_graph(kind: str, data: Any) -> Graph:
    """The nodes and links of a parsed config.json; members that are not objects, or name no node, are left out
    (`jitstudio check` reports them)."""
    graph = Graph(kind)
    if not isinstance(data, dict):
        return graph
    if kind == WORKFLOW:
        nodes: list[tuple[str, Any]] = [(f"/nodeList/{i}", n) for i, n in enumerate(data.get("nodeList") or [])]
        for pointer, raw in nodes:
            if isinstance(raw, dict) and isinstance(raw.get("name"), str):
                node_type = WORKFLOW_TYPE_NAMES.get(raw.get("type"), str(raw.get("type")))  # type: ignore[arg-type]
                graph.nodes[raw["name"]] = GraphNode(raw["name"], node_type, str(raw.get("title") or ""),
                                                     _position(raw.get("position")), pointer)
        links, ends, links_at = data.get("linkList") or [], ("from", "to"), "/linkList"
    else:
        raw_nodes = data.get("nodes")
        for node_id, raw in (raw_nodes if isinstance(raw_nodes, dict) else {}).items():
            if isinstance(raw, dict):
                graph.nodes[node_id] = GraphNode(node_id, str(raw.get("type") or ""), str(raw.get("title") or ""),
                                                 _position(raw.get("position")), pointer_of(["nodes", node_id]))
        links, ends, links_at = data.get("edges") or [], ("sourceNode", "targetNode"), "/edges"
    for index, raw in enumerate(links if isinstance(links, list) else []):
        if not isinstance(raw, dict):
            continue
        source, target = raw.get(ends[0]), raw.get(ends[1])
        if source in graph.nodes and target in graph.nodes:
            condition = raw.get("condition")
            graph.links.append(GraphLink(index, source, target, str(raw.get("title") or ""),
                                         condition if isinstance(condition, str) and condition.strip() else None,
                                         bool(raw.get("else")), raw.get("fromPort" if kind == WORKFLOW else "sourcePort"),
                                         f"{links_at}/{index}"))
    return graph


def target_of_pointer(graph: Graph, data: Any, pointer: str) -> tuple[str, str | int] | None:
    """("node", id) or ("link", index) that a problem at `pointer` of config.json is about, else None."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")] if pointer else []
    if len(tokens) < 2:
        return None
    head, key = tokens[0], tokens[1]
    if head in ("linkList", "edges") and key.isdigit():
        if any(link.index == int(key) for link in graph.links):
            return ("link", int(key))
        return _drawn_end(graph, _item(data, head, int(key)), ("from", "to") if head == "linkList" else ("sourceNode", "targetNode"))
    if head == "nodeList" and key.isdigit():
        item = _item(data, head, int(key))
        name = item.get("name") if isinstance(item, dict) else None
        return ("node", name) if isinstance(name, str) and name in graph.nodes else None
    if head in ("nodes", "nodeConfig") and key in graph.nodes:
        return ("node", key)
    return None


def _item(data: Any, key: str, index: int) -> Any:
    items = data.get(key) if isinstance(data, dict) else None
    return items[index] if isinstance(items, list) and index < len(items) else None


def _drawn_end(graph: Graph, link: Any, ends: tuple[str, str]) -> tuple[str, str] | None:
    """A link that names a missing node is not drawn: its problem goes on the end that is."""
    for end in ends:
        node = link.get(end) if isinstance(link, dict) else None
        if isinstance(node, str) and node in graph.nodes:
            return ("node", node)
    return None
