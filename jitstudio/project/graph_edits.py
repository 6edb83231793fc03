"""The edits the graph editors make to a workflow's or an assistant's config.json. Each takes the document and
returns the edited one, changing only the members it must: unknown keys, key order and formatting stay."""
from __future__ import annotations

import re
from typing import Any, Iterable

from ._json_lists import append_item, put_readable, remove_item, sync_list, sync_object
from .graph import WORKFLOW, WORKFLOW_TYPE_CODES, Graph, read_graph, type_title
from .schemas import EVENTFUL_NODE_TYPES
from .jsondoc import JsonDocument, pointer_of

GRID = 20


def _nodes_key(kind: str) -> str:
    return "nodeList" if kind == WORKFLOW else "nodes"


def _links_key(kind: str) -> str:
    return "linkList" if kind == WORKFLOW else "edges"


def _ends(kind: str) -> tuple[str, str]:
    return ("from", "to") if kind == WORKFLOW else ("sourceNode", "targetNode")


def graph_of(kind: str, doc: JsonDocument) -> Graph:
    return read_graph(kind, doc.data)


def snap(value: float, grid: int = GRID) -> int:
    return int(round(value / grid) * grid)


def move_nodes(kind: str, doc: JsonDocument, positions: dict[str, tuple[float, float]],
               graph: Graph | None = None) -> JsonDocument:
    """Each node at its new place, written as whole numbers into `position` {x, y}; a node without a position
    gets one, and other members of an existing position are kept. `graph`: the document's, when at hand."""
    graph = graph or graph_of(kind, doc)
    in_place: list[tuple[str, Any]] = []
    missing: list[tuple[str, dict]] = []
    for node_id, (x, y) in positions.items():
        node = graph.nodes.get(node_id)
        if node is None:
            continue
        at = node.pointer + "/position"
        point = {"x": int(round(x)), "y": int(round(y))}
        if f"{at}/x" in doc.spans and f"{at}/y" in doc.spans and isinstance(doc.get(at), dict):
            in_place += [(f"{at}/x", point["x"]), (f"{at}/y", point["y"])]
        else:
            missing.append((at, point))
    in_place = [(p, v) for p, v in in_place if doc.get(p) != v or type(doc.get(p)) is not int]
    if in_place:
        doc = doc.replace_scalars(dict(in_place))
    for at, point in missing:
        doc = doc.put(at, point)
    return doc


def fresh_id(taken: Iterable[str], stem: str) -> str:
    taken = set(taken)
    stem = re.sub(r"\W", "", stem) or "node"
    number = 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"


def new_node(kind: str, node_type: str, node_id: str, position: tuple[float, float], title: str | None = None) -> dict:
    point = {"x": snap(position[0]), "y": snap(position[1])}
    if kind == WORKFLOW:
        if node_type not in WORKFLOW_TYPE_CODES:
            raise ValueError(f"a workflow has no '{node_type}' node; its nodes are {', '.join(WORKFLOW_TYPE_CODES)}")
        return {"name": node_id, "title": title or type_title(kind, node_type), "type": WORKFLOW_TYPE_CODES[node_type],
                "position": point}
    node: dict[str, Any] = {"id": node_id, "type": node_type, "title": title or type_title(kind, node_type), "position": point}
    if node_type in EVENTFUL_NODE_TYPES:
        node["events"] = {"backend": False, "page": False, "arrivalOutputArgs": [], "afterRunOutputArgs": []}
    return node


def _container(kind: str, doc: JsonDocument) -> JsonDocument:
    """The document with the object or array the nodes go in (a config.json may lack it)."""
    key = _nodes_key(kind)
    if doc.get("/" + key) is None:
        doc = doc.put("/" + key, [] if kind == WORKFLOW else {})
    return doc


def _append_node(kind: str, doc: JsonDocument, node: dict) -> JsonDocument:
    doc = _container(kind, doc)
    if kind == WORKFLOW:
        return append_item(doc, "/nodeList", node)
    return put_readable(doc, pointer_of(["nodes", node["id"]]), node)


def add_node(kind: str, doc: JsonDocument, node_type: str, position: tuple[float, float],
             title: str | None = None) -> tuple[JsonDocument, str]:
    node_id = fresh_id(graph_of(kind, doc).nodes, node_type)
    return _append_node(kind, doc, new_node(kind, node_type, node_id, position, title)), node_id


def connect(kind: str, doc: JsonDocument, source: str, target: str, port: str | None = None) -> JsonDocument:
    """A link from `source` to `target`; from an if/else node's `else` port it is the else link."""
    graph = graph_of(kind, doc)
    for end in (source, target):
        if end not in graph.nodes:
            raise ValueError(f"there is no node '{end}'")
    if source == target:
        raise ValueError("a node cannot link to itself")
    if any(link.source == source and link.target == target for link in graph.links):
        raise ValueError(f"'{source}' links to '{target}' already")
    if graph.nodes[source].type == "end":
        raise ValueError("nothing follows an end node")
    if graph.nodes[target].type == "start":
        raise ValueError("nothing leads into a start node")
    if port == "else" and any(link.is_else for link in graph.out_links(source)):
        raise ValueError(f"'{source}' has an else link already; a node takes one")
    taken = [str(link.get("linkId" if kind == WORKFLOW else "id")) for link in doc.get("/" + _links_key(kind)) or []
             if isinstance(link, dict)]
    if kind == WORKFLOW:
        link: dict[str, Any] = {"linkId": fresh_id(taken, "link"), "from": source, "to": target,
                                "fromPort": "bottom", "toPort": "top"}
    else:
        link = {"id": fresh_id(taken, "e"), "sourceNode": source, "targetNode": target,
                "sourcePort": port or "out", "targetPort": "in", "argMapping": {}}
        if port == "else":
            link["else"] = True
    return append_item(doc, "/" + _links_key(kind), link)


def delete_items(kind: str, doc: JsonDocument, node_ids: Iterable[str] = (), link_indexes: Iterable[int] = ()) -> JsonDocument:
    """Remove nodes with every link that touches them, their nodeConfig, and the links named by index."""
    graph = graph_of(kind, doc)
    nodes = {n for n in node_ids if n in graph.nodes}
    doomed = set(link_indexes) | {link.index for link in graph.links if link.source in nodes or link.target in nodes}
    for index in sorted(doomed, reverse=True):
        doc = remove_item(doc, "/" + _links_key(kind), index)
    if kind == WORKFLOW:
        indexes = sorted((int(graph.nodes[n].pointer.rsplit("/", 1)[1]) for n in nodes), reverse=True)
        for index in indexes:
            doc = remove_item(doc, "/nodeList", index)
        for name in nodes:
            if pointer_of(["nodeConfig", name]) in doc.spans:
                doc = doc.delete(pointer_of(["nodeConfig", name]))
    else:
        for node_id in nodes:
            doc = doc.delete(pointer_of(["nodes", node_id]))
    return doc


def copy_fragment(kind: str, data: dict, node_ids: Iterable[str]) -> dict:
    """The chosen nodes as JSON, with the links between them and (a workflow's) their nodeConfig: what Copy puts
    on the clipboard."""
    chosen = set(node_ids)
    graph = read_graph(kind, data)
    if kind == WORKFLOW:
        nodes = [n for n in data.get("nodeList") or [] if isinstance(n, dict) and n.get("name") in chosen]
        config = {k: v for k, v in (data.get("nodeConfig") or {}).items() if k in chosen}
    else:
        nodes = [v for k, v in (data.get("nodes") or {}).items() if k in chosen and isinstance(v, dict)]
        config = {}
    links = [data[_links_key(kind)][link.index] for link in graph.links if link.source in chosen and link.target in chosen]
    return {"jitstudioGraph": kind, "nodes": nodes, "links": links, "nodeConfig": config}


def paste_fragment(kind: str, doc: JsonDocument, fragment: dict, offset: tuple[float, float]) -> tuple[JsonDocument, list[str]]:
    """The fragment's nodes added under new ids, moved by `offset`, with their links and nodeConfig."""
    if fragment.get("jitstudioGraph") != kind:
        raise ValueError(f"the clipboard holds no {kind} nodes")
    id_key = "name" if kind == WORKFLOW else "id"
    taken = set(graph_of(kind, doc).nodes)
    renamed: dict[str, str] = {}
    for node in fragment.get("nodes") or []:
        old = str(node.get(id_key))
        renamed[old] = fresh_id(taken, re.sub(r"\d+$", "", old))
        taken.add(renamed[old])
    for node in fragment.get("nodes") or []:
        copy = _renamed_references(dict(node, **{id_key: renamed[str(node.get(id_key))]}), renamed)
        x, y = (copy.get("position") or {}).get("x", 0), (copy.get("position") or {}).get("y", 0)
        copy["position"] = {"x": snap(x + offset[0]), "y": snap(y + offset[1])}
        doc = _append_node(kind, doc, copy)
    source, target = _ends(kind)
    link_id = "linkId" if kind == WORKFLOW else "id"
    for link in fragment.get("links") or []:
        taken_links = [str(item.get(link_id)) for item in doc.get("/" + _links_key(kind)) or [] if isinstance(item, dict)]
        copy = _renamed_references(dict(link, **{source: renamed[link[source]], target: renamed[link[target]]}), renamed)
        if link_id in copy:
            copy[link_id] = fresh_id(taken_links, re.sub(r"\d+$", "", str(copy[link_id])) or "link")
        doc = append_item(doc, "/" + _links_key(kind), copy)
    for name, config in (fragment.get("nodeConfig") or {}).items():
        if name in renamed:
            doc = put_readable(doc, pointer_of(["nodeConfig", renamed[name]]), config)
    return doc, list(renamed.values())


def _renamed_references(value: Any, renamed: dict[str, str]) -> Any:
    """`value` with each `<node>.<output>` expression of a copied node pointing at the node's copy."""
    if isinstance(value, str):
        head, dot, rest = value.partition(".")
        return f"{renamed[head]}.{rest}" if dot and head in renamed else value
    if isinstance(value, list):
        return [_renamed_references(item, renamed) for item in value]
    if isinstance(value, dict):
        return {key: _renamed_references(item, renamed) for key, item in value.items()}
    return value


def set_value(doc: JsonDocument, pointer: str, value: Any) -> JsonDocument:
    """One member set from the inspector (objects on the way are created); a list or an object that is there
    already is changed item by item, so the items that stay keep their text."""
    old = doc.get(pointer)
    if isinstance(old, list) and isinstance(value, list) and pointer in doc.spans:
        return sync_list(doc, pointer, old, value)
    if isinstance(old, dict) and isinstance(value, dict) and pointer in doc.spans:
        return sync_object(doc, pointer, old, value)
    return doc.put(pointer, value)


def delete_value(doc: JsonDocument, pointer: str) -> JsonDocument:
    return doc.delete(pointer) if pointer in doc.spans else doc


def node_kinds(kind: str) -> list[str]:
    """The node types the palette offers, in the order it lists them."""
    if kind == WORKFLOW:
        return list(WORKFLOW_TYPE_CODES)
    return ["start", "aiagent", "function", "ifelse", "iteration", "router", "humanaction", "end"]

